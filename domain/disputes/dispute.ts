/**
 * A dispute about who pays for a person's s117 aftercare, and its clock. Three kinds, each with its own
 * stages: between ICBs (Who Pays? 2020: local resolution, NHS England regional, then national), between
 * councils (Care Act s40, SI 2014/2829: the four-month referral to the Secretary of State), and between an
 * ICB and a council across the NHS/council line (R-APP-1: the joint panel, then the executive leads).
 * Interim without-prejudice funding is in force throughout (R-WP-DISP-3/5, R-DISP-LA-3): care never waits.
 * Pure: time and configuration come in as arguments.
 */
import type { Application, Instant, PartyResponse } from '../applications/application.ts';
import { addDays, addMonths, daysBetween, type LocalDate } from '../dates.ts';
import { BODY_KIND_LABELS, bodyKinds, isCrossBorder, kindNamed } from '../determination.ts';
import type { OrgCode } from '../facts.ts';
import type { BasisPoints } from '../money.ts';
import type { OrganisationKind } from '../partnership.ts';
import { LA_DISPUTE_LAW, type DisputeSettings } from './settings.ts';

export const DISPUTE_KINDS = ['icb-icb', 'la-la', 'icb-la'] as const;
export type DisputeKind = (typeof DISPUTE_KINDS)[number];

export const DISPUTE_STAGES = [
  'local-resolution',
  'nhse-regional',
  'nhse-national',
  'pre-referral',
  'secretary-of-state',
  'joint-panel',
  'executive-leads',
] as const;
export type DisputeStage = (typeof DISPUTE_STAGES)[number];

/** The stages of each kind, in order. */
export const STAGES: Readonly<Record<DisputeKind, readonly DisputeStage[]>> = Object.freeze({
  'icb-icb': ['local-resolution', 'nhse-regional', 'nhse-national'],
  'la-la': ['pre-referral', 'secretary-of-state'],
  'icb-la': ['joint-panel', 'executive-leads'],
});

/** The rule ids behind each kind's process. */
export const KIND_RULE_IDS: Readonly<Record<DisputeKind, readonly string[]>> = Object.freeze({
  'icb-icb': ['R-WP-DISP-1', 'R-WP-DISP-3', 'R-WP-DISP-4', 'R-WP-DISP-5'],
  'la-la': ['R-DISP-LA-1', 'R-DISP-LA-2', 'R-DISP-LA-3', 'R-DISP-LA-5'],
  'icb-la': ['R-APP-1'],
});

/** Stages where a third party decides (a determination); elsewhere the bodies agree (an agreement). */
export const DETERMINING_STAGES: ReadonlySet<DisputeStage> = new Set(['nhse-regional', 'nhse-national', 'secretary-of-state']);

/**
 * Determining stages whose decider is not a user of this service (the Secretary of State writes to both councils):
 * each body in dispute records the determination it received, and it stands when every body has recorded the same
 * terms, so one council alone cannot record "the other one pays" (issue 12). NHS England records its own.
 */
export const RELAYED_STAGES: ReadonlySet<DisputeStage> = new Set(['secretary-of-state']);

