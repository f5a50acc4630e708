/**
 * Joint funding panels: who sits on a partnership's panel, what it takes to decide, how long it has,
 * and which proposals must go to it. Pure configuration and pure decisions; the panel functions load,
 * call these and write.
 *
 * A panel member is a seat: ICB members (`role: 'icb'`) and council members (`role: 'la'`) vote; a
 * member named as another's `deputy` is on standby and gets a link only when the deadline passes with
 * that seat still empty; senior officers (`role: 'senior'`) do not vote, they are told at escalation.
 */
import type { Instant } from '../applications/application.ts';
import type { OrgCode } from '../facts.ts';
import type { Pence } from '../money.ts';

export type PanelRole = 'icb' | 'la' | 'senior';
export type PanelSide = Exclude<PanelRole, 'senior'>;

export interface PanelMember {
  /** The member's user id (as in the directory and the sign-in), unique within the panel. */
  id: string;
  name: string;
  email: string;
  organisation: OrgCode;
  role: PanelRole;
  /** Another member of the panel who stands in for this one after the deadline (same side). */
  deputy?: string;
  /**
   * The member's subject at the identity provider (Cognito's `sub`, a UUID), when their sign-in user id is not
   * `id`: four-eyes recognises them as the proposer by it.
   */
  subject?: string;
}

/**
 * How the panel decides. Default: at least one ICB member and one council member approve, any
 * rejection is a veto, and the person who submitted the proposal cannot approve it (four-eyes).
 */
export interface QuorumRule {
  /** Approvals needed from ICB seats. */
  icbApprovals: number;
  /** Approvals needed from council seats. */
  laApprovals: number;
  /** Approvals needed in all (at least icbApprovals + laApprovals). */
  totalApprovals: number;
  /**
   * true: one rejection rejects. false: a rejection is a vote against, and the proposal is rejected
   * only once the approvals it needs can no longer be reached.
   */
  rejectionIsVeto: boolean;
}

export interface PanelTiming {
  /** Members who have not voted are reminded this often. */
  reminderEveryDays: number;
  /** Days from the request to the decision deadline; then deputies and senior officers are told. */
  decisionDeadlineDays: number;
  /** Days after escalation before the request ends as 'no-decision' and the workflow moves on. */
  escalationDays: number;
}

/** Weekly s117 cost (pence) above which a proposal needs the panel. A proposal to end aftercare always does. */
export interface PanelThresholds {
  application: Pence;
  split: Pence;
  disputeOutcome: Pence;
}

export interface PanelConfig {
  members: PanelMember[];
  quorum: QuorumRule;
  timing: PanelTiming;
  thresholds: PanelThresholds;
}

export const DEFAULT_QUORUM_RULE: QuorumRule = Object.freeze({ icbApprovals: 1, laApprovals: 1, totalApprovals: 2, rejectionIsVeto: true });

export const DEFAULT_PANEL_TIMING: PanelTiming = Object.freeze({ reminderEveryDays: 2, decisionDeadlineDays: 7, escalationDays: 3 });

/** £1,500 a week for a new package, £1,000 for a split or a dispute outcome: the usual high-cost panel levels. */
export const DEFAULT_PANEL_THRESHOLDS: PanelThresholds = Object.freeze({ application: 150_000, split: 100_000, disputeOutcome: 100_000 });

export type PanelSubject = 'application' | 'split' | 'dispute-outcome' | 'ending';
export const PANEL_SUBJECTS: readonly PanelSubject[] = ['application', 'split', 'dispute-outcome', 'ending'];

/** Whether a proposal needs the panel: a panel is configured and the weekly cost is above its threshold. */
export function needsPanel(config: PanelConfig | undefined, subject: PanelSubject, weeklyCostPence: Pence): boolean {
  if (config === undefined) return false;
  switch (subject) {
    case 'ending':
      return true;
    case 'application':
      return weeklyCostPence > config.thresholds.application;
    case 'split':
      return weeklyCostPence > config.thresholds.split;
    case 'dispute-outcome':
      return weeklyCostPence > config.thresholds.disputeOutcome;
  }
}

export const SECONDS_PER_DAY = 86_400;

