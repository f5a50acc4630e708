/**
 * Issue 13 item 5: a person whose discharge waits on funding past `delays.fundingEscalationDays` is escalated to
 * both bodies' executive leads once, and the escalation is in the chronology once; run through the scheduled
 * reconcile-hand-offs function's daily job as well as the use case.
 */
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Application, FundingArrangement } from '#domain/applications/application.ts';
import { memoryPorts, type MemoryPorts } from '#functions/adapters/memory/index.ts';
import { escalateFundingDelays, type DelayEscalationDeps } from '#functions/register/delay-escalations.use-case.ts';
import { application, partnership } from '../../support/application-builder.ts';
import { usePorts } from '#functions/adapters/root.ts';
import { handler as scheduled } from '#functions/tasks/reconcile-hand-offs.handler.ts';
import { frozenClock, installPorts, memoryDeps, ORGANISATIONS, type TestClock } from '../api/support.ts';

const withDelays = {
  ...partnership,
  delays: {
    fundingEscalationDays: 14,
    executiveLeads: [{ organisation: 'ICB-A', name: 'Dr Ann Lead', email: 'ann.lead@icb-a.example.test' }],
  },
};

let clock: TestClock;
let ports: MemoryPorts;
let deps: DelayEscalationDeps;
beforeEach(() => {
  clock = frozenClock('2024-06-16T07:00:00.000Z');
  ports = memoryPorts(clock, { organisations: ORGANISATIONS, partnerships: [withDelays] });
  deps = { ...ports, clock, appBaseUrl: 'https://s117.example.test' };
});

/** Ready on 1 June, still in hospital; `overrides` change the waiting application. */
const waiting = (overrides: Partial<Application> = {}): Application =>
  application({ discharge: { clinicallyReadyOn: '2024-06-01', delayReasons: [], updatedAt: '2024-06-01T09:00:00.000Z' }, ...overrides });

const agreed: FundingArrangement = {
  id: 'arr-1',
  state: 'agreed',
  withoutPrejudice: false,
  startDate: '2024-06-10',
  lead: 'LA-A',
  shares: [
    { body: 'ICB-A', party: 'icb', basisPoints: 5_000 },
    { body: 'LA-A', party: 'la', basisPoints: 5_000 },
  ],
  basis: 'agreed',
  ruleIds: [],
  createdAt: '2024-06-10T09:00:00.000Z',
};

describe('escalating a discharge delay waiting on funding', () => {
  it("after the partnership's days, mails the ICB's named executive lead and the council's mailbox once, and writes it to the chronology once", async () => {
    await ports.applications.create(waiting());

    const first = await escalateFundingDelays(deps);
    clock.set('2024-06-17T07:00:00.000Z');
    const second = await escalateFundingDelays(deps);

    expect([first, second]).toStrictEqual([
      { partnerships: 1, due: 1, mailsSent: 2 },
      { partnerships: 1, due: 1, mailsSent: 0 },
    ]);
    expect(ports.mailer.sent.map((m) => [m.to, m.subject])).toStrictEqual([
      [['ann.lead@icb-a.example.test'], 's117 aftercare: discharge waiting 15 days for a funding decision (app_1)'],
      [['la-a@example.test'], 's117 aftercare: discharge waiting 15 days for a funding decision (app_1)'],
    ]);
    expect(ports.mailer.sent[0]?.text).toContain('Dear Dr Ann Lead');
    expect(ports.mailer.sent[1]?.text).toContain('no executive lead is named for LA-A');
    // No personal data in the mail: the person by reference only.
    expect(ports.mailer.sent.some((m) => m.text.includes('9434765919'))).toBe(false);
    const entries = await ports.chronology.list('p_test');
    expect(entries.map((e) => [e.type, e.applicationId, e.data['daysSinceReady'], e.data['told']])).toStrictEqual([
      [
        'funding-delay-escalated',
        'app_1',
        15,
        [
          { body: 'ICB-A', to: 'executive-lead' },
          { body: 'LA-A', to: 'mailbox' },
        ],
      ],
    ]);
    expect(entries[0]?.data['ruleIds']).toStrictEqual(['R-WP-GEN-5', 'R-WP-DISP-6', 'R-DISP-LA-3']);
  });

  it('waits until the wait is longer than the setting (14 days on the 15th of June: not yet)', async () => {
    clock.set('2024-06-15T07:00:00.000Z');
    await ports.applications.create(waiting());

    expect(await escalateFundingDelays(deps)).toStrictEqual({ partnerships: 1, due: 0, mailsSent: 0 });
    expect([ports.mailer.sent, await ports.chronology.list('p_test')]).toStrictEqual([[], []]);
  });

  it.each([
    ['funding is agreed (the wait is for something else)', { arrangements: [agreed] }],
    [
      'the person has left hospital',
      {
        discharge: { clinicallyReadyOn: '2024-06-01', dischargedOn: '2024-06-05', delayReasons: [], updatedAt: '2024-06-05T09:00:00.000Z' },
      },
    ],
    ['nobody recorded the person ready', { discharge: undefined }],
  ] as [string, Partial<Application>][])('escalates nothing when %s', async (_, overrides) => {
    const app = waiting(overrides);
    if (overrides.discharge === undefined && 'discharge' in overrides) delete app.discharge;
    await ports.applications.create(app);

    expect((await escalateFundingDelays(deps)).mailsSent).toBe(0);
    expect(await ports.chronology.list('p_test')).toStrictEqual([]);
  });

  it('escalates again for a new ready day (the person was readmitted and is ready again)', async () => {
    await ports.applications.create(waiting());
    await escalateFundingDelays(deps);
    const stored = await ports.applications.get('app_1');
    if (stored === null) throw new Error('missing');
    await ports.applications.save({
      ...stored,
      version: 2,
      discharge: { clinicallyReadyOn: '2024-07-01', delayReasons: [], updatedAt: '2024-07-01T09:00:00.000Z' },
    });
    clock.set('2024-07-20T07:00:00.000Z');

    expect((await escalateFundingDelays(deps)).mailsSent).toBe(2);
    expect((await ports.chronology.list('p_test')).map((e) => e.data['clinicallyReadyOn'])).toStrictEqual(['2024-06-01', '2024-07-01']);
  });
});

describe('the daily run of the scheduled reconcile-hand-offs function', () => {
  afterEach(() => {
    usePorts(undefined);
    vi.unstubAllEnvs();
  });

  it('escalates on {"job": "escalate-funding-delays"} and reconciles hand-offs on any other event', async () => {
    const test = memoryDeps();
    test.clock.set('2024-06-16T07:00:00.000Z');
    await test.applications.create(waiting());
    installPorts(test);
    const context = { functionName: 'reconcile-hand-offs', awsRequestId: 'r-1' } as Context;

    const daily = await scheduled({ job: 'escalate-funding-delays' }, context);
    const fiveMinutely = await scheduled({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, context);

    expect(daily).toStrictEqual({ partnerships: 2, due: 1, mailsSent: 2 });
    expect(fiveMinutely).toMatchObject({ resumed: 0, failed: [] });
    expect(test.memory.mailer.sent.map((m) => m.to)).toStrictEqual([['icb-a@example.test'], ['la-a@example.test']]);
    expect((await test.chronology.list('p_test')).map((e) => e.type)).toStrictEqual(['funding-delay-escalated']);
  });
});
