/**
 * Ending s117 aftercare: a recommendation with the report the Code of Practice expects, judged by the
 * engine's own ending rules (never while on a CTO, never by one body alone, never resting only on a Code of
 * Practice 33.22 reason), then decided jointly by the ICB and the council: by the partnership's joint panel when
 * it has one (`route: 'panel'`, `applyPanelDecision`: both parties through `applyDecision` at once), otherwise by
 * each body's own decision (`route: 'joint-decisions'`).
 * @see rules.md R-END-1, R-END-3 to R-END-7, R-ELIG-4, R-ELIG-5, R-LA-16
 */
import type { Instant } from '../applications/application.ts';
import type { LocalDate } from '../dates.ts';
import type { Rejection } from '../errors.ts';
import type { AftercareEndedEvent, AftercareEndReason, CaseEvent, OrgCode } from '../facts.ts';
import { inS117AccommodationOn, readHistory } from '../responsibility/history.ts';
import type { RuleConfig } from '../rules/config.ts';
import type { Review } from './reviews.ts';

/** The report a recommendation to end must carry. */
export interface EndingReport {
  /** The person's own views, in their words or as recorded with them. */
  personViews: string;
  /** Whether the person took part in the review that led to the recommendation. */
  personInvolved: boolean;
  /** Why the person's needs no longer arise from or relate to their mental disorder (s117(6)). */
  needsNoLongerArise: string;
  /** Why there is no longer a risk of deterioration and readmission if aftercare ends. */
  readmissionRiskReasoning: string;
  responsibleClinician: { name: string; confirmed: boolean; date: LocalDate };
  socialCareManager: { name: string; council: OrgCode; confirmed: boolean; date: LocalDate };
  /**
   * The register review at which both bodies considered ending (R-END-6). Absent: the episode's latest review
   * with the outcome 'recommend-ending' on or before the proposed end date.
   */
  jointReviewId?: string | undefined;
  /** Evidence of the person's involvement in the decision: when and how (R-END-5). Required before the bodies are asked. */
  involvement?: PersonInvolvement | undefined;
  /**
   * The move out of s117-funded accommodation, arranged before the ending (R-END-7): required when the person lived in
   * such accommodation during the episode.
   */
  accommodationMove?: { movedOn: LocalDate; to: string } | undefined;
  /** The letter telling the person of the proposed ending, its reasons and how to challenge it: when it was sent (R-END-5). */
  personLetterSentOn?: LocalDate | undefined;
}

export const INVOLVEMENT_FORMS = ['review-meeting', 'meeting', 'telephone', 'video', 'in-writing', 'through-advocate'] as const;
export type InvolvementForm = (typeof INVOLVEMENT_FORMS)[number];

/** How the person took part in the decision to end (R-END-5: date and form), and who supported them. */
export interface PersonInvolvement {
  date: LocalDate;
  form: InvolvementForm;
  /** A carer, advocate (IMHA, IMCA) or representative took part with the person. */
  supportedBy?: ('carer' | 'advocate' | 'representative')[] | undefined;
}

export interface EndingRequest {
  /** The date aftercare would end. */
  proposedEndDate: LocalDate;
  reasons: AftercareEndReason[];
  report: EndingReport;
}

export type Party = 'icb' | 'la';

export interface BodyDecision {
  party: Party;
  body: OrgCode;
  agree: boolean;
  reason?: string;
  at: Instant;
  by: string;
}

export const ENDING_STATES = ['awaiting-panel', 'agreed', 'declined', 'reinstated'] as const;
export type EndingState = (typeof ENDING_STATES)[number];