/** How long a caller's callback should wait: deadline plus escalation, plus a day's grace for the no-decision answer. */
export function panelTimeoutSeconds(timing: PanelTiming): number {
  return (timing.decisionDeadlineDays + timing.escalationDays + 1) * SECONDS_PER_DAY;
}

export type CheckpointKind = 'remind' | 'escalate' | 'no-decision';

export interface Checkpoint {
  kind: CheckpointKind;
  /** Seconds after the request. */
  at: number;
}

/**
 * The panel's timers, as offsets from the request: a reminder every `reminderEveryDays` strictly
 * before the deadline, escalation at the deadline, and the no-decision answer `escalationDays` later.
 * The reminder state machine waits from one to the next; only the timers are in the machine, the
 * schedule is here.
 */
export function panelCheckpoints(timing: PanelTiming): Checkpoint[] {
  const deadline = timing.decisionDeadlineDays * SECONDS_PER_DAY;
  const every = timing.reminderEveryDays * SECONDS_PER_DAY;
  const out: Checkpoint[] = [];
  for (let at = every; at < deadline; at += every) out.push({ kind: 'remind', at });
  out.push({ kind: 'escalate', at: deadline });
  out.push({ kind: 'no-decision', at: deadline + timing.escalationDays * SECONDS_PER_DAY });
  return out;
}

/** The loop state of statemachines/panel-reminders.asl.json: the next checkpoint and how long to wait for it. */
export interface ReminderLoopState {
  panelRequestId: string;
  applicationId: string;
  /** Index of the next checkpoint in panelCheckpoints(timing). */
  checkpoint: number;
  next: CheckpointKind | 'done';
  waitSeconds: number;
}

/** The loop state after checkpoint `done` (or before the first, with done = -1); 'done' when the request is decided or the schedule ends. */
export function nextCheckpoint(
  timing: PanelTiming,
  ids: { panelRequestId: string; applicationId: string },
  done: number,
  decided: boolean,
): ReminderLoopState {
  const checkpoints = panelCheckpoints(timing);
  const index = done + 1;
  const next = checkpoints[index];
  if (decided || next === undefined) return { ...ids, checkpoint: index, next: 'done', waitSeconds: 0 };
  const previousAt = done < 0 ? 0 : (checkpoints[done]?.at ?? 0);
  return { ...ids, checkpoint: index, next: next.kind, waitSeconds: next.at - previousAt };
}

/** A voting seat: a member (or their deputy, voting for them) counts once. */
export interface PanelSeat {
  memberId: string;
  name: string;
  email: string;
  organisation: OrgCode;
  side: PanelSide;
  deputy?: string;
  subject?: string;
}

export interface PanelSeats {
  /** Invited when the request is made. */
  seats: PanelSeat[];
  /** Members on standby as a deputy only (invited at escalation for an empty seat). */
  standby: PanelSeat[];
  seniors: { memberId: string; name: string; email: string; organisation: OrgCode }[];
}

/** Who is invited, who stands by and who is told at escalation (see the module comment). */
export function panelSeats(config: PanelConfig): PanelSeats {
  const deputies = new Set(config.members.flatMap((m) => (m.deputy === undefined ? [] : [m.deputy])));
  const seat = (m: PanelMember & { role: PanelSide }): PanelSeat => ({
    memberId: m.id,
    name: m.name,
    email: m.email,
    organisation: m.organisation,
    side: m.role,
    ...(m.deputy === undefined ? {} : { deputy: m.deputy }),
    ...(m.subject === undefined ? {} : { subject: m.subject }),
  });
  const voters = config.members.filter((m): m is PanelMember & { role: PanelSide } => m.role !== 'senior');
  return {
    seats: voters.filter((m) => !deputies.has(m.id)).map(seat),
    standby: voters.filter((m) => deputies.has(m.id)).map(seat),
    seniors: config.members
      .filter((m) => m.role === 'senior')
      .map((m) => ({ memberId: m.id, name: m.name, email: m.email, organisation: m.organisation })),
  };
}

/**
 * Problems with a panel configuration, as [path, message]; empty when it is usable. The seed schema
 * reports these; a panel that can never reach its quorum is refused here rather than found at the deadline.
 */
