import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Application, PartyResponse } from '#domain/applications/application.ts';
import {
  classifyDispute,
  deadlinePassed,
  deadlinesOf,
  nextWake,
  openDispute,
  referralDueDate,
  STAGES,
  TERMINAL_STATUSES,
  transition,
  type Dispute,
  type DisputeEvent,
  type DisputeKind,
  type DisputeOutcome,
} from '#domain/disputes/dispute.ts';
import { DEFAULT_DISPUTE_SETTINGS, disputeSettings } from '#domain/disputes/settings.ts';
import type { OrganisationKind } from '#domain/partnership.ts';
import { application } from '../../support/application-builder.ts';

const KINDS: Record<string, OrganisationKind> = { 'ICB-A': 'icb', 'ICB-B': 'icb', 'LA-A': 'la', 'LA-B': 'la', NHSE: 'nhs-england' };
const kindOf = (org: string) => KINDS[org];
const S = DEFAULT_DISPUTE_SETTINGS;

const response = (party: 'icb' | 'la', at: string, extra: Partial<PartyResponse> = {}): PartyResponse => ({
  party,
  body: party === 'icb' ? 'ICB-A' : 'LA-A',
  decision: 'dispute',
  reason: 'not ours',
  at,
  by: 'u',
  ...extra,
});

function disputed(responses: Application['responses']): Application {
  return application({ status: 'interim', responses });
}

function opened(kind: DisputeKind, at = '2025-01-15T10:00:00.000Z'): Dispute {
  const responses: Application['responses'] =
    kind === 'icb-icb'
      ? { icb: response('icb', at, { proposedBody: 'ICB-B' }) }
      : kind === 'la-la'
        ? { la: response('la', at, { proposedBody: 'LA-B' }) }
        : { icb: response('icb', at, { about: 'apportionment' }) };
  const app = disputed(responses);
  const c = classifyDispute(app, kindOf);
  if (c === null) throw new Error('no dispute');
  return openDispute({
    id: 'dsp_1',
    app,
    classification: c,
    lead: kind === 'icb-icb' ? 'ICB-A' : 'LA-A',
    interimArrangementId: 'arr_1',
    settings: S,
    at,
  });
}

const outcome = (stage: DisputeOutcome['stage'], extra: Partial<DisputeOutcome> = {}): DisputeOutcome => ({
  stage,
  kind: 'agreement',
  reason: 'agreed',
  decidedBy: 'both',
  recordedBy: { org: 'LA-A' },
  at: '2025-02-01T09:00:00.000Z',
  ruleIds: [],
  ...extra,
});

describe('classifyDispute', () => {
  it.each([
    {
      name: 'an ICB naming another ICB → between ICBs (Who Pays?)',
      responses: { icb: response('icb', '2025-01-15T10:00:00Z', { proposedBody: 'ICB-B' }) },
      kind: 'icb-icb',
      bodies: ['ICB-A', 'ICB-B'],
      ruleIds: ['R-WP-DISP-1', 'R-WP-DISP-3', 'R-WP-DISP-4', 'R-WP-DISP-5'],
    },
    {
      name: 'a council naming another council → between councils (SI 2014/2829)',
      responses: { la: response('la', '2025-01-15T10:00:00Z', { proposedBody: 'LA-B' }) },
      kind: 'la-la',
      bodies: ['LA-A', 'LA-B'],
      ruleIds: ['R-DISP-LA-1', 'R-DISP-LA-2', 'R-DISP-LA-3', 'R-DISP-LA-5'],
    },
    {
      name: 'a dispute about the split → between the ICB and the council',
      responses: { la: response('la', '2025-01-15T10:00:00Z', { about: 'apportionment' }) },
      kind: 'icb-la',
      bodies: ['ICB-A', 'LA-A'],
      ruleIds: ['R-APP-1'],
    },
    {
      name: 'an ICB naming a council → across the NHS/council line',
      responses: { icb: response('icb', '2025-01-15T10:00:00Z', { proposedBody: 'LA-B' }) },
      kind: 'icb-la',
      bodies: ['ICB-A', 'LA-A'],
      ruleIds: ['R-APP-1'],
    },
    {
      name: 'a council naming nobody → the joint process',
      responses: { la: response('la', '2025-01-15T10:00:00Z') },
      kind: 'icb-la',
      bodies: ['ICB-A', 'LA-A'],
      ruleIds: ['R-APP-1'],
    },
  ] as const)('$name', ({ responses, kind, bodies, ruleIds }) => {
    const c = classifyDispute(disputed(responses), kindOf);
    expect({ kind: c?.kind, bodies: c?.bodies, disputeDate: c?.disputeDate, ruleIds: c?.ruleIds }).toStrictEqual({
      kind,
      bodies,
      disputeDate: '2025-01-15',
      ruleIds,
    });
  });

  it('takes the first written assertion when both bodies dispute (R-DISP-LA-1)', () => {
    const c = classifyDispute(
      disputed({
        icb: response('icb', '2025-01-20T10:00:00Z', { proposedBody: 'ICB-B' }),
        la: response('la', '2025-01-15T16:00:00Z', { proposedBody: 'LA-B' }),
      }),
      kindOf,
    );
    expect([c?.kind, c?.raisedBy, c?.disputeDate]).toStrictEqual(['la-la', 'LA-A', '2025-01-15']);
  });

  it('is null when nobody disputed', () => {
    expect(classifyDispute(disputed({ icb: response('icb', '2025-01-15T10:00:00Z', { decision: 'accept' }) }), kindOf)).toBeNull();
  });
});

