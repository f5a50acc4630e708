/**
 * Endings the law allows, as the register applies them (issue 14 item 5): R-END-1, R-END-3 to R-END-7, R-ELIG-2,
 * R-ELIG-4, R-DEF-1. The engine's refusal comes back naming the field and the rule.
 */
import { describe, expect, it } from 'vitest';
import {
  applyDecision,
  applyPanelDecision,
  engineJudgement,
  judgeRecommendation,
  jointReviewFor,
  type EndingPanelDecision,
  type EndingRecommendation,
  type EndingRequest,
} from '#domain/register/ending.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import type { AftercareEndReason, CaseEvent } from '#domain/facts.ts';
import { cto, detained, discharged, endAftercare, home, informal, settledInA } from '../../support/case-builder.ts';

const base: CaseEvent[] = [...settledInA, detained('2023-01-10'), ...discharged('2023-06-01')];
const request = (
  proposedEndDate: string,
  extra: { reasons?: AftercareEndReason[]; involved?: boolean; blank?: boolean } = {},
): EndingRequest => ({
  proposedEndDate,
  reasons: extra.reasons ?? ['no-longer-needs-aftercare'],
  report: {
    personViews: extra.blank === true ? '  ' : 'I feel well and want to manage on my own.',
    personInvolved: extra.involved ?? true,
    needsNoLongerArise: extra.blank === true ? '' : 'Needs arising from the disorder are met by universal services.',
    readmissionRiskReasoning: extra.blank === true ? '' : 'Stable for two years without support.',
    responsibleClinician: { name: 'Dr A', confirmed: extra.blank !== true, date: '2024-04-01' },
    socialCareManager: { name: 'B', council: 'LA-A', confirmed: extra.blank !== true, date: '2024-04-01' },
    involvement: { date: '2023-06-01', form: 'review-meeting' as const },
    personLetterSentOn: '2023-06-01',
  },
});
/** `arose` null: the duty has not arisen. */
/** The joint review that considered ending (R-END-6): held soon after the duty arose, before any proposed end date here. */
const REVIEWED = [{ id: 'rev_1', date: '2023-06-01', outcome: 'recommend-ending' as const }];
const judge = (
  events: CaseEvent[],
  req: EndingRequest,
  arose: string | null = '2023-06-01',
  reviews: readonly { id: string; date: string; outcome: 'continue' | 'change-plan' | 'recommend-ending' }[] = REVIEWED,
) => judgeRecommendation(events, req, DEFAULT_RULE_CONFIG, arose ?? undefined, reviews).map((p) => [p.field, p.ruleIds]);

