/**
 * Funding in force from the first minute (issue 13, item 1): whatever the bodies answer and whatever is
 * decided after, from the requested start date there is no day without a named lead and shares summing
 * to 100%, and every decision is appended (no earlier arrangement is rewritten).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Application, FundingArrangement } from '#domain/applications/application.ts';
import { addDays, type LocalDate } from '#domain/dates.ts';
import type { CaseEvent } from '#domain/facts.ts';
import { DEFAULT_DISPUTE_SETTINGS } from '#domain/disputes/settings.ts';
import { classifyDispute, openDispute } from '#domain/disputes/dispute.ts';
import { finalArrangement, interimSettlement } from '#domain/disputes/settle-dispute.ts';
import {
  agreedArrangement,
  arrangementOn,
  interimArrangement,
  recordResponse,
  routeAfterResponses,
  submissionArrangement,
  type InterimCause,
} from '#domain/funding/funding-decisions.ts';
import { applicationPanelGate } from '#domain/panels/application-gate.ts';
import type { Partnership } from '#domain/partnership.ts';
import { determine } from '#domain/responsibility/determine.ts';
import { application, partnership } from '../support/application-builder.ts';
import { historyArb } from '../support/arbitraries.ts';
import { detained, england, facts, gp, home, settledInA } from '../support/case-builder.ts';

const RUNS = { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 300) };
const AT = '2024-06-01T09:00:00.000Z';
const BODIES = ['ICB-A', 'ICB-B', 'ICB-X', 'LA-A', 'LA-B', 'LA-X'] as const;
const kindOf = (org: string) => (org.startsWith('ICB') ? ('icb' as const) : ('la' as const));

/** A fresh application, as submitted: no determination, no answers, no arrangements. */
function submitted(overrides: Partial<Application> = {}): Application {
  return application({ status: 'submitted', determination: null, parties: ['LA-A'], ...overrides });
}

function atSubmission(app: Application, p: Partnership = partnership): FundingArrangement | null {
  return submissionArrangement(app, p, determine(app.facts, p.ruleConfig), 'arr_1', AT);
}

