/**
 * The aftercare plan of a register episode: the needs arising from the mental disorder, the services that meet
 * them (each one of the person's applications' service lines), the named care coordinator, the planning meeting
 * (when, who attended, whether the person, their carer and their advocate took part), crisis and contingency
 * arrangements, accommodation, and the next review. Versioned: each version is appended, never rewritten.
 * Who gets a copy is decided here too: the person, the GP, each provider, and each carer or representative the
 * person agreed may be sent letters.
 * @see rules.md R-PLAN-1 (planning starts on admission), R-REVIEW-1 (reviewed at least every 12 months),
 *   R-END-5 (the person, and carers or advocates where appropriate, involved)
 */
import type { Instant } from '../applications/application.ts';
import { addMonths, type LocalDate } from '../dates.ts';
import type { OrgCode } from '../facts.ts';
import type { PersonContacts, Supporter } from './supporters.ts';

export interface PlanNeed {
  /** The plan's own id for the need, referenced by services. */
  id: string;
  description: string;
}

export interface PlanService {
  description: string;
  /** The needs this service meets (ids of `needs`). */
  needIds: string[];
  /** The application and the line of its care plan that fund this service. */
  applicationId: string;
  lineId: string;
  /** The provider; its organisation mailbox receives a copy of the plan when given. */
  provider: { name: string; mailbox?: string };
}

export interface PlanMeeting {
  date: LocalDate;
  attendees: { name: string; role: string }[];
  personTookPart: boolean;
  /** Null: the person has no carer (or none who could be asked). */
  carerTookPart: boolean | null;
  /** Null: the person has no advocate. */
  advocateTookPart: boolean | null;
}

/** The plan as a body records it (one version's content). */
export interface PlanContent {
  needs: PlanNeed[];
  services: PlanService[];
  careCoordinator: { name: string; role: string; email: string };
  meeting: PlanMeeting;
  crisis: { contacts: string; contingency: string };
  accommodation: { description: string; s117Funded: boolean };
  nextReview: LocalDate;
  /** The person's GP practice and its mailbox (an organisation's, never a person's). */
  gp?: { practice: string; mailbox: string };
}

export interface AftercarePlan extends PlanContent {
  /** The client's id for this version: recording the same id again is a retry, not a new version. */
  id: string;
  episodeId: string;
  version: number;
  recordedAt: Instant;
  recordedBy: { userId: string; org: OrgCode };
}

export interface PlanProblem {
  /** The field, as the API names it below `body`. */
  field: string;
  message: string;
}