describe('council clocks (SI 2014/2829)', () => {
  it.each([
    ['2025-01-15', '2025-05-15'],
    ['2024-10-31', '2025-02-28'],
    ['2023-10-31', '2024-02-29'],
    ['2025-09-30', '2026-01-30'],
  ])('a dispute arising on %s must be referred by %s (four calendar months, R-DISP-LA-5)', (date, due) => {
    expect(referralDueDate(date)).toBe(due);
  });

  it('opens at pre-referral with the referral due four months after the dispute date; referral sets legal arguments due 14 days later', () => {
    const d = opened('la-la');
    expect([d.stage, d.referralDue, d.stages[0]?.deadline, d.lead]).toStrictEqual(['pre-referral', '2025-05-15', '2025-05-15', 'LA-A']);
    const referred = transition(d, { type: 'refer', packId: 'rp_1', at: '2025-05-15T00:00:00.000Z' }, S);
    if (!referred.ok) throw new Error(referred.reason);
    expect(referred.dispute.referral).toStrictEqual({ referredOn: '2025-05-15', packId: 'rp_1', legalArgumentsDue: '2025-05-29' });
    expect(deadlinesOf(referred.dispute)).toStrictEqual({
      stage: '2025-11-11',
      referralDue: '2025-05-15',
      legalArgumentsDue: '2025-05-29',
      reviewWindowEnds: null,
    });
    const determination = outcome('secretary-of-state', { kind: 'determination', responsibleLa: 'LA-B', at: '2025-08-20T12:00:00.000Z' });
    // One record of the Secretary of State's determination decides nothing: both councils record it.
    expect(transition(referred.dispute, { type: 'decide', outcome: determination }, S)).toStrictEqual({
      ok: false,
      reason: 'At the secretary-of-state stage the outcome stands only when every body in dispute has recorded the same terms.',
    });
    const first = transition(referred.dispute, { type: 'agree', org: 'LA-A', outcome: determination }, S);
    if (!first.ok) throw new Error(first.reason);
    expect(first.dispute.status).toBe('active');
    const decided = transition(
      first.dispute,
      { type: 'agree', org: 'LA-B', outcome: { ...determination, recordedBy: { org: 'LA-B' } } },
      S,
    );
    if (!decided.ok) throw new Error(decided.reason);
    expect([decided.dispute.status, decided.dispute.reviewWindowEnds, decided.dispute.outcome?.kind]).toStrictEqual([
      'decided',
      '2025-11-20',
      'determination',
    ]);
    expect(decided.dispute.outcome?.decidedBy).toBe('The Secretary of State (recorded by a user (LA-A) and a user (LA-B))');
  });

  it.each([
    ['icb-icb', outcome('local-resolution', { responsibleIcb: 'ICB-B' })],
    ['la-la', outcome('pre-referral', { responsibleLa: 'LA-B' })],
  ] as const)("%s: a complete outcome recorded once does not decide a bodies' stage (issue 12: one party alone)", (kind, o) => {
    expect(transition(opened(kind), { type: 'decide', outcome: o }, S)).toStrictEqual({
      ok: false,
      reason: `At the ${o.stage} stage the outcome stands only when every body in dispute has recorded the same terms.`,
    });
  });

  it('cannot skip the referral by escalating', () => {
    expect(
      transition(
        opened('la-la'),
        { type: 'escalate', fromStage: 'pre-referral', cause: 'deadline', at: '2025-05-15T00:00:00Z', reason: 'x' },
        S,
      ),
    ).toStrictEqual({ ok: false, reason: 'Between councils the next step is the referral to the Secretary of State, with its pack.' });
  });
});