describe('funding at submission', () => {
  it('starts interim funding on the requested date between the determined bodies, under the interim lead', () => {
    const a = atSubmission(submitted());
    expect(a).toMatchObject({
      state: 'interim',
      withoutPrejudice: true,
      startDate: '2024-06-10',
      lead: 'LA-A',
      shares: [
        { body: 'ICB-A', party: 'icb', basisPoints: 5000 },
        { body: 'LA-A', party: 'la', basisPoints: 5000 },
      ],
    });
    expect(a?.basis).toContain("LA-A leads as the partnership's interim lead (the council) until the bodies answer (R-WP-DISP-2).");
  });

  it('names the ICB as lead when the partnership says so', () => {
    const p = { ...partnership, funding: { ...partnership.funding, interimLead: 'icb' as const } };
    expect(atSubmission(submitted(), p)?.lead).toBe('ICB-A');
  });

  it("lets the council already meeting the person's needs lead and carry the council share", () => {
    const a = atSubmission(submitted({ meetingNeedsNow: 'LA-B' }));
    expect(a?.lead).toBe('LA-B');
    expect(a?.shares.map((s) => s.body)).toEqual(['ICB-A', 'LA-B']);
    expect(a?.basis).toContain("LA-B leads because it is already meeting the person's needs (R-DISP-LA-3).");
    const p = { ...partnership, funding: { ...partnership.funding, interimLead: 'icb' as const } };
    expect(atSubmission(submitted({ meetingNeedsNow: 'LA-A' }), p)?.lead).toBe('LA-A');
  });

  it('where no body is named, stands in the GP practice ICB and the council where the person is present, citing the rules', () => {
    const f = facts('2024-06-01', [gp('2000-01-01', 'ICB-A'), detained('2024-01-10', '3', { hospital: england('LA-H', 'ICB-H') })]);
    const a = interimArrangement(submitted({ facts: f }), partnership, 'failure', 'arr_1', AT);
    expect(a.shares.map((s) => [s.body, s.party])).toStrictEqual([
      ['ICB-A', 'icb'],
      ['LA-H', 'la'],
    ]);
    expect(a.ruleIds).toEqual(expect.arrayContaining(['R-WP-GEN-1', 'R-WP-117-2', 'R-DISP-LA-3']));
    expect(a.basis).toContain("ICB-A stands in as the ICB until responsibility is settled (the ICB of the person's GP practice).");
    expect(a.basis).toContain(
      'LA-H stands in as the council until responsibility is settled (the person is present in its area, R-DISP-LA-3).',
    );
    expect(a.cause).toBe('failure');
  });

  it('with no GP practice, stands in the ICB where the person usually lives (R-WP-GEN-2), and where the person lives before where present', () => {
    const f = facts('2024-06-01', [
      home('2010-01-01', 'LA-B', 'ICB-B'),
      gp('2010-01-01', null),
      detained('2024-01-10', '3', { hospital: england('LA-H', 'ICB-H') }),
    ]);
    const a = interimArrangement(submitted({ facts: f }), partnership, 'failure', 'arr_1', AT);
    expect(a.shares.map((s) => s.body)).toStrictEqual(['ICB-B', 'LA-B']);
    expect(a.ruleIds).toContain('R-WP-GEN-2');
    expect(a.basis).toContain('LA-B stands in as the council until responsibility is settled (the person lives in its area, R-DISP-LA-3).');
  });

  it('when the determined council disputes and nobody meets needs or lives anywhere known, the council where the person is present pays meanwhile', () => {
    const determined = application();
    const disputed = recordResponse(
      {
        ...determined,
        facts: facts('2024-06-01', [gp('2000-01-01', 'ICB-A'), detained('2024-01-10', '3', { hospital: england('LA-H', 'ICB-H') })]),
      },
      { userId: 'u', org: 'LA-A' },
      { decision: 'dispute', proposedBody: 'LA-B' },
      AT,
      { proposed: { code: 'LA-B', kind: 'la' }, members: partnership.members },
    );
    if (disputed.kind !== 'recorded') throw new Error(disputed.kind);
    const a = interimArrangement(disputed.application, partnership, 'dispute', 'arr_2', AT);
    expect(a.shares.map((s) => s.body)).toStrictEqual(['ICB-A', 'LA-H']);
    expect(a.lead).toBe('LA-H');
    expect(a.ruleIds).toEqual(expect.arrayContaining(['R-DISP-LA-2', 'R-DISP-LA-3']));
    expect(a.basis).toContain('LA-H keeps paying the council share meanwhile (the person is present in its area, R-DISP-LA-2).');
  });

  it('starts nothing when the engine finds no duty to fund', () => {
    const f = facts('2024-06-01', [settledInA, detained('2024-01-10', '2')]);
    expect(atSubmission(submitted({ facts: f }))).toBeNull();
  });
});

type Step =
  | {
      kind: 'respond';
      party: 'icb' | 'la';
      decision: 'accept' | 'dispute';
      proposedBody?: string;
      about?: 'responsibility' | 'apportionment';
    }
  /** DecideFundingRoute: agreed when both accepted, through the joint panel when it must approve (issue 5). */
  | { kind: 'route'; panel: 'not-needed' | 'approves' | 'does-not-approve' }
  | { kind: 'interim'; cause: InterimCause }
  /** A dispute outcome (agreement or determination), then the settlement of the interim period. */
  | { kind: 'outcome'; afterDays: number; icb?: string; la?: string; icbBasisPoints?: number }
  /** Both bodies end aftercare jointly: the duty ends on that day. */
  | { kind: 'ending'; afterDays: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('respond' as const),
      party: fc.constantFrom('icb' as const, 'la' as const),
      decision: fc.constantFrom('accept' as const, 'dispute' as const),
      proposedBody: fc.constantFrom(...BODIES),
      about: fc.constantFrom('responsibility' as const, 'apportionment' as const),
    },
    { requiredKeys: ['kind', 'party', 'decision'] },
  ),
  fc.record({
    kind: fc.constant('route' as const),
    panel: fc.constantFrom('not-needed' as const, 'approves' as const, 'does-not-approve' as const),
  }),
  fc.record({
    kind: fc.constant('interim' as const),
    cause: fc.constantFrom<InterimCause>('deadline', 'human-review', 'failure', 'panel'),
  }),
  fc.record(
    {
      kind: fc.constant('outcome' as const),
      afterDays: fc.integer({ min: -30, max: 400 }),
      icb: fc.constantFrom('ICB-A', 'ICB-B'),
      la: fc.constantFrom('LA-A', 'LA-B'),
      icbBasisPoints: fc.integer({ min: 0, max: 10_000 }),
    },
    { requiredKeys: ['kind', 'afterDays'] },
  ),
  fc.record({ kind: fc.constant('ending' as const), afterDays: fc.integer({ min: 1, max: 2 * 365 }) }),
);

