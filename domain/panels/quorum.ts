/**
 * The one place a panel's votes become a decision: quorum, veto and four-eyes. The vote page, the
 * reminder loop and the no-decision answer all ask this function, so no entry point can skip a check.
 * The rule is the snapshot taken when the request was made, never the partnership's current setting.
 */
import type { PanelSide, PanelVote, Proposer, QuorumRule, VoteDecision } from './panel.ts';

export type QuorumOutcome = 'pending' | 'approved' | 'rejected' | 'more-information';

/** A seat the request counts (see panelSeats): its member, side and deputy. */
export interface QuorumSeat {
  memberId: string;
  side: PanelSide;
  deputy?: string;
}

export type IgnoredReason = 'four-eyes' | 'seat-already-voted' | 'not-a-seat';

export interface QuorumState {
  outcome: QuorumOutcome;
  approvals: { icb: number; la: number; total: number };
  needed: { icb: number; la: number; total: number };
  /** The votes that count, one per seat, in time order. */
  counted: PanelVote[];
  /** Votes cast but not counted, and why. */
  ignored: { memberId: string; seat: string; reason: IgnoredReason }[];
  /** Plain-English reasons for the outcome. */
  reasons: string[];
}

const isProposer = (memberId: string, proposedBy: Proposer | undefined): boolean =>
  proposedBy !== undefined && (proposedBy.userId === memberId || (proposedBy.memberIds ?? []).includes(memberId));

/**
 * Evaluates the votes cast on a request. A seat counts once (its first vote); an approval by the person
 * who made the proposal never counts (four-eyes); with `rejectionIsVeto` any counted rejection rejects,
 * otherwise a rejection rejects once the approvals needed can no longer be reached; a request for more
 * information ends the request unless it is rejected; else approved once every side has its approvals.
 */
export function evaluateQuorum(
  rule: QuorumRule,
  seats: readonly QuorumSeat[],
  votes: readonly PanelVote[],
  proposedBy?: Proposer,
): QuorumState {
  const bySeat = new Map(seats.map((s) => [s.memberId, s]));
  const ordered = votes
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (a.v.at < b.v.at ? -1 : a.v.at > b.v.at ? 1 : a.i - b.i))
    .map(({ v }) => v);
  const counted: PanelVote[] = [];
  const ignored: QuorumState['ignored'] = [];
  const filled = new Set<string>();
  for (const vote of ordered) {
    const seat = bySeat.get(vote.seat);
    if (seat === undefined || (vote.memberId !== seat.memberId && vote.memberId !== seat.deputy)) {
      ignored.push({ memberId: vote.memberId, seat: vote.seat, reason: 'not-a-seat' });
    } else if (filled.has(vote.seat)) {
      ignored.push({ memberId: vote.memberId, seat: vote.seat, reason: 'seat-already-voted' });
    } else if (vote.decision === 'approve' && isProposer(vote.memberId, proposedBy)) {
      ignored.push({ memberId: vote.memberId, seat: vote.seat, reason: 'four-eyes' });
    } else {
      filled.add(vote.seat);
      counted.push({ ...vote, side: seat.side });
    }
  }
  const approvals = { icb: 0, la: 0, total: 0 };
  for (const v of counted) {
    if (v.decision !== 'approve') continue;
    approvals[v.side] += 1;
    approvals.total += 1;
  }
  const needed = { icb: rule.icbApprovals, la: rule.laApprovals, total: rule.totalApprovals };
  const rejections = counted.filter((v) => v.decision === 'reject');
  const infoRequests = counted.filter((v) => v.decision === 'more-information');
  const base = { approvals, needed, counted, ignored };

  if (rejections.length > 0 && rule.rejectionIsVeto) {
    return {
      ...base,
      outcome: 'rejected',
      reasons: [`${rejections.map((v) => v.memberId).join(', ')} rejected the proposal; any rejection is a veto.`],
    };
  }
  if (rejections.length > 0) {
    // A seat can still approve if it has not voted and someone other than the proposer can fill it.
    const open = seats.filter((s) => !filled.has(s.memberId) && (!isProposer(s.memberId, proposedBy) || s.deputy !== undefined));
    const reachable = {
      icb: approvals.icb + open.filter((s) => s.side === 'icb').length,
      la: approvals.la + open.filter((s) => s.side === 'la').length,
      total: approvals.total + open.length,
    };
    if (reachable.icb < needed.icb || reachable.la < needed.la || reachable.total < needed.total) {
      return {
        ...base,
        outcome: 'rejected',
        reasons: [`${rejections.length} of the panel rejected the proposal and the approvals it needs can no longer be reached.`],
      };
    }
  }
  if (infoRequests.length > 0) {
    return {
      ...base,
      outcome: 'more-information',
      reasons: [`${infoRequests.map((v) => v.memberId).join(', ')} asked for more information before deciding.`],
    };
  }
  if (approvals.icb >= needed.icb && approvals.la >= needed.la && approvals.total >= needed.total) {
    return {
      ...base,
      outcome: 'approved',
      reasons: [
        `Approved by ${approvals.icb} ICB and ${approvals.la} council member${approvals.total === 1 ? '' : 's'}: the quorum (${needed.icb} ICB, ${needed.la} council, ${needed.total} in all) is met.`,
      ],
    };
  }
  const missing: string[] = [];
  if (approvals.icb < needed.icb)
    missing.push(`${needed.icb - approvals.icb} more ICB approval${needed.icb - approvals.icb === 1 ? '' : 's'}`);
  if (approvals.la < needed.la)
    missing.push(`${needed.la - approvals.la} more council approval${needed.la - approvals.la === 1 ? '' : 's'}`);
  if (approvals.total < needed.total && missing.length === 0)
    missing.push(`${needed.total - approvals.total} more approval${needed.total - approvals.total === 1 ? '' : 's'}`);
  return { ...base, outcome: 'pending', reasons: [`Waiting for ${missing.join(' and ')}.`] };
}

export type VoteCheck = { ok: true } | { ok: false; reason: string };

/** Four-eyes at the point of voting: the person who made the proposal may reject or ask for information, never approve it. */
export function checkVote(memberId: string, decision: VoteDecision, proposedBy: Proposer | undefined): VoteCheck {
  if (decision === 'approve' && isProposer(memberId, proposedBy)) {
    return {
      ok: false,
      reason:
        'You made this proposal, so you cannot approve it: another member of the panel must. You may still reject it or ask for more information.',
    };
  }
  return { ok: true };
}
