/**
 * A panel request and its approvals (one per invited member, each with its own opaque link id), and
 * the pure transitions the panel functions apply: create, vote, issue and spend a form token,
 * escalate to deputies, close. Ids, hashes and time come in as arguments.
 */
import type { Instant } from '../applications/application.ts';
import type { OrgCode } from '../facts.ts';
import type { PanelDecisionResult, PanelVoteView } from './contract.ts';
import {
  panelSeats,
  proposerMembers,
  SECONDS_PER_DAY,
  type PanelConfig,
  type PanelOutcome,
  type PanelProposal,
  type PanelSeat,
  type PanelSeats,
  type PanelSide,
  type PanelSubject,
  type PanelTiming,
  type PanelVote,
  type Proposer,
  type QuorumRule,
  type VoteDecision,
} from './panel.ts';
import { evaluateQuorum, type QuorumState } from './quorum.ts';

export interface ApprovalRef {
  approvalId: string;
  memberId: string;
  /** The seat the approval votes for (a deputy's approval votes for the member's seat). */
  seat: string;
}

export interface PanelRequest extends PanelSeats {
  id: string;
  /** The id the request is filed under (keys, task token, mail log): the application's, or the episode's when `episodeId` is set. */
  applicationId: string;
  /** Set when the panel decides about a register episode (subject 'ending'); then `applicationId` holds the same id. */
  episodeId?: string;
  partnershipId: string;
  personRef: string;
  subject: PanelSubject;
  proposal: PanelProposal;
  proposedBy?: Proposer;
  /** Snapshots taken at creation: later changes to the partnership do not move this request. */
  rule: QuorumRule;
  timing: PanelTiming;
  approvals: ApprovalRef[];
  createdAt: Instant;
  /** Decision deadline; after it deputies and senior officers are told. */
  deadline: Instant;
  /** When the request answers 'no-decision' if still open; links expire then. */
  closesAt: Instant;
  status: 'open' | 'decided';
  escalatedAt?: Instant;
  result?: PanelDecisionResult;
  version: number;
}

export interface CsrfEntry {
  /** SHA-256 of the form token (hex): the token itself is only ever in the page. */
  hash: string;
  expiresAt: Instant;
}

export interface ClientInfo {
  sourceIp?: string;
  userAgent?: string;
}

export interface Approval {
  id: string;
  panelRequestId: string;
  applicationId: string;
  memberId: string;
  name: string;
  email: string;
  organisation: OrgCode;
  side: PanelSide;
  seat: string;
  status: 'pending' | 'decided';
  decision?: VoteDecision;
  reason?: string;
  decidedAt?: Instant;
  client?: ClientInfo;
  createdAt: Instant;
  expiresAt: Instant;
  /** Unspent form tokens, newest last (at most CSRF_KEEP): the confirm page's and re-shown forms'. */
  csrf: CsrfEntry[];
  /**
   * The link page's form token, shown to every GET while it has PAGE_TOKEN_MIN_LEFT_SECONDS to run, so a mail
   * scanner's visits (GET, prefetch) write nothing and never push the member's open form out. Kept as it is, not
   * hashed, because every visit must show it again; it is no more secret than the approval id beside it, the
   * link's only credential. It moves a form to its confirm page and never records a decision by itself.
   */
  pageToken?: { token: string; expiresAt: Instant };
  version: number;
}

/** A form token is good for an hour, and the last five pages opened stay usable (a scanner's visit does not lock the member out). */
export const CSRF_TTL_SECONDS = 3_600;
export const CSRF_KEEP = 5;

export const addSeconds = (at: Instant, seconds: number): Instant => new Date(Date.parse(at) + seconds * 1000).toISOString();

function approvalFor(seat: PanelSeat, onSeat: string, id: string, request: PanelRequest, at: Instant): Approval {
  return {
    id,
    panelRequestId: request.id,
    applicationId: request.applicationId,
    memberId: seat.memberId,
    name: seat.name,
    email: seat.email,
    organisation: seat.organisation,
    side: seat.side,
    seat: onSeat,
    status: 'pending',
    createdAt: at,
    expiresAt: request.closesAt,
    csrf: [],
    version: 1,
  };
}