/** active: a stage is running; decided: responsibility is fixed, settlement follows; settled and unresolved are terminal. */
export const DISPUTE_STATUSES = ['active', 'decided', 'settled', 'unresolved'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export const TERMINAL_STATUSES: ReadonlySet<DisputeStatus> = new Set(['settled', 'unresolved']);

export interface StageRecord {
  stage: DisputeStage;
  startedAt: Instant;
  /** The stage's deadline: when it passes without an outcome the dispute escalates. */
  deadline: LocalDate;
  endedAt?: Instant;
  endedBy?: 'outcome' | 'deadline' | 'escalation' | 'panel' | 'referral';
}

export interface DisputeOutcome {
  stage: DisputeStage;
  kind: 'agreement' | 'determination';
  responsibleIcb?: OrgCode;
  responsibleLa?: OrgCode;
  /** The ICB's share of the cost under the final answer; absent: the partnership's agreed split. */
  split?: { icbBasisPoints: BasisPoints };
  reason: string;
  /** Who decided (a body, the Secretary of State, NHS England's national team, the joint panel). */
  decidedBy: string;
  recordedBy: { userId?: string; org?: OrgCode; system?: string };
  at: Instant;
  ruleIds: string[];
}

/** One body's agreement to a resolving outcome at a bodies' stage; the stage resolves when every body agrees to the same. */
export interface StageAgreement {
  stage: DisputeStage;
  org: OrgCode;
  userId?: string;
  responsibleIcb?: OrgCode;
  responsibleLa?: OrgCode;
  split?: { icbBasisPoints: BasisPoints };
  at: Instant;
}

export interface Referral {
  /** The day the referral was made (the pack produced). */
  referredOn: LocalDate;
  packId: string;
  /** R-DISP-LA-7: 14 days after referral. */
  legalArgumentsDue: LocalDate;
}

export interface Dispute {
  id: string;
  applicationId: string;
  version: number;
  kind: DisputeKind;
  status: DisputeStatus;
  /** The stage running (active) or the last one (otherwise). */
  stage: DisputeStage;
  /** R-DISP-LA-1: the day of the first written assertion (the disputing response). */
  disputeDate: LocalDate;
  raisedBy: OrgCode;
  /** The bodies in dispute (the determined body and the one the disputing body names, where it names one). */
  bodies: OrgCode[];
  /** Who makes the arrangements meanwhile (R-WP-DISP-2, R-DISP-LA-2): the interim arrangement's lead. */
  lead: OrgCode;
  interimArrangementId: string;
  stages: StageRecord[];
  /** R-DISP-LA-5: councils only, four calendar months after the dispute date. */
  referralDue?: LocalDate;
  referral?: Referral;
  /** A body asked to refer before the four months were up (councils) . */
  referralRequested?: { at: Instant; by: OrgCode; reason: string };
  outcome?: DisputeOutcome;
  /** The bodies' agreements recorded at the running stage (a bodies' stage needs every body's agreement). */
  agreements?: StageAgreement[];
  /** R-DISP-LA-8: a determination may be reviewed if the review begins by this date. */
  reviewWindowEnds?: LocalDate;
  settlementId?: string;
  /** Plain-English reason, with the rules, for the kind and the lead. */
  basis: string;
  ruleIds: string[];
  openedAt: Instant;
  updatedAt: Instant;
}

const dateOf = (at: Instant): LocalDate => at.slice(0, 10);

export type Classification = {
  kind: DisputeKind;
  raisedBy: OrgCode;
  bodies: OrgCode[];
  disputeDate: LocalDate;
  response: PartyResponse;
  reason: string;
  ruleIds: string[];
} | null;

/**
 * Which kind of dispute the application's responses raise. The first written assertion (the earliest
 * disputing response) decides: a body naming another body of its own kind disputes within the NHS (ICBs)
 * or between councils; anything else (a dispute about the split, a body naming one across the NHS/council
 * line, or one naming nobody) is a dispute between the ICB and the council, settled under the local
 * agreement (R-APP-1). Null when nobody disputed.
 * @see rules.md R-WP-DISP-4, R-DISP-LA-1, R-APP-1
 */
export function classifyDispute(app: Application, kindOf: (org: OrgCode) => OrganisationKind | undefined): Classification {
  const disputing = (['icb', 'la'] as const)
    .map((p) => app.responses[p])
    .filter((r): r is PartyResponse => r?.decision === 'dispute')
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.party === 'icb' ? -1 : 1));
  const first = disputing[0];
  if (first === undefined) return null;
  const d = app.determination;
  const determinedIcb = d?.icb.body ?? null;
  const determinedLa = d?.localAuthority.body ?? null;
  const disputeDate = dateOf(first.at);
  const about = first.about ?? 'responsibility';
  const proposed = first.proposedBody;
  const proposedKind = proposed === undefined ? undefined : kindOf(proposed);
  const own = first.party === 'icb' ? 'icb' : 'la';
  // What the determination says each body is (issue 14 item 3): the directory's "icb" or "la" never makes a Welsh body,
  // or one outside England and Wales, a party to an English process (R-WP-117-12, R-XB-1 to R-XB-3).
  const named = bodyKinds(d);
  const across = [first.body, proposed].filter((b): b is OrgCode => b !== undefined && isCrossBorder(kindNamed(named, b)));
  const called = (b: OrgCode): string => {
    const k = kindNamed(named, b);
    return k === undefined ? b : `${b} (${article(BODY_KIND_LABELS[k])})`;
  };
  if (about === 'responsibility' && proposed !== undefined && proposedKind === own && own === 'la' && across.length > 0) {
    // R-XB-2: between an English and a Welsh council the Secretary of State or the Welsh Ministers determine the
    // dispute under the s117(5) arrangements; R-DISP-LA-10: with a Scottish or NI council, the Secretary of State under
    // Care Act Sch 1. Either way the referral's shape (and its clock) is the councils' one.
    const welsh = across.every((b) => kindNamed(named, b) === 'welsh-la');
    return {
      kind: 'la-la',
      raisedBy: first.body,
      bodies: [first.body, proposed],
      disputeDate,
      response: first,
      ruleIds: [...KIND_RULE_IDS['la-la'], welsh ? 'R-XB-2' : 'R-DISP-LA-10'],
      reason: `${called(first.body)} wrote on ${disputeDate} that the person is not ordinarily resident in its area and names ${called(proposed)}: ${welsh ? 'a dispute across the England–Wales border, determined by the Secretary of State or the Welsh Ministers under the arrangements made under s117(5) (R-XB-2)' : 'a cross-border dispute under Care Act 2014 Schedule 1, which the Secretary of State determines (R-DISP-LA-10)'}; the dispute arose on ${disputeDate}.`,
    };
  }
  if (about === 'responsibility' && proposed !== undefined && proposedKind === own && across.length === 0) {
    const kind: DisputeKind = own === 'icb' ? 'icb-icb' : 'la-la';
    return {
      kind,
      raisedBy: first.body,
      bodies: [first.body, proposed],
      disputeDate,
      response: first,
      ruleIds: [...KIND_RULE_IDS[kind]],
      reason:
        kind === 'icb-icb'
          ? `${first.body} disputes that it is the responsible ICB and names ${proposed}: a dispute between ICBs under Who Pays? (local resolution, then NHS England).`
          : `${first.body} wrote on ${disputeDate} that the person is not ordinarily resident in its area and names ${proposed}: a dispute between councils under Care Act s40 and SI 2014/2829; the dispute arose on ${disputeDate}.`,
    };
  }
  const bodies = [...new Set([determinedIcb, determinedLa, first.body].filter((b): b is OrgCode => b !== null))];
  if (across.length > 0 && about === 'responsibility') {
    // An NHS dispute with a Welsh Local Health Board, or any dispute naming a body outside England and Wales, is not
    // one NHS England or the Secretary of State settles between English bodies: the bodies settle it themselves
    // (England/Wales Statement of Values and Principles, R-XB-2; no s117 duty on Scottish or NI bodies, R-XB-3).
    const outside = across.some((b) => kindNamed(named, b) === 'outside-england-and-wales');
    for (const b of across) if (!bodies.includes(b)) bodies.push(b);
    return {
      kind: 'icb-la',
      raisedBy: first.body,
      bodies,
      disputeDate,
      response: first,
      ruleIds: [...KIND_RULE_IDS['icb-la'], outside ? 'R-XB-3' : 'R-XB-2'],
      reason: `${called(first.body)} disputes responsibility${proposed === undefined ? '' : ` and names ${called(proposed)}`}: a dispute across the border, which neither NHS England's process between ICBs nor the Secretary of State's between English councils decides, so the bodies settle it jointly, then by their executive leads; care does not wait.`,
    };
  }
  return {
    kind: 'icb-la',
    raisedBy: first.body,
    bodies,
    disputeDate,
    response: first,
    ruleIds: [...KIND_RULE_IDS['icb-la']],
    reason:
      about === 'apportionment'
        ? `${first.body} disputes how the cost is shared between the ICB and the council: settled under the local agreement, by the joint panel and then the executive leads.`
        : `${first.body} disputes responsibility across the NHS/council line${proposed === undefined ? '' : ` and names ${proposed}`}: the duty is joint (s117), so the joint panel and then the executive leads settle it.`,
  };
}

