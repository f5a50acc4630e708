/**
 * Review schedule for one s117 episode: which reviews are owed, when each falls due, and which recorded
 * review met it. Pure: dates in, dates out; "today" is an argument.
 *
 * The defaults are the seed documents' (eligibility review within 6 weeks of leaving hospital, the care
 * plan within 3 months, then at least every 12 months, and a review at every move of area). R-REVIEW-1 is
 * [unverified], so every figure is partnership configuration (`Partnership.reviews`), never hard-coded law.
 * @see rules.md R-REVIEW-1, R-PLAN-1, R-END-3 (decisions to end follow a joint review involving the person)
 */
import { addDays, addMonths, type LocalDate } from '../dates.ts';
import type { CaseEvent, OrgCode } from '../facts.ts';

export interface ReviewSettings {
  /** First review (is the person still eligible, is the plan working) within this many weeks of leaving hospital. */
  eligibilityReviewWeeks: number;
  /** Care plan review within this many months of leaving hospital. */
  carePlanReviewMonths: number;
  /** Then at least every this many months after the last review. */
  thenEveryMonths: number;
  /** A review within this many weeks of each move to another council's area (0: no review on a move). */
  moveReviewWeeks: number;
  /** The named practitioner is reminded this many days before a review falls due. */
  reminderLeadDays: number;
  /** While a review is overdue, the escalation is repeated every this many days. */
  escalationRepeatDays: number;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = Object.freeze({
  eligibilityReviewWeeks: 6,
  carePlanReviewMonths: 3,
  thenEveryMonths: 12,
  moveReviewWeeks: 6,
  reminderLeadDays: 14,
  escalationRepeatDays: 14,
});

export type ReviewKind = 'eligibility' | 'care-plan' | 'annual' | 'move';
export const REVIEW_OUTCOMES = ['continue', 'change-plan', 'recommend-ending'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface ReviewParticipant {
  name: string;
  role: string;
}

/** A review as recorded on the register. */
export interface Review {
  id: string;
  date: LocalDate;
  outcome: ReviewOutcome;
  /** Whether the person took part (the Code of Practice expects it). */
  personTookPart: boolean;
  participants: ReviewParticipant[];
  notes?: string;
  recordedAt: string;
  recordedBy: { userId: string; org: OrgCode };
}

/** A review owed: what triggered it and by when. */
export interface ReviewObligation {
  /** Stable within the episode: `eligibility`, `care-plan`, `move-<date>`, `annual-<due>`. */
  key: string;
  kind: ReviewKind;
  /** The day the obligation arose (leaving hospital, a move, the last review). */
  from: LocalDate;
  due: LocalDate;
  /** The review that met it, if one has. */
  metBy?: { reviewId: string; date: LocalDate; inDate: boolean };
  ruleIds: string[];
}

export interface ScheduleInput {
  /** The day the duty arose (the person left hospital); no reviews are owed before it. */
  arose: LocalDate | undefined;
  /** The day the episode ended, if it has: obligations falling due after it are no longer owed. */
  ended: LocalDate | undefined;
  /** The person's facts (moves of area are read from residence events after the duty arose). */
  events: readonly CaseEvent[];
  reviews: readonly Pick<Review, 'id' | 'date'>[];
}

/** Moves to another council's area after `arose`: a residence whose council differs from the one before. */
export function movesOfArea(events: readonly CaseEvent[], arose: LocalDate): LocalDate[] {
  const residences = events.filter((e) => e.type === 'residence').sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const moves: LocalDate[] = [];
  let council: string | undefined;
  for (const r of residences) {
    const next = r.area.la ?? `${r.area.country}`;
    if (council !== undefined && next !== council && r.from > arose) moves.push(r.from);
    council = next;
  }
  return [...new Set(moves)];
}

/**
 * The reviews owed for an episode, in order of due date, each with the review that met it. A recorded
 * review meets the earliest-due outstanding obligation it can (one that had arisen by its date); once the
 * care plan review is met, each review restarts the 12-month clock.
 * @see rules.md R-REVIEW-1
 */
export function reviewSchedule(input: ScheduleInput, settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS): ReviewObligation[] {
  const { arose } = input;
  if (arose === undefined) return [];
  const rule = ['R-REVIEW-1'];
  const fixed: ReviewObligation[] = [
    { key: 'eligibility', kind: 'eligibility', from: arose, due: addDays(arose, settings.eligibilityReviewWeeks * 7), ruleIds: rule },
    { key: 'care-plan', kind: 'care-plan', from: arose, due: addMonths(arose, settings.carePlanReviewMonths), ruleIds: rule },
  ];
  if (settings.moveReviewWeeks > 0) {
    for (const move of movesOfArea(input.events, arose)) {
      fixed.push({ key: `move-${move}`, kind: 'move', from: move, due: addDays(move, settings.moveReviewWeeks * 7), ruleIds: rule });
    }
  }
  const out: ReviewObligation[] = [];
  const pending = [...fixed].sort(byDue);
  let annualAnchor: LocalDate | null = null;
  const reviews = [...input.reviews]
    .filter((r) => r.date >= arose && (input.ended === undefined || r.date <= input.ended))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  for (const r of reviews) {
    const annualDue = annualAnchor === null ? null : addMonths(annualAnchor, settings.thenEveryMonths);
    const index = pending.findIndex((o) => o.from <= r.date);
    const candidate = index >= 0 ? pending[index] : undefined;
    if (candidate !== undefined && (annualDue === null || candidate.due <= annualDue)) {
      pending.splice(index, 1);
      out.push({ ...candidate, metBy: { reviewId: r.id, date: r.date, inDate: r.date <= candidate.due } });
      if (candidate.kind === 'care-plan' || annualAnchor !== null) annualAnchor = r.date;
    } else if (annualAnchor !== null && annualDue !== null) {
      out.push({
        key: `annual-${annualDue}`,
        kind: 'annual',
        from: annualAnchor,
        due: annualDue,
        metBy: { reviewId: r.id, date: r.date, inDate: r.date <= annualDue },
        ruleIds: rule,
      });
      annualAnchor = r.date;
    }
  }
  out.push(...pending);
  if (annualAnchor !== null) {
    const due = addMonths(annualAnchor, settings.thenEveryMonths);
    out.push({ key: `annual-${due}`, kind: 'annual', from: annualAnchor, due, ruleIds: rule });
  }
  const owed = input.ended === undefined ? out : out.filter((o) => o.metBy !== undefined || o.due < (input.ended as LocalDate));
  return owed.sort(byDue);
}

function byDue(a: ReviewObligation, b: ReviewObligation): number {
  return a.due < b.due ? -1 : a.due > b.due ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The earliest review still owed, if any. */
export function nextReview(schedule: readonly ReviewObligation[]): ReviewObligation | undefined {
  return schedule.find((o) => o.metBy === undefined);
}

/** Reviews are in date on `asOf` when none that has fallen due is still waiting to be held. */
export function reviewsInDate(schedule: readonly ReviewObligation[], asOf: LocalDate): boolean {
  return overdue(schedule, asOf).length === 0;
}

/** Overdue on `asOf`: owed, not yet held, and its due date has passed. */
export function overdue(schedule: readonly ReviewObligation[], asOf: LocalDate): ReviewObligation[] {
  return schedule.filter((o) => o.metBy === undefined && o.due < asOf);
}

/** When to remind and when to escalate for an obligation: reminder lead days before, and the day after it falls due. */
export function reviewTimes(
  obligation: ReviewObligation,
  settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
): { remindOn: LocalDate; escalateOn: LocalDate } {
  const remindOn = addDays(obligation.due, -settings.reminderLeadDays);
  return { remindOn: remindOn < obligation.from ? obligation.from : remindOn, escalateOn: addDays(obligation.due, 1) };
}