/** A recommendation to end an episode's aftercare (`PERSON#<ref>` / `ENDING#<n>#<id>`). */
export interface EndingRecommendation {
  id: string;
  episodeId: string;
  version: number;
  state: EndingState;
  /** Who decides: the partnership's joint panel ('panel'), or each body through the API when there is no panel. */
  route: 'joint-decisions' | 'panel';
  request: EndingRequest;
  recommendedBy: { userId: string; org: OrgCode; email?: string };
  recommendedAt: Instant;
  bodies: { icb: OrgCode | null; la: OrgCode | null };
  decisions: Partial<Record<Party, BodyDecision>>;
  /** The key of the aftercare-ended fact recorded when both agreed. */
  endedEventKey?: string;
  /** The joint panel's decision (route 'panel'): outcome, who voted and how, and its reasons. */
  panel?: EndingPanelDecision;
  /** Why a recommendation was declined without both bodies disagreeing through the API (the panel, or the engine re-judging). */
  closedReasons?: string[];
  reinstatement?: { at: Instant; by: string; reason: string };
}

export interface EndingProblem {
  /** The request field at fault, e.g. `reasons` or `report.responsibleClinician.confirmed`. */
  field: string;
  message: string;
  ruleIds: string[];
}

/**
 * The fact an agreed recommendation becomes. A recommendation exists only once judgeRecommendation found the
 * joint review that considered ending, so its fact records that one was held (R-END-6) unless told otherwise.
 */
export function endingEvent(request: EndingRequest, agreed: { icb: boolean; la: boolean }, jointReviewHeld = true): AftercareEndedEvent {
  return {
    type: 'aftercare-ended',
    date: request.proposedEndDate,
    icbAgreed: agreed.icb,
    laAgreed: agreed.la,
    personInvolved: request.report.personInvolved,
    reasons: [...request.reasons],
    jointReviewHeld,
  };
}

/**
 * The joint review a recommendation rests on (R-END-6): the one it names, if that is a review of the episode on or
 * before the proposed end date; else the episode's latest such review with the outcome 'recommend-ending'.
 */
export function jointReviewFor(
  request: EndingRequest,
  reviews: readonly Pick<Review, 'id' | 'date' | 'outcome'>[],
): Pick<Review, 'id' | 'date'> | null {
  const before = reviews.filter((r) => r.date <= request.proposedEndDate);
  const named = request.report.jointReviewId;
  if (named !== undefined) return before.find((r) => r.id === named) ?? null;
  return (
    before
      .filter((r) => r.outcome === 'recommend-ending')
      .sort((a, b) => (a.date < b.date ? -1 : 1))
      .at(-1) ?? null
  );
}

/**
 * Whether a recommendation may go to the bodies: the report is complete and confirmed, and the engine, given
 * the would-be aftercare-ended event with both bodies agreeing, ends the duty lawfully. The engine's refusal
 * (a CTO, a Code 33.22 reason alone) comes back as problems naming the fields.
 * @see rules.md R-END-1, R-END-3, R-ELIG-4
 */