const partnershipArb: fc.Arbitrary<Partnership> = fc
  .record({
    interimIcbShare: fc.integer({ min: 0, max: 10_000 }),
    agreedIcbShare: fc.integer({ min: 0, max: 10_000 }),
    icbDisputeShare: fc.integer({ min: 0, max: 10_000 }),
    interimLead: fc.constantFrom('icb' as const, 'la' as const),
  })
  .map((f) => ({ ...partnership, funding: { ...partnership.funding, ...f } }));

const sumOf = (shares: readonly { basisPoints: number }[]): number => shares.reduce((sum, s) => sum + s.basisPoints, 0);

/** Applies one decision as the workflow would, appending the arrangement it makes (if any). */
function apply(app: Application, p: Partnership, step: Step, n: number): Application {
  const id = `arr_${app.arrangements.length + 1}`;
  const at = `2024-06-${String(2 + (n % 20)).padStart(2, '0')}T10:00:00.000Z`;
  const append = (a: FundingArrangement, status: Application['status']): Application => ({
    ...app,
    status,
    arrangements: [...app.arrangements, a],
  });
  switch (step.kind) {
    case 'respond': {
      const body = step.party === 'icb' ? app.determination?.icb.body : app.determination?.localAuthority.body;
      if (!body) return app;
      const request: Parameters<typeof recordResponse>[2] = { decision: step.decision };
      if (step.decision === 'dispute' && step.proposedBody !== undefined) request.proposedBody = step.proposedBody;
      if (step.decision === 'dispute' && step.about !== undefined) request.about = step.about;
      const named = request.proposedBody;
      const proposal = {
        proposed: named === undefined ? null : { code: named, kind: named.startsWith('ICB') ? ('icb' as const) : ('la' as const) },
        members: p.members,
      };
      const out = recordResponse(app, { userId: 'u', org: body }, request, at, proposal);
      return out.kind === 'recorded' ? out.application : app;
    }
    case 'route': {
      if (!app.determination?.icb.body || !app.determination.localAuthority.body) return app;
      if (routeAfterResponses(app) === 'interim') return append(interimArrangement(app, p, 'deadline', id, at), 'interim');
      if (step.panel === 'not-needed') return append(agreedArrangement(app, p, id, at), 'agreed');
      // The panel sees the split it is asked to approve; it must be whole before anyone votes on it.
      const { panelProposal } = applicationPanelGate(app, p, at);
      expect(sumOf(panelProposal.split ?? [])).toBe(10_000);
      return step.panel === 'approves'
        ? append(agreedArrangement(app, p, id, at), 'agreed')
        : append(interimArrangement(app, p, 'panel', id, at), 'interim');
    }
    case 'interim':
      return append(interimArrangement(app, p, step.cause, id, at), 'interim');
    case 'outcome': {
      const classification = classifyDispute(app, kindOf);
      const interim = [...app.arrangements].reverse().find((a) => a.state === 'interim');
      if (classification === null || interim === undefined) return app;
      const dispute = openDispute({
        id: 'd1',
        app,
        classification,
        lead: interim.lead,
        interimArrangementId: interim.id,
        settings: DEFAULT_DISPUTE_SETTINGS,
        at,
      });
      const outcome: NonNullable<typeof dispute.outcome> = {
        stage: dispute.stage,
        kind: 'agreement',
        reason: 'Agreed.',
        decidedBy: 'the bodies',
        recordedBy: { system: 'test' },
        at,
        ruleIds: [],
      };
      if (step.icb !== undefined) outcome.responsibleIcb = step.icb;
      if (step.la !== undefined) outcome.responsibleLa = step.la;
      if (step.icbBasisPoints !== undefined) outcome.split = { icbBasisPoints: step.icbBasisPoints };
      const today = addDays(app.requestedStartDate, step.afterDays);
      const final = finalArrangement(app, { ...dispute, status: 'decided', outcome }, interim, p, id, today, at);
      const settled = append(final, 'settled');
      // The settlement adds recharge entries for the interim period; it moves money, never an arrangement.
      const settlement = interimSettlement(settled, interim, final, p.id, 'stl_1');
      expect(settlement.positions.reduce((sum, b) => sum + b.differencePence, 0)).toBe(0);
      expect(settlement.entries.every((e) => e.pence > 0)).toBe(true);
      return settled;
    }
    case 'ending': {
      const date = addDays(app.requestedStartDate, step.afterDays);
      const ended: CaseEvent = {
        type: 'aftercare-ended',
        date,
        icbAgreed: true,
        laAgreed: true,
        personInvolved: true,
        reasons: ['no-longer-needs-aftercare'],
      };
      return { ...app, facts: { ...app.facts, events: [...app.facts.events, ended] } };
    }
  }
}