describe('judgeRecommendation', () => {
  it('a complete, lawful recommendation has no problems', () => {
    expect(judge(base, request('2024-05-01'))).toEqual([]);
  });

  it('refuses an ending no joint review considered (R-END-6), naming report.jointReviewId', () => {
    expect(judge(base, request('2024-05-01'), '2023-06-01', [])).toEqual([['report.jointReviewId', ['R-END-6']]]);
    // A review that only continued the plan is not, by itself, the review that considered ending...
    expect(judge(base, request('2024-05-01'), '2023-06-01', [{ id: 'rev_2', date: '2023-07-01', outcome: 'continue' }])).toEqual([
      ['report.jointReviewId', ['R-END-6']],
    ]);
    // ...unless the recommendation names it.
    const named = request('2024-05-01');
    named.report.jointReviewId = 'rev_2';
    expect(judge(base, named, '2023-06-01', [{ id: 'rev_2', date: '2023-07-01', outcome: 'continue' }])).toEqual([]);
  });

  it('refuses a named review that is not one of the episode, or is after the proposed end date', () => {
    const named = request('2024-05-01');
    named.report.jointReviewId = 'rev_9';
    expect(judge(base, named)).toEqual([['report.jointReviewId', ['R-END-6']]]);
    named.report.jointReviewId = 'rev_1';
    // On the day itself it counts; the day after it does not.
    expect(judge(base, named, '2023-06-01', [{ id: 'rev_1', date: '2024-05-01', outcome: 'recommend-ending' }])).toEqual([]);
    expect(judge(base, named, '2023-06-01', [{ id: 'rev_1', date: '2024-05-02', outcome: 'recommend-ending' }])).toEqual([
      ['report.jointReviewId', ['R-END-6']],
    ]);
  });

  it('rests on the latest recommend-ending review on or before the end date when none is named', () => {
    const reviews = [
      { id: 'rev_1', date: '2023-07-01', outcome: 'recommend-ending' as const },
      { id: 'rev_2', date: '2024-04-01', outcome: 'recommend-ending' as const },
      { id: 'rev_3', date: '2024-06-01', outcome: 'recommend-ending' as const },
    ];
    expect(jointReviewFor(request('2024-05-01'), reviews)?.id).toBe('rev_2');
    expect(jointReviewFor(request('2023-06-30'), reviews)).toBeNull();
  });

  it('an incomplete report names every field (R-END-3, R-DEF-1, R-END-1)', () => {
    expect(judge(base, request('2024-05-01', { blank: true })).map(([f]) => f)).toEqual([
      'report.personViews',
      'report.needsNoLongerArise',
      'report.readmissionRiskReasoning',
      'report.responsibleClinician.confirmed',
      'report.socialCareManager.confirmed',
    ]);
  });

  it('nothing to end before the person has left hospital (R-ELIG-2)', () => {
    expect(judge(base, request('2024-05-01'), null)).toEqual([['proposedEndDate', ['R-ELIG-2']]]);
  });

  it.each([
    { date: '2023-05-31', problems: [['proposedEndDate', ['R-ELIG-2']]] },
    { date: '2023-06-01', problems: [] },
  ])('an end date of $date, the duty having arisen on 1 June 2023', ({ date, problems }) => {
    expect(judge(base, request(date))).toEqual(problems);
  });

  it.each([
    {
      name: 'on a CTO (R-ELIG-4, R-END-4(a))',
      events: [...settledInA, detained('2023-01-10'), ...discharged('2023-06-01', 'community-treatment-order'), cto('2023-06-01')],
      req: request('2024-05-01'),
      field: 'proposedEndDate',
      rules: ['R-ELIG-4', 'R-END-4'],
    },
    {
      name: 'a Code 33.22 reason alone (R-END-3)',
      events: base,
      req: request('2024-05-01', { reasons: ['time-elapsed'] }),
      field: 'reasons',
      rules: ['R-END-3'],
    },
    {
      name: 'without the person (R-END-5)',
      events: base,
      req: request('2024-05-01', { involved: false }),
      field: 'report.personInvolved',
      rules: ['R-END-5'],
    },
    {
      name: 'during an informal admission (R-END-4(c))',
      events: [...base, informal('2024-04-20')],
      req: request('2024-05-01'),
      field: 'proposedEndDate',
      rules: ['R-END-4'],
    },
    {
      name: 'while in s117-funded accommodation (R-END-7)',
      events: [...base, home('2023-06-01', 'LA-A', 'ICB-A', { setting: 'care-home', arrangedBy: { body: 'LA-A', under: 'mha-s117' } })],
      // A move is recorded in the report, but the facts still show the person in the care home on the day.
      req: {
        ...request('2024-05-01'),
        report: { ...request('2024-05-01').report, accommodationMove: { movedOn: '2024-04-01', to: 'Own flat' } },
      },
      field: 'proposedEndDate',
      rules: ['R-END-7'],
    },
  ])('the engine refuses an ending $name', ({ events, req, field, rules }) => {
    expect(judge(events, req)).toEqual([[field, rules]]);
  });

  describe("the person's part before any body or panel is asked (issue 17 item 6)", () => {
    const without = (field: 'involvement' | 'personLetterSentOn'): EndingRequest => {
      const r = request('2024-05-01');
      return { ...r, report: { ...r.report, [field]: undefined } };
    };
    const inCareHome = home('2023-06-01', 'LA-A', 'ICB-A', { setting: 'care-home', arrangedBy: { body: 'LA-A', under: 'mha-s117' } });
    const ownFlat = home('2024-03-01', 'LA-A', 'ICB-A');

    it('refuses an ending without evidence of the involvement (date and form), naming R-END-5', () => {
      expect(judge(base, without('involvement'))).toEqual([['report.involvement', ['R-END-5']]]);
      const late = request('2024-05-01');
      late.report.involvement = { date: '2024-05-02', form: 'telephone' };
      expect(judge(base, late)).toEqual([['report.involvement.date', ['R-END-5']]]);
      const early = request('2024-05-01');
      early.report.involvement = { date: '2023-05-31', form: 'telephone' };
      expect(judge(base, early)).toEqual([['report.involvement.date', ['R-END-5']]]);
    });

    it('refuses an ending before the person was sent the letter, naming R-END-5 and R-CHG-6', () => {
      expect(judge(base, without('personLetterSentOn'))).toEqual([['report.personLetterSentOn', ['R-END-5', 'R-CHG-6']]]);
      const late = request('2024-05-01');
      late.report.personLetterSentOn = '2024-05-02';
      expect(judge(base, late)).toEqual([['report.personLetterSentOn', ['R-END-5', 'R-CHG-6']]]);
    });

    it('asks for the move out of s117-funded accommodation only where the person lived in it during the episode (R-END-7)', () => {
      // Moved out of the s117 care home to their own flat on 1 March: the move must be recorded, before the ending.
      const moved = [...base, inCareHome, ownFlat];
      expect(judge(moved, request('2024-05-01'))).toEqual([['report.accommodationMove', ['R-END-7']]]);
      const recorded = request('2024-05-01');
      recorded.report.accommodationMove = { movedOn: '2024-03-01', to: 'Own tenancy' };
      expect(judge(moved, recorded)).toEqual([]);
      recorded.report.accommodationMove = { movedOn: '2024-05-02', to: 'Own tenancy' };
      expect(judge(moved, recorded)).toEqual([['report.accommodationMove.movedOn', ['R-END-7']]]);
      // A service marked as s117-funded accommodation counts too; none at all: nothing to ask.
      const service: CaseEvent = {
        type: 'aftercare-service',
        from: '2023-06-01',
        to: '2024-02-28',
        kind: 'specialist-accommodation',
        s117FundedAccommodation: true,
      };
      expect(judge([...base, service], request('2024-05-01'))).toEqual([['report.accommodationMove', ['R-END-7']]]);
      expect(judge(base, request('2024-05-01'))).toEqual([]);
    });

    it('with every piece present it passes, and a missing involvement is reported with the other gaps at once', () => {
      expect(judge(base, request('2024-05-01'))).toEqual([]);
      const r = without('involvement');
      delete r.report.personLetterSentOn;
      expect(judge(base, r).map(([f]) => f)).toEqual(['report.involvement', 'report.personLetterSentOn']);
    });
  });

  it('no duty in force on the proposed date (already lawfully ended)', () => {
    const events = [...base, endAftercare('2024-01-01', ['no-longer-needs-aftercare'])];
    expect(judge(events, request('2024-05-01'))).toEqual([['proposedEndDate', ['R-END-1']]]);
  });

  it('engineJudgement gives the engine reason and rule ids', () => {
    const e = {
      type: 'aftercare-ended' as const,
      date: '2024-05-01',
      icbAgreed: true,
      laAgreed: false,
      personInvolved: true,
      reasons: ['no-longer-needs-aftercare' as const],
    };
    expect(engineJudgement(base, e, DEFAULT_RULE_CONFIG)).toMatchObject({ lawful: false, ruleIds: ['R-END-1'] });
  });
});