export function judgeRecommendation(
  events: readonly CaseEvent[],
  request: EndingRequest,
  config: RuleConfig,
  episodeArose: LocalDate | undefined,
  reviews: readonly Pick<Review, 'id' | 'date' | 'outcome'>[],
): EndingProblem[] {
  const problems: EndingProblem[] = [];
  const r = request.report;
  const blank = (s: string) => s.trim().length === 0;
  if (blank(r.personViews)) problems.push({ field: 'report.personViews', message: "must record the person's views", ruleIds: ['R-END-3'] });
  if (blank(r.needsNoLongerArise))
    problems.push({
      field: 'report.needsNoLongerArise',
      message: 'must say why the needs no longer arise from the mental disorder',
      ruleIds: ['R-DEF-1'],
    });
  if (blank(r.readmissionRiskReasoning))
    problems.push({ field: 'report.readmissionRiskReasoning', message: 'must say why readmission is not a risk', ruleIds: ['R-DEF-1'] });
  if (!r.responsibleClinician.confirmed)
    problems.push({
      field: 'report.responsibleClinician.confirmed',
      message: 'the responsible clinician must confirm',
      ruleIds: ['R-END-3'],
    });
  if (!r.socialCareManager.confirmed)
    problems.push({
      field: 'report.socialCareManager.confirmed',
      message: 'a council social care manager must confirm',
      ruleIds: ['R-END-1'],
    });
  if (episodeArose === undefined) {
    problems.push({
      field: 'proposedEndDate',
      message: 'the duty has not arisen yet (the person has not left hospital), so there is nothing to end',
      ruleIds: ['R-ELIG-2'],
    });
    return problems;
  }
  if (request.proposedEndDate < episodeArose) {
    problems.push({ field: 'proposedEndDate', message: 'is before the duty arose', ruleIds: ['R-ELIG-2'] });
    return problems;
  }
  problems.push(...personEvidenceProblems(events, request, episodeArose));
  const review = jointReviewFor(request, reviews);
  if (review === null && request.report.jointReviewId !== undefined) {
    problems.push({
      field: 'report.jointReviewId',
      message: `is not a review of this episode held on or before ${request.proposedEndDate}`,
      ruleIds: ['R-END-6'],
    });
    return problems;
  }
  const ending = engineJudgement(events, endingEvent(request, { icb: true, la: true }, review !== null), config);
  if (ending !== null && !ending.lawful) {
    const field =
      ending.ruleIds.includes('R-ELIG-4') || ending.ruleIds.includes('R-END-4') || ending.ruleIds.includes('R-END-7')
        ? 'proposedEndDate'
        : ending.ruleIds.includes('R-END-3')
          ? 'reasons'
          : ending.ruleIds.includes('R-END-5')
            ? 'report.personInvolved'
            : ending.ruleIds.includes('R-END-6')
              ? 'report.jointReviewId'
              : 'decisions';
    problems.push({ field, message: `the engine refuses this ending: ${ending.reason}`, ruleIds: ending.ruleIds });
  }
  if (ending === null)
    problems.push({ field: 'proposedEndDate', message: 'no aftercare duty is in force on that date', ruleIds: ['R-END-1'] });
  return problems;
}

/** Whether the person lived in accommodation funded as s117 aftercare on any day from `from` to `to` (R-END-7). */
export function livedInS117Accommodation(events: readonly CaseEvent[], from: LocalDate, to: LocalDate): boolean {
  const residences = events.filter((e) => e.type === 'residence');
  const services = events.filter((e) => e.type === 'aftercare-service');
  const changes = [from, ...residences.map((r) => r.from), ...services.map((s) => s.from)].filter((d) => d >= from && d <= to);
  return changes.some((d) => inS117AccommodationOn(residences, services, d));
}

/**
 * The evidence about the person a recommendation must carry before any body or panel is asked (issue 17 item 6):
 * the person's involvement, its date and form (R-END-5); the move out of s117-funded accommodation where the person
 * lived in it during the episode (R-END-7); and the letter telling the person of the proposed ending (R-END-5, R-CHG-6).
 * Each missing or inconsistent piece is a problem naming its field and rule.
 * @see rules.md R-END-5, R-END-7, R-CHG-6
 */
export function personEvidenceProblems(events: readonly CaseEvent[], request: EndingRequest, arose: LocalDate): EndingProblem[] {
  const problems: EndingProblem[] = [];
  const r = request.report;
  const end = request.proposedEndDate;
  if (r.personInvolved && r.involvement === undefined)
    problems.push({
      field: 'report.involvement',
      message: "must record when and how the person was involved in the decision to end (the person's involvement is essential)",
      ruleIds: ['R-END-5'],
    });
  if (r.involvement !== undefined && (r.involvement.date > end || r.involvement.date < arose))
    problems.push({
      field: 'report.involvement.date',
      message: `must fall within the episode (from ${arose}) and on or before the proposed end date ${end}`,
      ruleIds: ['R-END-5'],
    });
  if (livedInS117Accommodation(events, arose, end)) {
    if (r.accommodationMove === undefined)
      problems.push({
        field: 'report.accommodationMove',
        message:
          'the person lived in accommodation funded as s117 aftercare during this episode: record the move to other accommodation arranged before the ending',
        ruleIds: ['R-END-7'],
      });
    else if (r.accommodationMove.movedOn > end)
      problems.push({
        field: 'report.accommodationMove.movedOn',
        message: `the move must come before aftercare ends (on or before ${end})`,
        ruleIds: ['R-END-7'],
      });
  }
  if (r.personLetterSentOn === undefined)
    problems.push({
      field: 'report.personLetterSentOn',
      message: 'must record the date the person was sent the letter explaining the proposed ending and how to challenge it',
      ruleIds: ['R-END-5', 'R-CHG-6'],
    });
  else if (r.personLetterSentOn > end)
    problems.push({
      field: 'report.personLetterSentOn',
      message: `the person must be told before aftercare ends (on or before ${end})`,
      ruleIds: ['R-END-5', 'R-CHG-6'],
    });
  return problems;
}