/** The last day of the duty: the day before the first joint ending on or after the start, else two years on. */
function lastDayOfDuty(app: Application): LocalDate {
  const endings = app.facts.events
    .filter((e): e is Extract<CaseEvent, { type: 'aftercare-ended' }> => e.type === 'aftercare-ended')
    .filter((e) => e.icbAgreed && e.laAgreed && e.date > app.requestedStartDate)
    .map((e) => e.date)
    .sort();
  return endings[0] === undefined ? addDays(app.requestedStartDate, 2 * 366) : addDays(endings[0], -1);
}

describe('funding in force on every day (property)', () => {
  it('from the requested start date to the end of the duty, every day has a named lead and shares summing to 100%, and decisions only append', () => {
    fc.assert(
      fc.property(
        historyArb(),
        partnershipArb,
        fc.integer({ min: -60, max: 60 }),
        fc.option(fc.constantFrom('LA-A', 'LA-B', 'LA-X'), { nil: undefined }),
        fc.array(stepArb, { maxLength: 12 }),
        (f, p, offset, meetingNeedsNow, steps) => {
          const base = submitted({ facts: f, requestedStartDate: addDays(f.evaluationDate, offset) });
          if (meetingNeedsNow !== undefined) base.meetingNeedsNow = meetingNeedsNow;
          const determination = determine(f, p.ruleConfig);
          const first = submissionArrangement(base, p, determination, 'arr_1', AT);
          fc.pre(first !== null);
          if (first === null) return;
          expect(first).toMatchObject({ state: 'interim', cause: 'submission', startDate: base.requestedStartDate });
          // DetermineResponsibility then records the determination; the bodies answer; decisions follow.
          let app: Application = { ...base, determination, status: 'awaiting-responses', arrangements: [first] };
          steps.forEach((step, n) => {
            const next = apply(app, p, step, n);
            expect(next.arrangements.slice(0, app.arrangements.length)).toStrictEqual(app.arrangements);
            app = next;
          });
          const known = JSON.stringify([app.facts, app.determination, app.responses, app.meetingNeedsNow, app.submittedBy]);
          const faults: string[] = [];
          const last = lastDayOfDuty(app);
          for (let date = app.requestedStartDate; date <= last; date = addDays(date, 1)) {
            const inForce = arrangementOn(app.arrangements, date);
            if (inForce === null) faults.push(`${date}: no arrangement`);
            else if (!/\S/.test(inForce.lead)) faults.push(`${date}: no lead`);
            else if (!inForce.shares.some((s) => s.body === inForce.lead) && !known.includes(`"${inForce.lead}"`))
              faults.push(`${date}: the lead ${inForce.lead} is a body the case does not know`);
            else if (sumOf(inForce.shares) !== 10_000) faults.push(`${date}: shares do not sum to 100%`);
            else if (inForce.shares.some((s) => s.basisPoints <= 0)) faults.push(`${date}: a body listed as paying nothing`);
            if (faults.length > 0) break;
          }
          expect(faults).toStrictEqual([]);
          expect(arrangementOn(app.arrangements, addDays(app.requestedStartDate, -1))).toBeNull();
        },
      ),
      RUNS,
    );
  });
});