const article = (label: string): string => (label === 'NHS England' ? label : /^[aeiou]/iu.test(label) ? `an ${label}` : `a ${label}`);

/** The deadline of a stage started on `startedOn`. The council clock runs from the dispute date, not the stage. */
export function stageDeadline(stage: DisputeStage, startedOn: LocalDate, disputeDate: LocalDate, settings: DisputeSettings): LocalDate {
  switch (stage) {
    case 'local-resolution':
      return addDays(startedOn, settings.nhs.localResolutionDays);
    case 'nhse-regional':
      return addDays(startedOn, settings.nhs.regionalDays);
    case 'nhse-national':
      return addDays(startedOn, settings.nhs.nationalDays);
    case 'pre-referral':
      return referralDueDate(disputeDate);
    case 'secretary-of-state':
      return addDays(startedOn, settings.la.determinationWaitDays);
    case 'joint-panel':
      return addDays(startedOn, settings.icbLa.jointPanelDays);
    case 'executive-leads':
      return addDays(startedOn, settings.icbLa.executiveLeadsDays);
  }
}

/** R-DISP-LA-5: four calendar months after the dispute date (15 January → 15 May; 31 October → 28 February). */
export const referralDueDate = (disputeDate: LocalDate): LocalDate => addMonths(disputeDate, LA_DISPUTE_LAW.referralMonths);
/** R-DISP-LA-7: 14 days after the referral. */
export const legalArgumentsDueDate = (referredOn: LocalDate): LocalDate => addDays(referredOn, LA_DISPUTE_LAW.legalArgumentsDays);
/** R-DISP-LA-8: three calendar months after the determination. */
export const reviewWindowEndDate = (determinedOn: LocalDate): LocalDate => addMonths(determinedOn, LA_DISPUTE_LAW.reviewMonths);