/** What a plan version is checked against: the episode, today, and the service lines of the person's applications. */
export interface PlanContext {
  today: LocalDate;
  episode: { detentionFrom: LocalDate; ended?: { date: LocalDate } };
  /** Application id → the ids of its care plan's service lines, for the person's applications only. */
  serviceLines: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Why this plan cannot be recorded, field by field (empty: it can). Planning starts on admission, so a meeting
 * before the detention began is a mistake (R-PLAN-1); a meeting cannot be in the future; every service meets a
 * need of the plan and is a service line of one of the person's applications; the next review falls after the
 * meeting and within 12 months of it (R-REVIEW-1).
 */
export function planProblems(plan: PlanContent, context: PlanContext): PlanProblem[] {
  const out: PlanProblem[] = [];
  const needIds = new Set<string>();
  plan.needs.forEach((n, i) => {
    if (needIds.has(n.id)) out.push({ field: `needs[${i}].id`, message: `repeats the need id "${n.id}"` });
    needIds.add(n.id);
  });
  plan.services.forEach((s, i) => {
    s.needIds.forEach((id, j) => {
      if (!needIds.has(id)) out.push({ field: `services[${i}].needIds[${j}]`, message: `names no need of this plan ("${id}")` });
    });
    const lines = context.serviceLines.get(s.applicationId);
    if (lines === undefined) out.push({ field: `services[${i}].applicationId`, message: "is not an application of this person's" });
    else if (!lines.has(s.lineId)) out.push({ field: `services[${i}].lineId`, message: `is not a service line of ${s.applicationId}` });
  });
  const m = plan.meeting.date;
  if (m < context.episode.detentionFrom)
    out.push({
      field: 'meeting.date',
      message: `is before the detention this episode follows began (${context.episode.detentionFrom}; R-PLAN-1)`,
    });
  if (m > context.today) out.push({ field: 'meeting.date', message: `is after today (${context.today})` });
  if (plan.nextReview <= m) out.push({ field: 'nextReview', message: 'must be after the planning meeting' });
  else if (plan.nextReview > addMonths(m, 12))
    out.push({ field: 'nextReview', message: `must be within 12 months of the planning meeting, by ${addMonths(m, 12)} (R-REVIEW-1)` });
  return out;
}

export type PlanVersioning =
  { kind: 'new'; plan: AftercarePlan } | { kind: 'same'; plan: AftercarePlan } | { kind: 'id-reused'; existing: AftercarePlan };

const sameContent = (a: PlanContent, b: PlanContent): boolean => {
  const pick = (p: PlanContent): PlanContent => ({
    needs: p.needs,
    services: p.services,
    careCoordinator: p.careCoordinator,
    meeting: p.meeting,
    crisis: p.crisis,
    accommodation: p.accommodation,
    nextReview: p.nextReview,
    ...(p.gp === undefined ? {} : { gp: p.gp }),
  });
  return JSON.stringify(pick(a)) === JSON.stringify(pick(b));
};

/**
 * The next version of the episode's plan: a retry of a version already recorded (same id, same content) is that
 * version; an id already used for other content is refused; anything else is appended as the next number.
 */
export function nextPlanVersion(
  existing: readonly AftercarePlan[],
  input: { id: string; episodeId: string; content: PlanContent; at: Instant; by: AftercarePlan['recordedBy'] },
): PlanVersioning {
  const same = existing.find((p) => p.id === input.id);
  if (same !== undefined) return sameContent(same, input.content) ? { kind: 'same', plan: same } : { kind: 'id-reused', existing: same };
  const version = existing.reduce((v, p) => Math.max(v, p.version), 0) + 1;
  return {
    kind: 'new',
    plan: { ...input.content, id: input.id, episodeId: input.episodeId, version, recordedAt: input.at, recordedBy: input.by },
  };
}

/** The current version: the highest number. */
export const currentPlan = (plans: readonly AftercarePlan[]): AftercarePlan | undefined =>
  plans.reduce<AftercarePlan | undefined>((cur, p) => (cur === undefined || p.version > cur.version ? p : cur), undefined);

export type PlanRecipient =
  | { role: 'person' }
  | { role: 'gp'; name: string; to: string }
  | { role: 'provider'; name: string; to: string }
  | { role: 'carer'; supporterId: string; name: string; relationship: string; to: string };

/**
 * Who receives a copy of the plan: the person (always; by mail if they gave an address for it, else by post
 * through their council), the GP practice and each provider with a mailbox (each mailbox once), and every
 * supporter who is sent letters (see `sendsLetters`) with the carer's version.
 */
export function planRecipients(
  plan: PlanContent,
  contacts: { supporters: readonly Supporter[] } & Partial<PersonContacts>,
): PlanRecipient[] {
  const out: PlanRecipient[] = [{ role: 'person' }];
  const seen = new Set<string>();
  if (plan.gp !== undefined) {
    out.push({ role: 'gp', name: plan.gp.practice, to: plan.gp.mailbox });
    seen.add(plan.gp.mailbox.toLowerCase());
  }
  for (const s of plan.services) {
    const to = s.provider.mailbox;
    if (to === undefined || seen.has(to.toLowerCase())) continue;
    seen.add(to.toLowerCase());
    out.push({ role: 'provider', name: s.provider.name, to });
  }
  for (const s of contacts.supporters) {
    const to = letterAddressOf(s);
    if (to !== undefined) out.push({ role: 'carer', supporterId: s.id, name: s.name, relationship: s.relationship, to });
  }
  return out;
}

/** The mailbox a supporter's copy goes to: only for those the person agreed may be sent letters. */
export function letterAddressOf(s: Supporter): string | undefined {
  return s.sendLetters && s.consentToShare ? s.contact?.email : undefined;
}