export function panelConfigProblems(config: PanelConfig, partnershipMembers: readonly OrgCode[]): [string, string][] {
  const problems: [string, string][] = [];
  const ids = new Map<string, PanelMember>();
  config.members.forEach((m, i) => {
    if (ids.has(m.id)) problems.push([`members[${i}].id`, `${m.id} is listed twice`]);
    ids.set(m.id, m);
    if (!partnershipMembers.includes(m.organisation))
      problems.push([`members[${i}].organisation`, `${m.organisation} is not a member of the partnership`]);
  });
  config.members.forEach((m, i) => {
    if (m.deputy === undefined) return;
    const deputy = ids.get(m.deputy);
    if (deputy === undefined) problems.push([`members[${i}].deputy`, `${m.deputy} is not a member of the panel`]);
    else if (deputy.id === m.id) problems.push([`members[${i}].deputy`, 'a member cannot deputise for themselves']);
    else if (m.role === 'senior') problems.push([`members[${i}].deputy`, 'senior officers do not vote, so need no deputy']);
    else if (deputy.role !== m.role) problems.push([`members[${i}].deputy`, `${m.deputy} must sit on the same side (${m.role})`]);
  });
  const { seats, seniors } = panelSeats(config);
  const count = (side: PanelSide) => seats.filter((s) => s.side === side).length;
  const q = config.quorum;
  if (q.icbApprovals > count('icb'))
    problems.push(['quorum.icbApprovals', `needs ${q.icbApprovals} ICB approvals but the panel invites ${count('icb')} ICB members`]);
  if (q.laApprovals > count('la'))
    problems.push(['quorum.laApprovals', `needs ${q.laApprovals} council approvals but the panel invites ${count('la')} council members`]);
  if (q.totalApprovals < q.icbApprovals + q.laApprovals)
    problems.push(['quorum.totalApprovals', 'must be at least icbApprovals + laApprovals']);
  if (q.totalApprovals > seats.length)
    problems.push(['quorum.totalApprovals', `needs ${q.totalApprovals} approvals but the panel invites ${seats.length} members`]);
  if (q.totalApprovals < 1) problems.push(['quorum.totalApprovals', 'must be at least 1']);
  if (seniors.length === 0) problems.push(['members', 'must include a senior officer (role "senior") to escalate to']);
  return problems;
}

// ---- A panel request and its approvals ----

export type VoteDecision = 'approve' | 'reject' | 'more-information';
export type PanelOutcome = 'approved' | 'rejected' | 'more-information' | 'no-decision';

/** One cast vote, as the quorum sees it. */
export interface PanelVote {
  /** Who voted (a member, or a deputy voting for `seat`). */
  memberId: string;
  /** The seat the vote fills: the member's own id, or the member a deputy stands in for. */
  seat: string;
  side: PanelSide;
  decision: VoteDecision;
  at: Instant;
  reason?: string;
}

export interface ProposedShare {
  body: OrgCode;
  party: PanelSide;
  basisPoints: number;
}

/** What the panel is asked to approve; `summary` is plain English, quotable in a letter. */
export interface PanelProposal {
  summary: string;
  /** Weekly s117 cost the proposal commits, in pence. */
  weeklyCostPence?: Pence;
  /** The proposed split of that cost. */
  split?: ProposedShare[];
  /** From when. */
  startDate?: string;
  /** Further plain-English points (e.g. a dispute's history); no personal data. */
  details?: string[];
}

export interface Proposer {
  /** The proposer's user id: the identity provider's subject (in AWS, Cognito's `sub` UUID). */
  userId: string;
  org: OrgCode;
  /** The proposer's email address, only when the identity provider verified it (`email_verified`). */
  email?: string;
  /** The panel members the proposer is, resolved when the request is made (see `proposerMembers`). */
  memberIds?: string[];
}

/**
 * The panel members who are the proposer: by member id, by the subject a member is bound to at the identity
 * provider, or by the proposer's verified email address (compared without case). Four-eyes must hold where the
 * sign-in's user id is a Cognito UUID that no panel member id equals.
 */
export function proposerMembers(members: readonly { memberId: string; email: string; subject?: string }[], proposer: Proposer): string[] {
  const email = proposer.email?.toLowerCase();
  return members
    .filter(
      (m) =>
        m.memberId === proposer.userId ||
        (m.subject !== undefined && m.subject === proposer.userId) ||
        (email !== undefined && m.email.toLowerCase() === email),
    )
    .map((m) => m.memberId);
}