export interface OpenDisputeInput {
  id: string;
  app: Application;
  classification: NonNullable<Classification>;
  lead: OrgCode;
  interimArrangementId: string;
  settings: DisputeSettings;
  at: Instant;
}

/** A new dispute at its kind's first stage. */
export function openDispute(input: OpenDisputeInput): Dispute {
  const { classification: c, settings, at } = input;
  const first = STAGES[c.kind][0] as DisputeStage;
  const dispute: Dispute = {
    id: input.id,
    applicationId: input.app.id,
    version: 1,
    kind: c.kind,
    status: 'active',
    stage: first,
    disputeDate: c.disputeDate,
    raisedBy: c.raisedBy,
    bodies: c.bodies,
    lead: input.lead,
    interimArrangementId: input.interimArrangementId,
    stages: [{ stage: first, startedAt: at, deadline: stageDeadline(first, dateOf(at), c.disputeDate, settings) }],
    basis: `${c.reason} ${input.lead} ${c.kind === 'la-la' ? "is the lead authority (R-DISP-LA-2) and keeps meeting the person's needs until it is resolved (R-DISP-LA-3)." : 'leads the interim arrangements meanwhile; care does not wait.'}`,
    ruleIds: c.kind === 'icb-icb' ? [...c.ruleIds, 'R-WP-DISP-2'] : [...c.ruleIds],
    openedAt: at,
    updatedAt: at,
  };
  if (c.kind === 'la-la') dispute.referralDue = referralDueDate(c.disputeDate);
  return dispute;
}

export type DisputeEvent =
  /** The stage ends without an answer and the next one starts (or, after the last, the dispute is unresolved). */
  | { type: 'escalate'; fromStage: DisputeStage; cause: 'deadline' | 'requested' | 'panel'; at: Instant; reason: string }
  /** Councils: a body asks for the referral before the four months are up. */
  | { type: 'request-referral'; fromStage: DisputeStage; by: OrgCode; reason: string; at: Instant }
  /** Councils: the lead authority refers the dispute to the Secretary of State with the pack. */
  | { type: 'refer'; packId: string; at: Instant }
  | { type: 'decide'; outcome: DisputeOutcome }
  /**
   * A body in dispute agrees to `outcome` at a bodies' stage (not NHS England's or the Secretary of State's):
   * the stage is decided only when every body in dispute has agreed to the same terms (issue 12).
   */
  | { type: 'agree'; org: OrgCode; outcome: DisputeOutcome }
  | { type: 'settle'; settlementId: string; at: Instant };