const rec = (over: Partial<EndingRecommendation> = {}): EndingRecommendation => ({
  id: 'E-1',
  episodeId: 'EP-1',
  version: 1,
  state: 'awaiting-panel',
  route: 'joint-decisions',
  request: request('2024-05-01'),
  recommendedBy: { userId: 'u1', org: 'LA-A' },
  recommendedAt: '2024-04-01T10:00:00.000Z',
  bodies: { icb: 'ICB-A', la: 'LA-A' },
  decisions: {},
  ...over,
});
const decide = (party: 'icb' | 'la', agree: boolean, body = party === 'icb' ? 'ICB-A' : 'LA-A') => ({
  party,
  body,
  agree,
  at: '2024-04-02T10:00:00.000Z',
  by: 'u2',
});

describe('applyDecision (R-END-1: both bodies, never one alone)', () => {
  it('one agreement waits for the other; both take effect', () => {
    const first = applyDecision(rec(), decide('icb', true));
    expect(first).toMatchObject({ kind: 'recorded', takesEffect: false, recommendation: { state: 'awaiting-panel', version: 2 } });
    if (first.kind !== 'recorded') throw new Error('expected recorded');
    expect(applyDecision(first.recommendation, decide('la', true))).toMatchObject({
      takesEffect: true,
      recommendation: { state: 'agreed' },
    });
  });

  it('a disagreement declines; a decided recommendation takes no more decisions', () => {
    const declined = applyDecision(rec(), decide('la', false));
    expect(declined).toMatchObject({ recommendation: { state: 'declined' } });
    if (declined.kind !== 'recorded') throw new Error('expected recorded');
    expect(applyDecision(declined.recommendation, decide('icb', true))).toMatchObject({ kind: 'rejected', code: 'closed' });
  });

  it('only the responsible body decides for its side', () => {
    expect(applyDecision(rec(), decide('icb', true, 'ICB-X'))).toMatchObject({ kind: 'rejected', code: 'not-responsible-body' });
  });

  it('the same decision again is idempotent; a different one is refused', () => {
    const once = applyDecision(rec(), decide('icb', true));
    if (once.kind !== 'recorded') throw new Error('expected recorded');
    expect(applyDecision(once.recommendation, decide('icb', true))).toMatchObject({ kind: 'recorded', takesEffect: false });
    expect(applyDecision(once.recommendation, decide('icb', false))).toMatchObject({ kind: 'rejected', code: 'already-decided' });
  });
});