describe('stages and escalation', () => {
  it.each([
    ['icb-icb', ['local-resolution', 'nhse-regional', 'nhse-national'], ['2025-02-12', '2025-03-12', '2025-04-23']],
    ['icb-la', ['joint-panel', 'executive-leads'], ['2025-02-12', '2025-03-12']],
  ] as const)('%s escalates through its stages on each deadline, then is unresolved', (kind, stages, deadlines) => {
    let d = opened(kind);
    const seen: [string, string][] = [];
    for (;;) {
      seen.push([d.stage, d.stages.at(-1)?.deadline ?? '']);
      const at = `${d.stages.at(-1)?.deadline}T00:00:00.000Z`;
      expect(deadlinePassed(d, at)).toBe(true);
      const next = transition(d, { type: 'escalate', fromStage: d.stage, cause: 'deadline', at, reason: 'deadline' }, S);
      if (!next.ok) throw new Error(next.reason);
      d = next.dispute;
      if (d.status !== 'active') break;
    }
    expect(seen).toStrictEqual(stages.map((s, i) => [s, deadlines[i]]));
    expect(d.status).toBe('unresolved');
    expect(d.stages.map((s) => s.endedBy)).toStrictEqual(stages.map(() => 'deadline'));
  });

  it('takes stage days from the partnership configuration', () => {
    const d = opened('icb-icb');
    const settings = disputeSettings({ nhs: { regionalDays: 10 } });
    const next = transition(
      d,
      { type: 'escalate', fromStage: 'local-resolution', cause: 'requested', at: '2025-01-20T09:00:00.000Z', reason: 'r' },
      settings,
    );
    expect(next.ok && next.dispute.stages.map((s) => [s.stage, s.deadline, s.endedBy ?? null])).toStrictEqual([
      ['local-resolution', '2025-02-12', 'escalation'],
      ['nhse-regional', '2025-01-30', null],
    ]);
  });

  it('refuses an escalation for a stage that already ended (a late timer, a second click)', () => {
    const d = opened('icb-icb');
    const once = transition(
      d,
      { type: 'escalate', fromStage: 'local-resolution', cause: 'requested', at: '2025-01-20T09:00:00Z', reason: 'r' },
      S,
    );
    if (!once.ok) throw new Error(once.reason);
    expect(
      transition(
        once.dispute,
        { type: 'escalate', fromStage: 'local-resolution', cause: 'deadline', at: '2025-02-12T00:00:00Z', reason: 'r' },
        S,
      ),
    ).toStrictEqual({ ok: false, reason: 'The local-resolution stage has already ended; the dispute is at nhse-regional.' });
  });

  it.each([
    ['icb-icb', outcome('local-resolution'), 'responsibleIcb is required to resolve a dispute between ICBs'],
    [
      'icb-icb',
      outcome('local-resolution', { responsibleIcb: 'ICB-C' }),
      'responsibleIcb must be one of the ICBs in dispute (ICB-A, ICB-B)',
    ],
    ['la-la', outcome('pre-referral'), 'responsibleLa is required to resolve a dispute between councils'],
    ['icb-la', outcome('joint-panel'), 'split is required (or a responsible body) to resolve a dispute between an ICB and a council'],
  ] as const)('%s: refuses an incomplete outcome', (kind, o, message) => {
    const result = transition(opened(kind), { type: 'decide', outcome: o }, S);
    expect(result).toStrictEqual({ ok: false, reason: message.replace(/^\w+ /, '') });
  });
});

