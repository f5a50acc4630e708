/**
 * The disputes page (issue 16, item 2, s117 leads): running disputes with their stage, age and deadlines through the
 * API's use cases, only the organisation's own, refused to finance.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { classifyDispute, openDispute } from '#domain/disputes/dispute.ts';
import { DEFAULT_DISPUTE_SETTINGS } from '#domain/disputes/settings.ts';
import { interimArrangement } from '#domain/funding/funding-decisions.ts';
import { clock } from '#functions/workspace/disputes.ts';
import { ORGANISATIONS } from '../api/support.ts';
import { application, partnership } from '../../support/application-builder.ts';
import { pageHarness, type PageHarness } from './support.ts';

let h: PageHarness;

beforeEach(async () => {
  h = pageHarness();
  // The clock reads 2024-06-01; LA-A disputed on 2024-05-20, naming LA-B.
  const base = application({
    status: 'in-dispute',
    parties: ['LA-A', 'ICB-A', 'LA-B'],
    responses: {
      la: { party: 'la', body: 'LA-A', decision: 'dispute', reason: 'LA-B', proposedBody: 'LA-B', at: '2024-05-20T10:00:00.000Z', by: 'u' },
    },
  });
  const app = { ...base, arrangements: [interimArrangement(base, partnership, 'dispute', 'arr_1', '2024-05-20T10:00:00.000Z')] };
  await h.api.applications.create(app);
  const c = classifyDispute(app, (o) => ORGANISATIONS.find((x) => x.code === o)?.kind);
  if (c === null) throw new Error('not disputed');
  await h.api.memory.disputes.create(
    openDispute({
      id: 'dsp_1',
      app,
      classification: c,
      lead: 'LA-A',
      interimArrangementId: 'arr_1',
      settings: DEFAULT_DISPUTE_SETTINGS,
      at: '2024-05-20T10:00:00.000Z',
    }),
  );
});

describe('the disputes page', () => {
  it('lists the running dispute with its kind, stage, age and referral clock', async () => {
    const { cookie } = await h.signIn('LA-A', 'admin');
    const page = await h.get('/app/disputes', cookie);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/app/applications/app_1">app_1</a>');
    expect(page.body).toContain('Between councils');
    expect(page.body).toContain('Age in days </span>12\n');
    expect(page.body).toMatch(/2024-09-20 \(in 111 days\)/);
  });

  it('shows another organisation nothing, and refuses finance with a 403 page', async () => {
    const other = await h.signIn('ICB-B', 'commissioner');
    expect((await h.get('/app/disputes', other.cookie)).body).toContain('Your organisation is party to no running dispute.');
    const finance = await h.signIn('LA-A', 'finance');
    expect((await h.get('/app/disputes', finance.cookie)).statusCode).toBe(403);
  });

  it('words a clock as days left, today, or days overdue', () => {
    expect([
      clock('2024-06-05', '2024-06-01'),
      clock('2024-06-01', '2024-06-01'),
      clock('2024-05-30', '2024-06-01'),
      clock(null, '2024-06-01'),
    ]).toStrictEqual(['2024-06-05 (in 4 days)', '2024-06-01 (today)', '2024-05-30 (2 days overdue)', '-']);
  });
});
