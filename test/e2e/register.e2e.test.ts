/**
 * The register end to end through the local runtime on a virtual clock: a person discharged, reviewed late
 * (the reminder and the escalation seen in the SES store), re-detained elsewhere (a CSV batch from the Mental
 * Health Act office, sent twice), discharged again with the new council responsible, and the maturity report
 * reflecting each step. The handlers' dates come from the facts; the schedule's waits run on the virtual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '#domain/dates.ts';
import type { VirtualClock } from '#local/clock.ts';
import type { RuntimeHandles } from '#local/runtime.ts';
import { eventually } from '../local/support.ts';
import { call, commissioner, type Api, startApp, type App } from './support.ts';

let app: App;
let runtime: RuntimeHandles;
let api: Api;
const worcestershire = commissioner('E10000034');
const qgh = commissioner('QGH');
const swindon = commissioner('E06000030');
const T0 = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
  new Date(),
);
const d = (days: number): string => addDays(T0, days);
const PRACTITIONER = 'sam.carter@worcestershire.example.gov.uk';

beforeAll(async () => {
  app = await startApp('register', { clock: 'virtual' });
  ({ runtime, api } = app);
});

afterAll(() => app.stop());

interface Mail {
  destination: { to: string[] };
  subject: string;
  body: { text: string; html: string };
}
const mailbox = async (): Promise<Mail[]> => ((await (await fetch(`${runtime.ses.url}/store`)).json()) as { emails: Mail[] }).emails;
const mailWhere = (what: string, match: (m: Mail) => boolean, count = 1): Promise<Mail[]> =>
  eventually(
    async () => {
      const found = (await mailbox()).filter(match);
      return found.length >= count ? found : undefined;
    },
    what,
    15_000,
  );

/** Moves the virtual clock to the execution's pending Wait in `state`, which must exist. */
async function advanceThrough(execution: string, state: string): Promise<number> {
  const clock = runtime.clock as VirtualClock;
  const timer = await eventually(
    () => clock.pending().find((t) => t.label.includes(`:${execution} ${state} `) && t.label.endsWith('wait')),
    `${execution} waiting in ${state}`,
    15_000,
  );
  clock.advance(Math.max(0, timer.dueAt - clock.now()));
  return timer.dueAt;
}

async function maturity(
  asOf: string,
): Promise<{ statuses: Record<string, number>; rows: { id: string; value: number | null; level: string }[] }> {
  const reply = await call(api, 'GET', `/v1/reports/maturity?asOf=${asOf}`, { as: qgh });
  expect(reply.status).toBe(200);
  return reply.body as never;
}
const row = (report: Awaited<ReturnType<typeof maturity>>, id: string) => report.rows.find((r) => r.id === id);