/** The engine's judgement of an aftercare-ended event added to the facts (null when it met no duty to end). */
export function engineJudgement(
  events: readonly CaseEvent[],
  event: AftercareEndedEvent,
  config: RuleConfig,
): { lawful: boolean; reason: string; ruleIds: string[] } | null {
  const history = readHistory({ id: 'ending-check', evaluationDate: event.date, events: [...events, event] }, config);
  const judged =
    history.endings.find((e) => e.event === event) ??
    history.endings.filter((e) => e.date === event.date && e.event.reasons.join() === event.reasons.join()).at(-1);
  return judged === undefined ? null : { lawful: judged.lawful, reason: judged.reason, ruleIds: judged.ruleIds };
}

export type DecisionResult = { kind: 'recorded'; recommendation: EndingRecommendation; takesEffect: boolean } | Rejection;

/**
 * Records one body's decision. The ending takes effect only when both the ICB and the council have agreed
 * (R-END-1); a disagreement declines the recommendation. A body decides once.
 * @see rules.md R-END-1
 */
export function applyDecision(rec: EndingRecommendation, decision: BodyDecision): DecisionResult {
  if (rec.state !== 'awaiting-panel')
    return { kind: 'rejected', code: 'closed', reason: `The recommendation is ${rec.state}; it takes no more decisions.` };
  const expected = decision.party === 'icb' ? rec.bodies.icb : rec.bodies.la;
  if (expected !== decision.body)
    return {
      kind: 'rejected',
      code: 'not-responsible-body',
      reason: `Only ${expected ?? 'the responsible body'} decides for the ${decision.party === 'icb' ? 'ICB' : 'council'}.`,
    };
  const existing = rec.decisions[decision.party];
  if (existing !== undefined) {
    if (existing.agree === decision.agree) return { kind: 'recorded', recommendation: rec, takesEffect: false };
    return { kind: 'rejected', code: 'already-decided', reason: `${existing.body} already decided on this recommendation.` };
  }
  const decisions = { ...rec.decisions, [decision.party]: decision };
  const both = decisions.icb?.agree === true && decisions.la?.agree === true;
  const declined = decisions.icb?.agree === false || decisions.la?.agree === false;
  const state: EndingState = both ? 'agreed' : declined ? 'declined' : 'awaiting-panel';
  return { kind: 'recorded', recommendation: { ...rec, decisions, state, version: rec.version + 1 }, takesEffect: both };
}

/** One panel member's vote, as the ending keeps it (the panel contract's vote view). */
export interface EndingPanelVote {
  memberId: string;
  name: string;
  organisation: OrgCode;
  side: Party;
  decision: 'approve' | 'reject' | 'more-information';
  reason?: string;
  at: Instant;
  onBehalfOf?: string;
}

/** What the joint panel answered about a recommendation (route 'panel'). */
export interface EndingPanelDecision {
  /** Absent when the panel could not be asked or the workflow's wait ended first. */
  panelRequestId?: string;
  outcome: 'approved' | 'rejected' | 'more-information' | 'no-decision';
  votes: EndingPanelVote[];
  decidedAt: Instant;
  reasons: string[];
  /** Why there is no panel answer: the workflow's wait timed out, or the panel could not be asked. */
  cause?: 'timeout' | 'panel-failed';
}

export type PanelEndingResult =
  | { kind: 'unchanged'; recommendation: EndingRecommendation }
  | { kind: 'decided'; recommendation: EndingRecommendation; takesEffect: boolean; reasons: string[]; ruleIds: string[] };

const voterList = (votes: readonly EndingPanelVote[]): string => votes.map((v) => `${v.name} (${v.organisation})`).join(', ');