export interface NewPanelRequestInput {
  id: string;
  applicationId: string;
  episodeId?: string;
  partnershipId: string;
  personRef: string;
  subject: PanelSubject;
  proposal: PanelProposal;
  proposedBy?: Proposer;
  config: PanelConfig;
  at: Instant;
  /** One fresh random id per invited member, in seat order. */
  approvalIds: readonly string[];
}

/** A new open request and one pending approval per invited seat. */
export function newPanelRequest(input: NewPanelRequestInput): { request: PanelRequest; approvals: Approval[] } {
  const seats = panelSeats(input.config);
  if (input.approvalIds.length !== seats.seats.length) throw new Error('newPanelRequest needs one approval id per seat');
  const timing = { ...input.config.timing };
  const deadline = addSeconds(input.at, timing.decisionDeadlineDays * SECONDS_PER_DAY);
  const request: PanelRequest = {
    id: input.id,
    applicationId: input.applicationId,
    ...(input.episodeId === undefined ? {} : { episodeId: input.episodeId }),
    partnershipId: input.partnershipId,
    personRef: input.personRef,
    subject: input.subject,
    proposal: input.proposal,
    ...(input.proposedBy === undefined
      ? {}
      : { proposedBy: { ...input.proposedBy, memberIds: proposerMembers([...seats.seats, ...seats.standby], input.proposedBy) } }),
    rule: { ...input.config.quorum },
    timing,
    ...seats,
    approvals: [],
    createdAt: input.at,
    deadline,
    closesAt: addSeconds(deadline, timing.escalationDays * SECONDS_PER_DAY),
    status: 'open',
    version: 1,
  };
  const approvals = seats.seats.map((seat, i) => approvalFor(seat, seat.memberId, input.approvalIds[i] as string, request, input.at));
  request.approvals = approvals.map((a) => ({ approvalId: a.id, memberId: a.memberId, seat: a.seat }));
  return { request, approvals };
}

/** The votes cast on the request's approvals. */
export function votesOf(approvals: readonly Approval[]): PanelVote[] {
  return approvals.flatMap((a) =>
    a.status === 'decided' && a.decision !== undefined && a.decidedAt !== undefined
      ? [
          {
            memberId: a.memberId,
            seat: a.seat,
            side: a.side,
            decision: a.decision,
            at: a.decidedAt,
            ...(a.reason === undefined ? {} : { reason: a.reason }),
          },
        ]
      : [],
  );
}

/** The quorum over the request's snapshot (seats, rule, proposer). */
export function quorumOf(request: PanelRequest, approvals: readonly Approval[]): QuorumState {
  return evaluateQuorum(request.rule, request.seats, votesOf(approvals), request.proposedBy);
}

function voteView(vote: PanelVote, request: PanelRequest): PanelVoteView {
  const member = [...request.seats, ...request.standby].find((s) => s.memberId === vote.memberId);
  return {
    memberId: vote.memberId,
    name: member?.name ?? vote.memberId,
    organisation: member?.organisation ?? '',
    side: vote.side,
    decision: vote.decision,
    at: vote.at,
    ...(vote.reason === undefined ? {} : { reason: vote.reason }),
    ...(vote.seat === vote.memberId ? {} : { onBehalfOf: vote.seat }),
  };
}

/** The result the waiting workflow resumes with. */
export function panelResult(request: PanelRequest, state: QuorumState, outcome: PanelOutcome, at: Instant): PanelDecisionResult {
  const reasons =
    outcome === 'no-decision'
      ? [
          `The panel did not reach a decision by ${request.closesAt} (deadline ${request.deadline}, then escalation). ${state.reasons.join(' ')}`.trim(),
        ]
      : state.reasons;
  return {
    panelRequestId: request.id,
    subject: request.subject,
    outcome,
    votes: state.counted.map((v) => voteView(v, request)),
    decidedAt: at,
    reasons,
  };
}

/** Closes an open request with `outcome`; null when it is already closed (the first close wins). */
export function closeRequest(request: PanelRequest, state: QuorumState, outcome: PanelOutcome, at: Instant): PanelRequest | null {
  if (request.status !== 'open') return null;
  return { ...request, status: 'decided', result: panelResult(request, state, outcome, at) };
}

/**
 * What a link can do now. 'open': show the form; 'voted': this member decided (show it); 'closed': the
 * panel decided without this vote; 'expired': past the request's end; 'seat-taken': the member (or
 * their deputy) already voted for this seat through another link.
 */