describe('nextWake', () => {
  it('wakes for each reminder, then at the start of the deadline day', () => {
    const d = opened('icb-icb', '2025-01-15T10:00:00.000Z');
    expect(nextWake(d, '2025-01-15T10:00:00.000Z', S)).toStrictEqual({ seconds: 7 * 86_400, due: 'reminder', reminder: 1 });
    expect(nextWake(d, '2025-01-22T10:00:00.000Z', S)).toStrictEqual({ seconds: 7 * 86_400, due: 'reminder', reminder: 2 });
    // 2025-02-05T10:00 → deadline 2025-02-12T00:00 comes before the 5th reminder (2025-02-12T10:00).
    expect(nextWake(d, '2025-02-05T10:00:00.000Z', S)).toStrictEqual({ seconds: 6 * 86_400 + 14 * 3_600, due: 'deadline', reminder: 4 });
    expect(nextWake(d, '2025-02-13T00:00:00.000Z', S).seconds).toBe(1);
  });
});

describe('transitions, as properties', () => {
  const kindArb = fc.constantFrom<DisputeKind>('icb-icb', 'la-la', 'icb-la');
  const eventArb = (d0: Dispute): fc.Arbitrary<DisputeEvent> =>
    fc.oneof(
      fc.record({
        type: fc.constant('escalate' as const),
        fromStage: fc.constantFrom(...STAGES[d0.kind]),
        cause: fc.constantFrom('deadline' as const, 'requested' as const, 'panel' as const),
        at: fc.constant('2025-03-01T00:00:00.000Z'),
        reason: fc.constant('r'),
      }),
      fc.record({ type: fc.constant('refer' as const), packId: fc.constant('rp'), at: fc.constant('2025-05-15T00:00:00.000Z') }),
      fc.record({
        type: fc.constant('request-referral' as const),
        fromStage: fc.constantFrom(...STAGES[d0.kind]),
        by: fc.constant('LA-A'),
        reason: fc.constant('r'),
        at: fc.constant('2025-03-01T00:00:00.000Z'),
      }),
      fc
        .constantFrom(...STAGES[d0.kind])
        .chain((stage) =>
          fc.constantFrom<DisputeEvent>(
            { type: 'decide', outcome: outcome(stage, { responsibleIcb: 'ICB-B' }) },
            { type: 'decide', outcome: outcome(stage, { responsibleLa: 'LA-B' }) },
            { type: 'decide', outcome: outcome(stage, { split: { icbBasisPoints: 3_000 } }) },
          ),
        ),
      fc.constant<DisputeEvent>({ type: 'settle', settlementId: 'set', at: '2025-09-01T00:00:00.000Z' }),
    );

  it("never leaves a terminal state, and only moves forward through its kind's stages", () => {
    fc.assert(
      fc.property(
        kindArb.chain((k) => fc.tuple(fc.constant(opened(k)), fc.array(eventArb(opened(k)), { maxLength: 25 }))),
        ([start, events]) => {
          let d = start;
          for (const e of events) {
            const wasTerminal = TERMINAL_STATUSES.has(d.status);
            const before = d;
            const result = transition(d, e, S);
            expect(wasTerminal && result.ok).toBe(false);
            if (!result.ok) continue;
            d = result.dispute;
            const order = STAGES[d.kind];
            expect(order.indexOf(d.stage)).toBeGreaterThanOrEqual(order.indexOf(before.stage));
            expect(d.stages.slice(0, before.stages.length - 1)).toStrictEqual(before.stages.slice(0, -1));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses every event once settled or unresolved', () => {
    fc.assert(
      fc.property(kindArb, fc.constantFrom('settled' as const, 'unresolved' as const), (kind, status) => {
        const d = { ...opened(kind), status };
        for (const e of [
          { type: 'escalate', fromStage: d.stage, cause: 'deadline', at: '2025-03-01T00:00:00Z', reason: 'r' },
          { type: 'refer', packId: 'p', at: '2025-03-01T00:00:00Z' },
          { type: 'decide', outcome: outcome(d.stage, { responsibleIcb: 'ICB-B', responsibleLa: 'LA-B', split: { icbBasisPoints: 1 } }) },
          { type: 'settle', settlementId: 's', at: '2025-03-01T00:00:00Z' },
        ] as DisputeEvent[])
          expect(transition(d, e, S)).toStrictEqual({ ok: false, reason: `The dispute is ${status}; it does not change any more.` });
      }),
    );
  });
});