describe('the register through the local runtime', () => {
  let personRef = '';
  let first = '';

  it('a person discharged after s3 is on the register, active, with the review schedule running', async () => {
    const created = await call(api, 'POST', '/v1/register/people', {
      as: worcestershire,
      body: {
        nhsNumber: '943 476 5919',
        name: 'Alex Example',
        events: [
          {
            type: 'residence',
            from: '2018-01-01',
            area: { country: 'england', la: 'E10000034', icb: 'QGH' },
            setting: 'own-home',
            basis: 'own-choice',
          },
          { type: 'gp-registration', from: '2018-01-01', icb: 'QGH' },
          { type: 'detention', from: d(-60), section: '3', hospitalArea: { country: 'england', la: 'E06000030', icb: 'QOX' } },
          { type: 'detention-ended', date: d(0), outcome: 'discharged' },
          { type: 'left-hospital', date: d(0) },
        ],
      },
    });
    expect(created.status).toBe(201);
    personRef = String(created.body['personRef']);
    first = `${personRef}-e1`;
    const [episode] = created.body['episodes'] as Record<string, unknown>[];
    expect([
      episode?.['id'],
      episode?.['status'],
      episode?.['dutyArose'],
      (episode?.['icb'] as { body: string }).body,
      (episode?.['localAuthority'] as { body: string }).body,
    ]).toStrictEqual([first, 'active', d(0), 'QGH', 'E10000034']);
    expect(
      (
        await call(api, 'PUT', `/v1/register/episodes/${first}/practitioner`, {
          as: worcestershire,
          body: { name: 'Sam Carter', email: PRACTITIONER, role: 'care coordinator' },
        })
      ).status,
    ).toBe(200);

    const letter = await call(api, 'GET', `/v1/register/episodes/${first}/letters/entitlement`, { as: worcestershire });
    expect(String(letter.body['text'])).toContain('Dear Alex Example,');
    expect(String(letter.body['text'])).toContain('Your named contact is Sam Carter.');

    const report = await maturity(d(0));
    expect([report.statuses['active'], row(report, 'reviews-in-date')?.value, row(report, 'register')?.level]).toStrictEqual([
      1,
      100,
      'mature',
    ]);
  });

  it('the review falls due: the practitioner is reminded, then both bodies are told it is overdue', async () => {
    const execution = `review-${first}-g1`;
    expect(await advanceThrough(execution, 'WaitUntilReminder')).toBe(Date.parse(`${d(28)}T09:00:00Z`));
    const reminders = await mailWhere(
      'the reminder',
      (m) => m.destination.to.includes(PRACTITIONER) && m.subject.startsWith('s117 review due by'),
    );
    expect(reminders.map((m) => m.subject)).toStrictEqual([
      `s117 review due by ${Number(d(42).slice(8))} ${new Intl.DateTimeFormat('en-GB', { month: 'long' }).format(new Date(`${d(42)}T12:00:00Z`))} ${d(42).slice(0, 4)} (${first})`,
    ]);

    expect(await advanceThrough(execution, 'WaitUntilDue')).toBe(Date.parse(`${d(43)}T09:00:00Z`));
    const escalations = await mailWhere('the escalation to three mailboxes', (m) => m.subject.startsWith('s117 review OVERDUE'), 3);
    expect(new Set(escalations.flatMap((m) => m.destination.to))).toStrictEqual(
      new Set(['s117@qgh.example.nhs.uk', 's117@worcestershire.example.gov.uk', PRACTITIONER]),
    );
    expect(escalations[0]?.body.text).toContain('This is escalation 1.');

    const report = await maturity(d(43));
    expect([report.statuses['review-due'], row(report, 'reviews-in-date')?.value, row(report, 'reviews-in-date')?.level]).toStrictEqual([
      1,
      0,
      'underdeveloped',
    ]);
  });

  it('the review is recorded late, with the person; the schedule moves on to the care plan review', async () => {
    // The escalation handed over to the next execution, which waits for the repeat escalation a fortnight on.
    const repeat = await eventually(
      () => (runtime.clock as VirtualClock).pending().find((t) => t.label.includes(`:review-${first}-g1-s1 WaitUntilDue `)),
      'the next execution waiting for the repeat escalation',
      15_000,
    );
    expect(new Date(repeat.dueAt).toISOString()).toBe(`${d(57)}T09:00:00.000Z`);
    const recorded = await call(api, 'POST', `/v1/register/episodes/${first}/reviews`, {
      as: worcestershire,
      body: {
        date: d(45),
        outcome: 'continue',
        personTookPart: true,
        participants: [
          { name: 'Alex Example', role: 'the person' },
          { name: 'Sam Carter', role: 'care coordinator' },
        ],
      },
    });
    expect(recorded.status).toBe(201);
    expect((recorded.body['episode'] as { nextReview: { kind: string } }).nextReview.kind).toBe('care-plan');
    // The repeat's check finds the review held and hands over to the execution that plans the care plan review.
    expect(await advanceThrough(`review-${first}-g1-s1`, 'WaitUntilDue')).toBe(Date.parse(`${d(57)}T09:00:00Z`));
    const next = await eventually(
      () => (runtime.clock as VirtualClock).pending().find((t) => t.label.includes(`:review-${first}-g1-s2 WaitUntilReminder `)),
      'the care plan reminder',
      15_000,
    );
    expect(new Date(next.dueAt).toISOString()).toBe(`${addDays(addMonths(T0, 3), -14)}T09:00:00.000Z`);
    const report = await maturity(d(45));
    expect([report.statuses['active'], row(report, 'reviews-in-date')?.value]).toStrictEqual([1, 100]);
  });

  it("re-detained elsewhere (a CSV batch from the MHA office, sent twice): the council's episode ends, the new council is told, the ICB stays", async () => {
    const csv = [
      'nhs_number,event_type,date,section,la,icb,setting,basis',
      `9434765919,residence,${d(50)},,E06000030,QOX,own-home,own-choice`,
      `9434765919,gp-registration,${d(50)},,,QOX,,`,
      `9434765919,detention,${d(70)},3,,,,`,
      `9434765919,detention,${d(70)},33,,,,`,
    ].join('\n');
    const send = () =>
      fetch(`${api.url}/v1/register/batches`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${api.token(swindon)}`,
          'content-type': 'text/csv',
          'idempotency-key': 'swindon-mha-office-batch-1',
        },
        body: csv,
      });
    const once = (await (await send()).json()) as Record<string, unknown>;
    expect([once['recorded'], once['alreadyRecorded'], once['rejected']]).toStrictEqual([
      3,
      0,
      [
        {
          row: 5,
          field: 'section',
          message: '"33" is not allowed; use 2, 3, 4, 5(2), 5(4), 35, 36, 37, 37/41, 38, 45A, 47, 47/49, 48, 48/49, 135, 136',
        },
      ],
    ]);
    const twice = (await (await send()).json()) as Record<string, unknown>;
    expect([twice['recorded'], twice['alreadyRecorded']]).toStrictEqual([0, 3]);

    const person = await call(api, 'GET', `/v1/register/people/${personRef}?asOf=${d(70)}`, { as: swindon });
    const episodes = person.body['episodes'] as {
      id: string;
      status: string;
      icb: { body: string };
      localAuthority: { body: string };
      fundingChanges: unknown[];
    }[];
    expect(episodes.map((e) => [e.id, e.status, e.icb.body, e.localAuthority.body])).toStrictEqual([
      [first, 'ended-by-redetention', 'QGH', 'E10000034'],
      [`${personRef}-e2`, 'eligible', 'QGH', 'E06000030'],
    ]);
    expect(episodes[1]?.fundingChanges).toMatchObject([{ party: 'la', from: 'E10000034', to: 'E06000030', date: d(70) }]);
    const told = await mailWhere(
      'the new council told',
      (m) =>
        m.destination.to.includes('s117@swindon.example.gov.uk') && m.subject === `s117 register: new aftercare episode ${personRef}-e2`,
    );
    expect(told).toHaveLength(1);
    await mailWhere(
      'the old council told',
      (m) =>
        m.destination.to.includes('s117@worcestershire.example.gov.uk') &&
        m.subject === `s117 register: episode ${first} ended by a fresh detention`,
    );

    const report = await maturity(d(70));
    expect([report.statuses['ended-by-redetention'], report.statuses['eligible'], row(report, 'readmissions')?.value]).toStrictEqual([
      1, 1, 100,
    ]);
  });

  it('discharged again: the new episode is active with the new council responsible from that day', async () => {
    for (const event of [
      { type: 'detention-ended', date: d(100), outcome: 'discharged' },
      { type: 'left-hospital', date: d(100) },
    ]) {
      expect((await call(api, 'POST', `/v1/register/people/${personRef}/events`, { as: swindon, body: event })).status).toBe(201);
    }
    const second = await call(api, 'GET', `/v1/register/episodes/${personRef}-e2?asOf=${d(100)}`, { as: qgh });
    expect([second.body['status'], second.body['dutyArose'], second.body['localAuthority']]).toMatchObject([
      'active',
      d(100),
      { body: 'E06000030', since: d(100) },
    ]);
    await eventually(
      () => (runtime.clock as VirtualClock).pending().find((t) => t.label.includes(`:review-${personRef}-e2-g1 WaitUntilReminder `)),
      "the new episode's review schedule",
      15_000,
    );

    const report = await maturity(d(100));
    expect([report.statuses['active'], report.statuses['ended-by-redetention'], row(report, 'reviews-in-date')?.value]).toStrictEqual([
      1, 1, 100,
    ]);

    const page = await fetch(`${api.url}/reports/maturity?asOf=${d(100)}`, { headers: { authorization: `Bearer ${api.token(qgh)}` } });
    const html = await page.text();
    expect([page.status, page.headers.get('content-type')]).toStrictEqual([200, 'text/html; charset=utf-8']);
    expect(html).toContain('<h1>s117 maturity matrix: Worcestershire and Swindon s117 demo</h1>');
    expect((await fetch(`${api.url}/reports/maturity`)).status).toBe(401);

    for (const m of await mailbox()) expect(`${m.subject}${m.body.text}${m.body.html}`).not.toMatch(/9434765919|943 476 5919|Alex Example/);
  });
});
