/**
 * Ending s117 aftercare: a recommendation with the report the Code of Practice expects, judged by the
 * engine's own ending rules (never while on a CTO, never by one body alone, never resting only on a Code of
 * Practice 33.22 reason), then decided jointly by the ICB and the council. Until the joint panel feature
 * lands, each body records its decision here (`route: 'joint-decisions'`); the panel can replace that step
 * by deciding the same recommendation (`route: 'panel'`) through `applyDecision` with both parties at once.
 * @see rules.md R-END-1, R-END-3, R-ELIG-4, R-ELIG-5, R-LA-16
 */
import type { Instant } from '../applications/application.ts';
import type { LocalDate } from '../dates.ts';
import type { AftercareEndedEvent, AftercareEndReason, CaseEvent, OrgCode } from '../facts.ts';
import { readHistory } from '../responsibility/history.ts';
import type { RuleConfig } from '../rules/config.ts';

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
  /** Who decides: each body through the API for now; the joint panel once it lands. */
  route: 'joint-decisions' | 'panel';
  request: EndingRequest;
  recommendedBy: { userId: string; org: OrgCode };
  recommendedAt: Instant;
  bodies: { icb: OrgCode | null; la: OrgCode | null };
  decisions: Partial<Record<Party, BodyDecision>>;
  /** The key of the aftercare-ended fact recorded when both agreed. */
  endedEventKey?: string;
  reinstatement?: { at: Instant; by: string; reason: string };
}

export interface EndingProblem {
  /** The request field at fault, e.g. `reasons` or `report.responsibleClinician.confirmed`. */
  field: string;
  message: string;
  ruleIds: string[];
}

/** The fact an agreed recommendation becomes. */
export function endingEvent(request: EndingRequest, agreed: { icb: boolean; la: boolean }): AftercareEndedEvent {
  return {
    type: 'aftercare-ended', date: request.proposedEndDate, icbAgreed: agreed.icb, laAgreed: agreed.la,
    personInvolved: request.report.personInvolved, reasons: [...request.reasons],
  };
}

/**
 * Whether a recommendation may go to the bodies: the report is complete and confirmed, and the engine, given
 * the would-be aftercare-ended event with both bodies agreeing, ends the duty lawfully. The engine's refusal
 * (a CTO, a Code 33.22 reason alone) comes back as problems naming the fields.
 * @see rules.md R-END-1, R-END-3, R-ELIG-4
 */
export function judgeRecommendation(events: readonly CaseEvent[], request: EndingRequest, config: RuleConfig, episodeArose: LocalDate | undefined): EndingProblem[] {
  const problems: EndingProblem[] = [];
  const r = request.report;
  const blank = (s: string) => s.trim().length === 0;
  if (blank(r.personViews)) problems.push({ field: 'report.personViews', message: "must record the person's views", ruleIds: ['R-END-3'] });
  if (blank(r.needsNoLongerArise)) problems.push({ field: 'report.needsNoLongerArise', message: 'must say why the needs no longer arise from the mental disorder', ruleIds: ['R-DEF-1'] });
  if (blank(r.readmissionRiskReasoning)) problems.push({ field: 'report.readmissionRiskReasoning', message: 'must say why readmission is not a risk', ruleIds: ['R-DEF-1'] });
  if (!r.responsibleClinician.confirmed) problems.push({ field: 'report.responsibleClinician.confirmed', message: 'the responsible clinician must confirm', ruleIds: ['R-END-3'] });
  if (!r.socialCareManager.confirmed) problems.push({ field: 'report.socialCareManager.confirmed', message: 'a council social care manager must confirm', ruleIds: ['R-END-1'] });
  if (episodeArose === undefined) {
    problems.push({ field: 'proposedEndDate', message: 'the duty has not arisen yet (the person has not left hospital), so there is nothing to end', ruleIds: ['R-ELIG-2'] });
    return problems;
  }
  if (request.proposedEndDate < episodeArose) {
    problems.push({ field: 'proposedEndDate', message: 'is before the duty arose', ruleIds: ['R-ELIG-2'] });
    return problems;
  }
  const ending = engineJudgement(events, endingEvent(request, { icb: true, la: true }), config);
  if (ending !== null && !ending.lawful) {
    const field = ending.ruleIds.includes('R-ELIG-4') ? 'proposedEndDate' : ending.ruleIds.includes('R-END-3') ? 'reasons' : 'decisions';
    problems.push({ field, message: `the engine refuses this ending: ${ending.reason}`, ruleIds: ending.ruleIds });
  }
  if (ending === null) problems.push({ field: 'proposedEndDate', message: 'no aftercare duty is in force on that date', ruleIds: ['R-END-1'] });
  return problems;
}

/** The engine's judgement of an aftercare-ended event added to the facts (null when it met no duty to end). */
export function engineJudgement(events: readonly CaseEvent[], event: AftercareEndedEvent, config: RuleConfig): { lawful: boolean; reason: string; ruleIds: string[] } | null {
  const history = readHistory({ id: 'ending-check', evaluationDate: event.date, events: [...events, event] }, config);
  const judged = history.endings.find((e) => e.event === event) ?? history.endings.filter((e) => e.date === event.date && e.event.reasons.join() === event.reasons.join()).at(-1);
  return judged === undefined ? null : { lawful: judged.lawful, reason: judged.reason, ruleIds: judged.ruleIds };
}

export type DecisionResult =
  | { kind: 'recorded'; recommendation: EndingRecommendation; takesEffect: boolean }
  | { kind: 'rejected'; status: 404 | 409 | 403; reason: string };

/**
 * Records one body's decision. The ending takes effect only when both the ICB and the council have agreed
 * (R-END-1); a disagreement declines the recommendation. A body decides once.
 * @see rules.md R-END-1
 */
export function applyDecision(rec: EndingRecommendation, decision: BodyDecision): DecisionResult {
  if (rec.state !== 'awaiting-panel') return { kind: 'rejected', status: 409, reason: `The recommendation is ${rec.state}; it takes no more decisions.` };
  const expected = decision.party === 'icb' ? rec.bodies.icb : rec.bodies.la;
  if (expected !== decision.body) return { kind: 'rejected', status: 403, reason: `Only ${expected ?? 'the responsible body'} decides for the ${decision.party === 'icb' ? 'ICB' : 'council'}.` };
  const existing = rec.decisions[decision.party];
  if (existing !== undefined) {
    if (existing.agree === decision.agree) return { kind: 'recorded', recommendation: rec, takesEffect: false };
    return { kind: 'rejected', status: 409, reason: `${existing.body} already decided on this recommendation.` };
  }
  const decisions = { ...rec.decisions, [decision.party]: decision };
  const both = decisions.icb?.agree === true && decisions.la?.agree === true;
  const declined = decisions.icb?.agree === false || decisions.la?.agree === false;
  const state: EndingState = both ? 'agreed' : declined ? 'declined' : 'awaiting-panel';
  return { kind: 'recorded', recommendation: { ...rec, decisions, state, version: rec.version + 1 }, takesEffect: both };
}