describe('applyPanelDecision', () => {
  const vote = (side: 'icb' | 'la', decision: 'approve' | 'reject' = 'approve') => ({
    memberId: `m-${side}`,
    name: `Member ${side}`,
    organisation: side === 'icb' ? 'ICB-A' : 'LA-A',
    side,
    decision,
    at: '2024-04-03T10:00:00.000Z',
  });
  const panel = (outcome: EndingPanelDecision['outcome'], votes = [vote('icb'), vote('la')]): EndingPanelDecision => ({
    panelRequestId: 'P-1',
    outcome,
    votes,
    decidedAt: '2024-04-03T10:00:00.000Z',
    reasons: [],
  });
  const lawful = () => ({ lawful: true, reason: 'both agreed', ruleIds: ['R-END-1'] });

  it('an approval with both sides, still lawful, takes effect for both bodies', () => {
    const r = applyPanelDecision(rec({ route: 'panel' }), panel('approved'), lawful);
    expect(r).toMatchObject({ kind: 'decided', takesEffect: true, recommendation: { state: 'agreed' } });
  });

  it.each(['rejected', 'more-information', 'no-decision'] as const)('%s: declined, aftercare continues', (outcome) => {
    expect(applyPanelDecision(rec(), panel(outcome), lawful)).toMatchObject({
      takesEffect: false,
      ruleIds: ['R-END-1'],
      recommendation: { state: 'declined' },
    });
  });

  it('an approval with no council vote is not an ending (R-END-1)', () => {
    expect(applyPanelDecision(rec(), panel('approved', [vote('icb')]), lawful)).toMatchObject({ takesEffect: false });
  });

  it('an approval the engine now refuses does not take effect, naming its rules', () => {
    const r = applyPanelDecision(rec(), panel('approved'), () => ({ lawful: false, reason: 'on a CTO', ruleIds: ['R-ELIG-4', 'R-END-4'] }));
    expect(r).toMatchObject({ takesEffect: false, ruleIds: ['R-ELIG-4', 'R-END-4'] });
  });

  it('no responsible council: cannot be agreed by both', () => {
    expect(applyPanelDecision(rec({ bodies: { icb: 'ICB-A', la: null } }), panel('approved'), lawful)).toMatchObject({
      takesEffect: false,
    });
  });

  it('a recommendation already decided is left as it is', () => {
    expect(applyPanelDecision(rec({ state: 'agreed' }), panel('approved'), lawful)).toMatchObject({ kind: 'unchanged' });
  });
});