export type ApprovalState = 'open' | 'voted' | 'closed' | 'expired' | 'seat-taken';

export function approvalState(approval: Approval, request: PanelRequest, others: readonly Approval[], now: Instant): ApprovalState {
  if (approval.status === 'decided') return 'voted';
  if (request.status !== 'open') return 'closed';
  if (now >= approval.expiresAt) return 'expired';
  if (others.some((o) => o.id !== approval.id && o.seat === approval.seat && o.status === 'decided')) return 'seat-taken';
  return 'open';
}

/** A page token is reused while it has at least this long to run, so a form opened from it stays usable. */
export const PAGE_TOKEN_MIN_LEFT_SECONDS = 1_800;

/** The link page's live form token, or null when a new one must be issued (none yet, or too close to expiry). */
export function livePageToken(approval: Approval, now: Instant): string | null {
  const t = approval.pageToken;
  return t !== undefined && t.expiresAt > addSeconds(now, PAGE_TOKEN_MIN_LEFT_SECONDS) ? t.token : null;
}

/** Whether `token` is the link page's unexpired form token. */
export function isPageToken(approval: Approval, token: string, now: Instant): boolean {
  const t = approval.pageToken;
  return t !== undefined && token !== '' && t.token === token && t.expiresAt > now;
}

/** Sets a new page token (good for CSRF_TTL_SECONDS). */
export function withPageToken(approval: Approval, token: string, now: Instant): Approval {
  return { ...approval, pageToken: { token, expiresAt: addSeconds(now, CSRF_TTL_SECONDS) } };
}

/** Adds a form token's hash (dropping expired ones and keeping the newest CSRF_KEEP). */
export function withCsrf(approval: Approval, hash: string, now: Instant): Approval {
  const live = approval.csrf.filter((c) => c.expiresAt > now);
  return { ...approval, csrf: [...live, { hash, expiresAt: addSeconds(now, CSRF_TTL_SECONDS) }].slice(-CSRF_KEEP) };
}

/** Whether `hash` is an unspent, unexpired form token of this approval. */
export function hasLiveCsrf(approval: Approval, hash: string, now: Instant): boolean {
  return approval.csrf.some((c) => c.hash === hash && c.expiresAt > now);
}

/** Spends a form token (it can never be used again); null if it is not live. */
export function spendCsrf(approval: Approval, hash: string, now: Instant): Approval | null {
  if (!hasLiveCsrf(approval, hash, now)) return null;
  return { ...approval, csrf: approval.csrf.filter((c) => c.hash !== hash && c.expiresAt > now) };
}

/** Records the member's decision; every form token dies with it. */
export function castVote(
  approval: Approval,
  vote: { decision: VoteDecision; reason?: string; at: Instant; client?: ClientInfo },
): Approval {
  const decided: Approval = {
    ...approval,
    status: 'decided',
    decision: vote.decision,
    decidedAt: vote.at,
    csrf: [],
    ...(vote.reason === undefined ? {} : { reason: vote.reason }),
    ...(vote.client === undefined ? {} : { client: vote.client }),
  };
  delete decided.pageToken;
  return decided;
}

/**
 * At the deadline: a link for the deputy of every seat still empty (the deputy votes for that seat),
 * unless the deputy already has one. `ids` supplies a fresh approval id per new link.
 */
export function escalate(
  request: PanelRequest,
  approvals: readonly Approval[],
  at: Instant,
  ids: () => string,
): { request: PanelRequest; added: Approval[] } {
  const filled = new Set(approvals.filter((a) => a.status === 'decided').map((a) => a.seat));
  const added: Approval[] = [];
  for (const seat of request.seats) {
    if (filled.has(seat.memberId) || seat.deputy === undefined) continue;
    if (request.approvals.some((a) => a.memberId === seat.deputy && a.seat === seat.memberId)) continue;
    const deputy = request.standby.find((s) => s.memberId === seat.deputy) ?? request.seats.find((s) => s.memberId === seat.deputy);
    if (deputy === undefined) continue;
    added.push(approvalFor(deputy, seat.memberId, ids(), request, at));
  }
  return {
    request: {
      ...request,
      escalatedAt: request.escalatedAt ?? at,
      approvals: [...request.approvals, ...added.map((a) => ({ approvalId: a.id, memberId: a.memberId, seat: a.seat }))],
    },
    added,
  };
}