export type Transition = { ok: true; dispute: Dispute } | { ok: false; reason: string };

const no = (reason: string): Transition => ({ ok: false, reason });

function endStage(d: Dispute, at: Instant, endedBy: NonNullable<StageRecord['endedBy']>): StageRecord[] {
  return d.stages.map((s, i) => (i === d.stages.length - 1 && s.endedAt === undefined ? { ...s, endedAt: at, endedBy } : s));
}

/**
 * The allowed transitions. A terminal dispute (settled, unresolved) never changes; an event for a stage
 * that already ended is refused, so a late timer or a second click cannot move the dispute twice.
 */
export function transition(d: Dispute, event: DisputeEvent, settings: DisputeSettings): Transition {
  if (TERMINAL_STATUSES.has(d.status)) return no(`The dispute is ${d.status}; it does not change any more.`);
  switch (event.type) {
    case 'escalate': {
      if (d.status !== 'active') return no(`The dispute is ${d.status}; only a running stage escalates.`);
      if (event.fromStage !== d.stage) return no(`The ${event.fromStage} stage has already ended; the dispute is at ${d.stage}.`);
      if (d.stage === 'pre-referral') return no('Between councils the next step is the referral to the Secretary of State, with its pack.');
      const order = STAGES[d.kind];
      const next = order[order.indexOf(d.stage) + 1];
      const endedBy = event.cause === 'deadline' ? 'deadline' : event.cause === 'panel' ? 'panel' : 'escalation';
      const stages = endStage(d, event.at, endedBy);
      if (next === undefined) return { ok: true, dispute: { ...d, status: 'unresolved', stages, updatedAt: event.at } };
      stages.push({ stage: next, startedAt: event.at, deadline: stageDeadline(next, dateOf(event.at), d.disputeDate, settings) });
      return { ok: true, dispute: { ...d, stage: next, stages, updatedAt: event.at } };
    }
    case 'request-referral': {
      if (d.status !== 'active' || d.stage !== 'pre-referral' || event.fromStage !== 'pre-referral')
        return no('Only a dispute between councils awaiting referral can be referred.');
      if (d.referralRequested !== undefined) return { ok: true, dispute: d };
      return { ok: true, dispute: { ...d, referralRequested: { at: event.at, by: event.by, reason: event.reason }, updatedAt: event.at } };
    }
    case 'refer': {
      if (d.status !== 'active' || d.stage !== 'pre-referral')
        return no('Only a dispute between councils awaiting referral can be referred.');
      const today = dateOf(event.at);
      const stages = endStage(d, event.at, 'referral');
      stages.push({
        stage: 'secretary-of-state',
        startedAt: event.at,
        deadline: stageDeadline('secretary-of-state', today, d.disputeDate, settings),
      });
      return {
        ok: true,
        dispute: {
          ...d,
          stage: 'secretary-of-state',
          stages,
          updatedAt: event.at,
          referral: { referredOn: today, packId: event.packId, legalArgumentsDue: legalArgumentsDueDate(today) },
          ruleIds: [...new Set([...d.ruleIds, 'R-DISP-LA-6', 'R-DISP-LA-7'])],
        },
      };
    }
    case 'decide': {
      if (d.status !== 'active') return no(`The dispute is ${d.status}; it was already decided.`);
      if (event.outcome.stage !== d.stage)
        return no(`The outcome is for the ${event.outcome.stage} stage, but the dispute is at ${d.stage}.`);
      const problem = outcomeProblem(d, event.outcome);
      if (problem !== null) return no(problem.message);
      // One record decides only where one decider has the authority: NHS England, or the joint panel's quorum.
      if (!DECIDED_ALONE.has(d.stage))
        return no(`At the ${d.stage} stage the outcome stands only when every body in dispute has recorded the same terms.`);
      return decidedWith(d, event.outcome);
    }
    case 'agree': {
      if (d.status !== 'active') return no(`The dispute is ${d.status}; it was already decided.`);
      if (event.outcome.stage !== d.stage)
        return no(`The outcome is for the ${event.outcome.stage} stage, but the dispute is at ${d.stage}.`);
      if (DETERMINING_STAGES.has(d.stage) && !RELAYED_STAGES.has(d.stage))
        return no(`At the ${d.stage} stage the outcome is determined, not agreed between the bodies.`);
      if (!d.bodies.includes(event.org)) return no(`Only the bodies in dispute (${d.bodies.join(', ')}) agree an outcome.`);
      const problem = outcomeProblem(d, event.outcome);
      if (problem !== null) return no(problem.message);
      const o = event.outcome;
      const mine: StageAgreement = {
        stage: d.stage,
        org: event.org,
        ...(o.recordedBy.userId === undefined ? {} : { userId: o.recordedBy.userId }),
        ...(o.responsibleIcb === undefined ? {} : { responsibleIcb: o.responsibleIcb }),
        ...(o.responsibleLa === undefined ? {} : { responsibleLa: o.responsibleLa }),
        ...(o.split === undefined ? {} : { split: { icbBasisPoints: o.split.icbBasisPoints } }),
        at: o.at,
      };
      const agreements = [...(d.agreements ?? []).filter((a) => a.stage === d.stage && a.org !== event.org), mine];
      const agreed = d.bodies.every((b) => agreements.some((a) => a.org === b && sameTerms(a, mine)));
      if (!agreed) return { ok: true, dispute: { ...d, agreements, updatedAt: o.at } };
      const ordered = d.bodies.map((b) => agreements.find((a) => a.org === b) as StageAgreement);
      const recorders = ordered.map((a) => `${a.userId ?? 'a user'} (${a.org})`).join(' and ');
      const decidedBy = RELAYED_STAGES.has(d.stage) ? `The Secretary of State (recorded by ${recorders})` : recorders;
      return decidedWith({ ...d, agreements }, { ...o, decidedBy });
    }
    case 'settle': {
      if (d.status !== 'decided') return no('Only a decided dispute is settled.');
      return { ok: true, dispute: { ...d, status: 'settled', settlementId: event.settlementId, updatedAt: event.at } };
    }
  }
}

