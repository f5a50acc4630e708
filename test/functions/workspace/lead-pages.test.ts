/**
 * The s117 lead's pages (issue 16, items 2 and 3): reviews due and overdue from the register, people ready for
 * discharge and waiting (the delays report's use case), and the maturity matrix on the design system with money in
 * pounds, NHS tags for levels and charts with their tables; each refused to a role the API refuses.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Application, FundingArrangement } from '#domain/applications/application.ts';
import type { CaseEvent } from '#domain/facts.ts';
import { createPerson } from '#functions/register/people.use-case.ts';
import { application } from '../../support/application-builder.ts';
import { caller, registerTestDeps, settledInWorcestershire, type TestRegisterDeps } from '../register/support.ts';
import { pageHarness, type PageHarness } from './support.ts';

let h: PageHarness;
let register: TestRegisterDeps;

const events: CaseEvent[] = [
  ...settledInWorcestershire,
  { type: 'detention', from: '2025-01-10', section: '3' },
  { type: 'detention-ended', date: '2025-03-10', outcome: 'discharged' },
  { type: 'left-hospital', date: '2025-03-10' },
];

const interim = (id: string, createdAt: string): FundingArrangement => ({
  id: `arr-${id}`,
  state: 'interim',
  withoutPrejudice: true,
  startDate: '2025-02-01',
  lead: 'E10000034',
  shares: [{ body: 'E10000034', party: 'la', basisPoints: 10_000 }],
  basis: 'test',
  ruleIds: [],
  createdAt,
});

/** An application of the west partnership, ready for discharge on `readyOn` and still in hospital, under interim funding. */
const waiting = (id: string, readyOn: string, extra: Partial<Application> = {}): Application =>
  application({
    id,
    partnershipId: 'west',
    personRef: `p_${id}`,
    parties: ['E10000034', 'QGH'],
    status: 'interim',
    carePlan: {
      serviceLines: [
        {
          id: 'l1',
          description: 'Supported living',
          provider: 'Riverside',
          category: 'accommodation',
          s117: true,
          weeklyCostPence: 185_050,
          startDate: '2025-02-01',
        },
      ],
    },
    discharge: { clinicallyReadyOn: readyOn, delayReasons: [], updatedAt: '2025-02-01T09:00:00.000Z' },
    arrangements: [interim(id, '2025-02-01T09:00:00.000Z')],
    ...extra,
  });

beforeEach(async () => {
  h = pageHarness();
  register = registerTestDeps();
  h.deps.register = register;
  await createPerson(register, caller('E10000034'), { nhsNumber: '943 476 5919', name: 'Alex <Example>', events });
  await register.applications.create(waiting('app_aaaaaaaaaaaaaaaaaaaa', '2025-02-20'));
  await register.applications.create(waiting('app_bbbbbbbbbbbbbbbbbbbb', '2025-03-05'));
});

describe('reviews due and overdue', () => {
  it('shows an overdue review from the register, with its due date, and no names', async () => {
    register.setNow('2026-06-01T09:00:00.000Z');
    const { cookie } = await h.signIn('E10000034', 'admin');
    const response = await h.get('/app/reviews', cookie);

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('>Overdue</h2>');
    expect(response.body).toMatch(/1 overdue, 0 due soon/);
    expect(response.body).toContain('<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>');
    expect(response.body).toMatch(/-e1\n/);
    expect(response.body).toContain('No review is coming due.');
    expect(response.body).not.toContain('Alex');
  });

  it('shows none overdue the day after discharge, and refuses a panel member', async () => {
    const { cookie } = await h.signIn('E10000034', 'admin');
    expect((await h.get('/app/reviews', cookie)).body).toContain('No review is overdue.');
    const panel = await h.signIn('E10000034', 'panel');
    expect((await h.get('/app/reviews', panel.cookie)).statusCode).toBe(403);
  });
});

describe('ready for discharge and waiting', () => {
  it('lists the delays report, longest wait first, with days, funding and escalation', async () => {
    const { cookie } = await h.signIn('E10000034', 'admin');
    const response = await h.get('/app/delays', cookie);

    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body.indexOf('app_aaaaaaaaaaaaaaaaaaaa')).toBeLessThan(body.indexOf('app_bbbbbbbbbbbbbbbbbbbb'));
    expect(body).toContain('<a href="/app/applications/app_aaaaaaaaaaaaaaaaaaaa">app_aaaaaaaaaaaaaaaaaaaa</a>');
    expect(body).toContain('20 February 2025');
    expect(body).toContain('Days since ready </span>19');
    expect(body).toContain('<strong class="nhsuk-tag nhsuk-tag--red">Escalate</strong>');
    expect(body).toContain('a funding decision');
  });

  it('refuses a finance user (the API’s roles) and shows the API’s refusal of a forged cursor', async () => {
    const finance = await h.signIn('E10000034', 'finance');
    expect((await h.get('/app/delays', finance.cookie)).statusCode).toBe(403);
    const { cookie } = await h.signIn('E10000034', 'admin');
    const forged = await h.get('/app/delays?cursor=forged', cookie);
    expect([forged.statusCode, forged.body.includes('The cursor is not valid for this report.')]).toStrictEqual([400, true]);
  });
});

describe('the maturity matrix', () => {
  it('writes money in pounds, levels as NHS tags, and thresholds in words', async () => {
    const { cookie } = await h.signIn('E10000034', 'admin');
    const response = await h.get('/app/maturity', cookie);

    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain('£3,701.00 a week under interim arrangements');
    expect(body).toContain('mature at most £2,000.00 a week; developing at most £10,000.00 a week');
    expect(body).not.toMatch(/\b200000\b|\b1000000\b/);
    expect(body).toMatch(/<strong class="nhsuk-tag nhsuk-tag--(green|yellow|red|grey)">/);
    expect(body).not.toContain('#ffb81c');
  });

  it('draws interim exposure and reviews in date by month as SVG images with text alternatives and tables', async () => {
    const { cookie } = await h.signIn('E10000034', 'admin');
    const body = (await h.get('/app/maturity', cookie)).body;

    for (const id of ['interim-exposure', 'reviews-in-date']) {
      expect(body).toContain(
        `role="img" viewBox="0 0 640 260" width="100%" style="max-width:640px;height:auto" aria-labelledby="${id}-title ${id}-desc"`,
      );
      expect(body).toContain(`<title id="${id}-title">`);
    }
    // Nothing was interim before February 2025; both applications were from then.
    expect(body).toContain('Jan 2025: £0.00; Feb 2025: £3,701.00; Mar 2025: £3,701.00.');
    expect(body).toContain('The figures behind the chart: interim exposure at each month end');
    expect(body).toContain('31 January 2025');
  });

  it('refuses a panel member', async () => {
    const { cookie } = await h.signIn('E10000034', 'panel');
    expect((await h.get('/app/maturity', cookie)).statusCode).toBe(403);
  });
});

describe('the disputes page', () => {
  it('draws running disputes by age with its table, even when there are none', async () => {
    const { cookie } = await h.signIn('LA-A', 'admin');
    const body = (await h.get('/app/disputes', cookie)).body;
    expect(body).toContain('aria-labelledby="dispute-ages-title dispute-ages-desc"');
    expect(body).toContain('0 to 30 days: 0; 31 to 60 days: 0; 61 to 120 days: 0; Over 120 days: 0.');
    expect(body).toContain('The figures behind the chart: running disputes by age');
  });
});
