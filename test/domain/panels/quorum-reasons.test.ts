/**
 * evaluateQuorum in detail: the reasons people read (exact text, singular and plural), which votes are counted,
 * how a tie in time is broken, and when a rejection without a veto makes the approvals unreachable, per side.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUORUM_RULE, type PanelVote, type QuorumRule, type VoteDecision } from '#domain/panels/panel.ts';
import { checkVote, evaluateQuorum, type QuorumSeat } from '#domain/panels/quorum.ts';

const seats: QuorumSeat[] = [
  { memberId: 'icb-1', side: 'icb', deputy: 'icb-dep' },
  { memberId: 'icb-2', side: 'icb' },
  { memberId: 'la-1', side: 'la', deputy: 'la-dep' },
  { memberId: 'la-2', side: 'la' },
];
const sideOf = (seat: string) => (seat.startsWith('la') ? 'la' : 'icb');
const vote = (memberId: string, decision: VoteDecision, minute: number, seat = memberId): PanelVote => ({
  memberId,
  seat,
  side: sideOf(seat),
  decision,
  at: `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
});
const rule = (icbApprovals: number, laApprovals: number, totalApprovals: number, rejectionIsVeto = false): QuorumRule => ({
  icbApprovals,
  laApprovals,
  totalApprovals,
  rejectionIsVeto,
});

describe('which votes count', () => {
  it('counts one vote per seat in time order, taking the side from the seat', () => {
    const votes = [vote('la-1', 'approve', 5), { ...vote('icb-2', 'approve', 1), side: 'la' as const }];
    const state = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, votes);
    expect(state.counted).toStrictEqual([{ ...vote('icb-2', 'approve', 1), side: 'icb' }, vote('la-1', 'approve', 5)]);
    expect(state.ignored).toStrictEqual([]);
  });

  it('breaks a tie in time by the order the votes were recorded', () => {
    const first = vote('la-1', 'reject', 7);
    const second = vote('la-dep', 'approve', 7, 'la-1');
    const a = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, [vote('icb-1', 'approve', 0), first, second]);
    expect(a.outcome).toBe('rejected');
    expect(a.ignored).toStrictEqual([{ memberId: 'la-dep', seat: 'la-1', reason: 'seat-already-voted' }]);
    const b = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, [vote('icb-1', 'approve', 0), second, first]);
    expect(b.outcome).toBe('approved');
    expect(b.ignored).toStrictEqual([{ memberId: 'la-1', seat: 'la-1', reason: 'seat-already-voted' }]);
  });

  it('an earlier vote counts even when recorded later', () => {
    const state = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, [vote('la-dep', 'approve', 9, 'la-1'), vote('la-1', 'reject', 8)]);
    expect(state.outcome).toBe('rejected');
    expect(state.counted.map((v) => v.memberId)).toStrictEqual(['la-1']);
  });
});

describe('the reasons given', () => {
  it('names every member who vetoed', () => {
    const state = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, [vote('icb-1', 'reject', 1), vote('la-2', 'reject', 2)]);
    expect(state.reasons).toStrictEqual(['icb-1, la-2 rejected the proposal; any rejection is a veto.']);
  });

  it('names every member who asked for more information', () => {
    const state = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, [vote('icb-1', 'more-information', 1), vote('la-2', 'more-information', 2)]);
    expect(state.outcome).toBe('more-information');
    expect(state.reasons).toStrictEqual(['icb-1, la-2 asked for more information before deciding.']);
  });

  it.each([
    [rule(1, 1, 2), ['icb-1', 'la-1'], 'Approved by 1 ICB and 1 council members: the quorum (1 ICB, 1 council, 2 in all) is met.'],
    [rule(0, 0, 1), ['la-1'], 'Approved by 0 ICB and 1 council member: the quorum (0 ICB, 0 council, 1 in all) is met.'],
  ] as const)('states the approvals and the quorum when approved (%#)', (r, approvers, reason) => {
    const state = evaluateQuorum(
      r,
      seats,
      approvers.map((m, i) => vote(m, 'approve', i)),
    );
    expect(state.outcome).toBe('approved');
    expect(state.reasons).toStrictEqual([reason]);
  });

  it.each([
    [rule(1, 1, 2), [], 'Waiting for 1 more ICB approval and 1 more council approval.'],
    [rule(2, 2, 4), [], 'Waiting for 2 more ICB approvals and 2 more council approvals.'],
    [rule(2, 0, 2), ['icb-1'], 'Waiting for 1 more ICB approval.'],
    [rule(0, 2, 2), ['la-1'], 'Waiting for 1 more council approval.'],
    [rule(0, 0, 3), ['la-1'], 'Waiting for 2 more approvals.'],
    [rule(0, 0, 2), ['la-1'], 'Waiting for 1 more approval.'],
    [rule(1, 0, 3), ['la-1'], 'Waiting for 1 more ICB approval.'],
  ] as const)('says what is still missing while pending (%#)', (r, approvers, reason) => {
    const state = evaluateQuorum(
      r,
      seats,
      approvers.map((m, i) => vote(m, 'approve', i)),
    );
    expect(state.outcome).toBe('pending');
    expect(state.reasons).toStrictEqual([reason]);
  });

  it('tells the proposer why they cannot approve, and no one else', () => {
    expect(checkVote('icb-1', 'approve', { userId: 'icb-1', org: 'ICB' })).toStrictEqual({
      ok: false,
      reason:
        'You made this proposal, so you cannot approve it: another member of the panel must. You may still reject it or ask for more information.',
    });
    expect(checkVote('icb-1', 'more-information', { userId: 'icb-1', org: 'ICB' })).toStrictEqual({ ok: true });
  });
});

describe('without a veto, a rejection rejects only once the approvals cannot be reached', () => {
  it('an unreachable quorum with no rejection stays pending', () => {
    expect(evaluateQuorum(rule(3, 0, 3), seats, []).outcome).toBe('pending');
  });

  it.each([
    ['ICB side short', rule(1, 0, 1), ['icb-1', 'icb-2'], 'rejected'],
    ['ICB side just reachable', rule(1, 0, 1), ['icb-1'], 'pending'],
    ['council side short', rule(0, 1, 1), ['la-1', 'la-2'], 'rejected'],
    ['council side just reachable', rule(0, 1, 1), ['la-1'], 'pending'],
    ['total short', rule(0, 0, 4), ['la-1'], 'rejected'],
    ['total just reachable', rule(0, 0, 3), ['la-1'], 'pending'],
    ['the other side rejecting leaves the ICB side reachable', rule(2, 0, 2), ['la-1', 'la-2'], 'pending'],
    ['the other side rejecting leaves the council side reachable', rule(0, 2, 2), ['icb-1', 'icb-2'], 'pending'],
  ] as const)('%s → %s', (_name, r, rejecters, outcome) => {
    const state = evaluateQuorum(
      r,
      seats,
      rejecters.map((m, i) => vote(m, 'reject', i)),
    );
    expect(state.outcome).toBe(outcome);
  });

  it("the proposer's own seat can still be filled only through its deputy", () => {
    const needsCouncil = rule(0, 1, 1);
    // la-2 (no deputy) proposed and la-1 rejected: nobody who may approve is left on the council side.
    expect(evaluateQuorum(needsCouncil, seats, [vote('la-1', 'reject', 1)], { userId: 'la-2', org: 'LA' }).outcome).toBe('rejected');
    // la-1 (deputy la-dep) proposed and la-2 rejected: the deputy can still approve for la-1's seat.
    expect(evaluateQuorum(needsCouncil, seats, [vote('la-2', 'reject', 1)], { userId: 'la-1', org: 'LA' }).outcome).toBe('pending');
  });
});