/** Stages one record decides: NHS England's (its own determination) and the joint panel's (its quorum of both sides). */
const DECIDED_ALONE: ReadonlySet<DisputeStage> = new Set(['nhse-regional', 'nhse-national', 'joint-panel']);

/** The running stage ends with `outcome` (already checked complete and for this stage). */
function decidedWith(d: Dispute, outcome: DisputeOutcome): Transition {
  const next: Dispute = {
    ...d,
    status: 'decided',
    outcome,
    stages: endStage(d, outcome.at, 'outcome'),
    updatedAt: outcome.at,
  };
  if (d.stage === 'secretary-of-state') {
    next.reviewWindowEnds = reviewWindowEndDate(dateOf(outcome.at));
    next.ruleIds = [...new Set([...d.ruleIds, 'R-DISP-LA-8', 'R-DISP-LA-9'])];
  }
  return { ok: true, dispute: next };
}

/** Two agreements name the same responsible bodies and split. */
export function sameTerms(
  a: Pick<StageAgreement, 'responsibleIcb' | 'responsibleLa' | 'split'>,
  b: Pick<StageAgreement, 'responsibleIcb' | 'responsibleLa' | 'split'>,
): boolean {
  return (
    a.responsibleIcb === b.responsibleIcb && a.responsibleLa === b.responsibleLa && a.split?.icbBasisPoints === b.split?.icbBasisPoints
  );
}