/**
 * The joint panel decides a recommendation for both bodies at once. An approval takes effect through
 * `applyDecision` for the ICB and the council, each recorded with the members who voted for that side, and
 * only if (1) at least one ICB and one council member approved (never one body alone, R-END-1) and (2) the
 * engine, re-judging the would-be ending on today's facts, still ends the duty lawfully (no CTO, not resting
 * only on a Code 33.22 reason: R-ELIG-4, R-END-3). Anything else closes the recommendation as declined with
 * the reasons, and aftercare continues. A recommendation already decided is left as it is (retries).
 * @see rules.md R-END-1, R-END-3, R-ELIG-4
 */
export function applyPanelDecision(
  rec: EndingRecommendation,
  panel: EndingPanelDecision,
  judge: (event: AftercareEndedEvent) => { lawful: boolean; reason: string; ruleIds: string[] } | null,
): PanelEndingResult {
  if (rec.state !== 'awaiting-panel') return { kind: 'unchanged', recommendation: rec };
  const decline = (reasons: string[], ruleIds: string[]): PanelEndingResult => ({
    kind: 'decided',
    takesEffect: false,
    reasons,
    ruleIds,
    recommendation: { ...rec, state: 'declined', version: rec.version + 1, panel, closedReasons: reasons },
  });
  if (panel.outcome !== 'approved') {
    const why =
      panel.outcome === 'no-decision'
        ? 'The joint panel did not decide in time, so aftercare continues; the recommendation can be made again.'
        : panel.outcome === 'rejected'
          ? 'The joint panel rejected the recommendation, so aftercare continues.'
          : 'The joint panel asked for more information, so aftercare continues; a fuller recommendation can be made again.';
    return decline([why, ...panel.reasons], ['R-END-1']);
  }
  const approvals = (side: Party) => panel.votes.filter((v) => v.side === side && v.decision === 'approve');
  const icb = approvals('icb');
  const la = approvals('la');
  if (icb.length === 0 || la.length === 0) {
    return decline(
      [
        `The panel's approval carried no ${icb.length === 0 ? 'ICB' : 'council'} member's vote; aftercare ends only when both the ICB and the council agree, so it continues.`,
      ],
      ['R-END-1'],
    );
  }
  const judged = judge(endingEvent(rec.request, { icb: true, la: true }));
  if (judged === null || !judged.lawful) {
    return decline(
      [
        `The facts have changed since the recommendation: ${judged?.reason ?? 'no aftercare duty is in force on the proposed date'}. The ending does not take effect.`,
      ],
      judged?.ruleIds ?? ['R-END-1'],
    );
  }
  const by = (votes: readonly EndingPanelVote[]) => `panel:${votes.map((v) => v.memberId).join('+')}`;
  const reasonOf = (votes: readonly EndingPanelVote[]) =>
    `Joint panel${panel.panelRequestId === undefined ? '' : ` ${panel.panelRequestId}`} approved: ${voterList(votes)}.`;
  let current = rec;
  for (const [party, votes] of [
    ['icb', icb],
    ['la', la],
  ] as const) {
    const body = party === 'icb' ? rec.bodies.icb : rec.bodies.la;
    if (body === null)
      return decline(
        [`No ${party === 'icb' ? 'ICB' : 'council'} is responsible for this episode, so the ending cannot be agreed by both bodies.`],
        ['R-END-1'],
      );
    const result = applyDecision(current, { party, body, agree: true, at: panel.decidedAt, by: by(votes), reason: reasonOf(votes) });
    if (result.kind === 'rejected') return decline([result.reason], ['R-END-1']);
    current = result.recommendation;
  }
  if (current.state !== 'agreed') return decline(['The joint decision was not complete.'], ['R-END-1']);
  return {
    kind: 'decided',
    takesEffect: true,
    ruleIds: ['R-END-1', ...judged.ruleIds.filter((r) => r !== 'R-END-1')],
    reasons: [`The joint panel approved for both bodies (ICB: ${voterList(icb)}; council: ${voterList(la)}).`, judged.reason],
    recommendation: { ...current, version: rec.version + 1, panel },
  };
}