/** What a resolving outcome must name for the dispute's kind; null when it is complete. Field names are the API's. */
export function outcomeProblem(
  d: Dispute,
  o: Pick<DisputeOutcome, 'responsibleIcb' | 'responsibleLa' | 'split'>,
): { field: 'responsibleIcb' | 'responsibleLa' | 'split'; message: string } | null {
  if (d.kind === 'icb-icb') {
    if (o.responsibleIcb === undefined) return { field: 'responsibleIcb', message: 'is required to resolve a dispute between ICBs' };
    if (!d.bodies.includes(o.responsibleIcb))
      return { field: 'responsibleIcb', message: `must be one of the ICBs in dispute (${d.bodies.join(', ')})` };
    if (o.responsibleLa !== undefined) return { field: 'responsibleLa', message: 'is not decided in a dispute between ICBs' };
  }
  if (d.kind === 'la-la') {
    if (o.responsibleLa === undefined) return { field: 'responsibleLa', message: 'is required to resolve a dispute between councils' };
    if (!d.bodies.includes(o.responsibleLa))
      return { field: 'responsibleLa', message: `must be one of the councils in dispute (${d.bodies.join(', ')})` };
    if (o.responsibleIcb !== undefined) return { field: 'responsibleIcb', message: 'is not decided in a dispute between councils' };
  }
  if (d.kind === 'icb-la' && o.split === undefined && o.responsibleIcb === undefined && o.responsibleLa === undefined) {
    return { field: 'split', message: 'is required (or a responsible body) to resolve a dispute between an ICB and a council' };
  }
  return null;
}

export interface Wake {
  /** Seconds from now to the next wake-up (at least 1). */
  seconds: number;
  /** What is due then: a reminder, or the stage deadline. */
  due: 'reminder' | 'deadline';
  /** The number of the reminder due then (1 = first). */
  reminder: number;
}

const MS_PER_DAY = 86_400_000;
const startOfDay = (d: LocalDate): number => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));

/**
 * When the running stage next needs attention: the next reminder (every `reminderDays` from the stage's
 * start) or the start of the deadline day, whichever is first.
 */
export function nextWake(d: Dispute, now: Instant, settings: DisputeSettings): Wake {
  const current = d.stages.at(-1);
  if (current === undefined) throw new Error(`dispute ${d.id} has no stage`);
  const nowMs = Date.parse(now);
  const deadlineMs = startOfDay(current.deadline);
  const startMs = Date.parse(current.startedAt);
  const cadence = settings.reminderDays * MS_PER_DAY;
  const reminder = Math.floor(Math.max(0, nowMs - startMs) / cadence) + 1;
  const reminderMs = startMs + reminder * cadence;
  const seconds = (ms: number) => Math.max(1, Math.ceil((ms - nowMs) / 1000));
  if (deadlineMs <= reminderMs) return { seconds: seconds(deadlineMs), due: 'deadline', reminder };
  return { seconds: seconds(reminderMs), due: 'reminder', reminder };
}

/** True once the running stage's deadline day has come. */
export function deadlinePassed(d: Dispute, now: Instant): boolean {
  const current = d.stages.at(-1);
  return current !== undefined && Date.parse(now) >= startOfDay(current.deadline);
}

/** Which reminder is due now for the running stage (0: none yet). */
export function remindersDue(d: Dispute, now: Instant, settings: DisputeSettings): number {
  const current = d.stages.at(-1);
  if (current === undefined) return 0;
  return Math.floor(Math.max(0, Date.parse(now) - Date.parse(current.startedAt)) / (settings.reminderDays * MS_PER_DAY));
}

/** Days left to the running stage's deadline (negative once it has passed). */
export function daysLeft(d: Dispute, today: LocalDate): number {
  const current = d.stages.at(-1);
  return current === undefined ? 0 : daysBetween(today, current.deadline);
}

/** The deadlines a reader needs, by name. */
export function deadlinesOf(d: Dispute): {
  stage: LocalDate | null;
  referralDue: LocalDate | null;
  legalArgumentsDue: LocalDate | null;
  reviewWindowEnds: LocalDate | null;
} {
  const current = d.stages.at(-1);
  return {
    stage: d.status === 'active' && current !== undefined ? current.deadline : null,
    referralDue: d.referralDue ?? null,
    legalArgumentsDue: d.referral?.legalArgumentsDue ?? null,
    reviewWindowEnds: d.reviewWindowEnds ?? null,
  };
}
