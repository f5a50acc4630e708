import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUORUM_RULE, type PanelVote, type QuorumRule, type VoteDecision } from '#domain/panels/panel.ts';
import { checkVote, evaluateQuorum, type QuorumSeat } from '#domain/panels/quorum.ts';

const RUNS = { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 300) };

const seats: QuorumSeat[] = [
  { memberId: 'icb-1', side: 'icb', deputy: 'icb-dep' },
  { memberId: 'icb-2', side: 'icb' },
  { memberId: 'la-1', side: 'la', deputy: 'la-dep' },
  { memberId: 'la-2', side: 'la' },
];
const sideOf = (seat: string) => seats.find((s) => s.memberId === seat)?.side ?? 'icb';
let minute = 0;
const vote = (memberId: string, decision: VoteDecision, seat = memberId, at?: string): PanelVote => ({
  memberId,
  seat,
  side: sideOf(seat),
  decision,
  at: at ?? `2025-03-01T10:${String(minute++ % 60).padStart(2, '0')}:00.000Z`,
});

describe('evaluateQuorum, the default rule (one ICB and one council approval, rejection vetoes, four-eyes)', () => {
  it.each([
    { name: 'no votes yet', votes: [], outcome: 'pending', approvals: { icb: 0, la: 0, total: 0 } },
    { name: 'ICB approval only', votes: [vote('icb-1', 'approve')], outcome: 'pending', approvals: { icb: 1, la: 0, total: 1 } },
    {
      name: 'two ICB approvals are not a council approval',
      votes: [vote('icb-1', 'approve'), vote('icb-2', 'approve')],
      outcome: 'pending',
      approvals: { icb: 2, la: 0, total: 2 },
    },
    {
      name: 'one ICB and one council approval',
      votes: [vote('icb-1', 'approve'), vote('la-1', 'approve')],
      outcome: 'approved',
      approvals: { icb: 1, la: 1, total: 2 },
    },
    {
      name: 'a single rejection vetoes approvals',
      votes: [vote('icb-1', 'approve'), vote('la-2', 'reject'), vote('la-1', 'approve')],
      outcome: 'rejected',
      approvals: { icb: 1, la: 1, total: 2 },
    },
    {
      name: 'a request for information stops an incomplete quorum',
      votes: [vote('icb-1', 'approve'), vote('la-1', 'more-information')],
      outcome: 'more-information',
      approvals: { icb: 1, la: 0, total: 1 },
    },
    {
      name: 'a rejection beats a request for information',
      votes: [vote('icb-1', 'more-information'), vote('la-1', 'reject')],
      outcome: 'rejected',
      approvals: { icb: 0, la: 0, total: 0 },
    },
    {
      name: 'a deputy fills the seat of the member they stand in for',
      votes: [vote('icb-dep', 'approve', 'icb-1'), vote('la-1', 'approve')],
      outcome: 'approved',
      approvals: { icb: 1, la: 1, total: 2 },
    },
  ] as const)('$name → $outcome', ({ votes, outcome, approvals }) => {
    const state = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, votes);
    expect(state.outcome).toBe(outcome);
    expect(state.approvals).toStrictEqual(approvals);
  });

  it("four-eyes: the proposer's approval is recorded but does not count", () => {
    const state = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, [vote('icb-1', 'approve'), vote('la-1', 'approve')], {
      userId: 'la-1',
      org: 'LA',
    });
    expect(state.outcome).toBe('pending');
    expect(state.ignored).toStrictEqual([{ memberId: 'la-1', seat: 'la-1', reason: 'four-eyes' }]);
    expect(state.reasons).toStrictEqual(['Waiting for 1 more council approval.']);
  });

  it('four-eyes: the proposer may still reject', () => {
    const state = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, [vote('icb-1', 'approve'), vote('la-1', 'reject')], {
      userId: 'la-1',
      org: 'LA',
    });
    expect(state.outcome).toBe('rejected');
  });

  it('a seat counts its first vote only: the deputy cannot overturn the member, nor vote twice', () => {
    const state = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, [
      vote('la-1', 'approve', 'la-1', '2025-03-01T10:00:00.000Z'),
      vote('la-dep', 'reject', 'la-1', '2025-03-01T11:00:00.000Z'),
      vote('icb-1', 'approve', 'icb-1', '2025-03-01T12:00:00.000Z'),
    ]);
    expect(state.outcome).toBe('approved');
    expect(state.ignored).toStrictEqual([{ memberId: 'la-dep', seat: 'la-1', reason: 'seat-already-voted' }]);
  });

  it('a vote for a seat that is not on the request, or by someone who does not hold it, is ignored', () => {
    const state = evaluateQuorum(DEFAULT_QUORUM_RULE, seats, [vote('stranger', 'reject', 'stranger'), vote('icb-2', 'reject', 'la-1')]);
    expect(state.outcome).toBe('pending');
    expect(state.ignored.map((i) => i.reason)).toStrictEqual(['not-a-seat', 'not-a-seat']);
  });
});

describe('evaluateQuorum without a veto', () => {
  const rule: QuorumRule = { icbApprovals: 1, laApprovals: 1, totalApprovals: 3, rejectionIsVeto: false };

  it('a rejection leaves the request open while the approvals can still be reached', () => {
    expect(evaluateQuorum(rule, seats, [vote('icb-1', 'reject')]).outcome).toBe('pending');
  });

  it('approved with enough approvals despite a rejection', () => {
    expect(
      evaluateQuorum(rule, seats, [vote('icb-1', 'reject'), vote('icb-2', 'approve'), vote('la-1', 'approve'), vote('la-2', 'approve')])
        .outcome,
    ).toBe('approved');
  });

  it('rejected once the approvals can no longer be reached', () => {
    const state = evaluateQuorum(rule, seats, [vote('icb-1', 'reject'), vote('la-1', 'reject')]);
    expect(state.outcome).toBe('rejected');
    expect(state.reasons).toStrictEqual(['2 of the panel rejected the proposal and the approvals it needs can no longer be reached.']);
  });
});

describe('checkVote (four-eyes at the vote)', () => {
  it("refuses an approval by the proposer, and allows their rejection and others' approvals", () => {
    const proposer = { userId: 'icb-1', org: 'ICB' };
    expect(checkVote('icb-1', 'approve', proposer).ok).toBe(false);
    expect(checkVote('icb-1', 'reject', proposer)).toStrictEqual({ ok: true });
    expect(checkVote('icb-2', 'approve', proposer)).toStrictEqual({ ok: true });
    expect(checkVote('icb-1', 'approve', undefined)).toStrictEqual({ ok: true });
  });
});

const decisionArb = fc.constantFrom<VoteDecision>('approve', 'reject', 'more-information');
const votesArb = fc
  .uniqueArray(
    fc.record({ seat: fc.constantFrom(...seats.map((s) => s.memberId)), decision: decisionArb, minute: fc.integer({ min: 0, max: 59 }) }),
    { selector: (v) => v.seat, maxLength: 4 },
  )
  .map((vs) =>
    vs.map(
      (v) =>
        ({
          memberId: v.seat,
          seat: v.seat,
          side: sideOf(v.seat),
          decision: v.decision,
          at: `2025-03-01T10:${String(v.minute).padStart(2, '0')}:00.000Z`,
        }) as PanelVote,
    ),
  );
const ruleArb = fc
  .record({
    icbApprovals: fc.integer({ min: 0, max: 2 }),
    laApprovals: fc.integer({ min: 0, max: 2 }),
    extra: fc.integer({ min: 0, max: 1 }),
    rejectionIsVeto: fc.boolean(),
  })
  .map(({ extra, ...r }) => ({ ...r, totalApprovals: Math.max(1, r.icbApprovals + r.laApprovals + extra) }));
const proposerArb = fc.option(
  fc.constantFrom('icb-1', 'la-1', 'la-2').map((userId) => ({ userId, org: 'X' })),
  { nil: undefined },
);

describe('properties of evaluateQuorum', () => {
  it('approved only when every side has its approvals, none from the proposer, and no veto', () => {
    fc.assert(
      fc.property(ruleArb, votesArb, proposerArb, (rule, votes, proposer) => {
        const state = evaluateQuorum(rule, seats, votes, proposer);
        fc.pre(state.outcome === 'approved');
        const counted = votes.filter((v) => v.decision === 'approve' && v.memberId !== proposer?.userId);
        expect(counted.filter((v) => v.side === 'icb').length).toBeGreaterThanOrEqual(rule.icbApprovals);
        expect(counted.filter((v) => v.side === 'la').length).toBeGreaterThanOrEqual(rule.laApprovals);
        expect(counted.length).toBeGreaterThanOrEqual(rule.totalApprovals);
        expect(votes.some((v) => v.decision === 'more-information')).toBe(false);
        expect(rule.rejectionIsVeto && votes.some((v) => v.decision === 'reject')).toBe(false);
      }),
      RUNS,
    );
  });

  it('with a veto, any rejection rejects', () => {
    fc.assert(
      fc.property(ruleArb, votesArb, proposerArb, (rule, votes, proposer) => {
        fc.pre(votes.some((v) => v.decision === 'reject'));
        expect(evaluateQuorum({ ...rule, rejectionIsVeto: true }, seats, votes, proposer).outcome).toBe('rejected');
      }),
      RUNS,
    );
  });

  it("the proposer's approval never changes the outcome", () => {
    fc.assert(
      fc.property(ruleArb, votesArb, fc.constantFrom('icb-1', 'la-1'), (rule, votes, proposerId) => {
        const proposer = { userId: proposerId, org: 'X' };
        const without = votes.filter((v) => v.memberId !== proposerId);
        const withApproval = [
          ...without,
          {
            memberId: proposerId,
            seat: proposerId,
            side: sideOf(proposerId),
            decision: 'approve' as const,
            at: '2025-03-01T09:00:00.000Z',
          },
        ];
        expect(evaluateQuorum(rule, seats, withApproval, proposer).outcome).toBe(evaluateQuorum(rule, seats, without, proposer).outcome);
      }),
      RUNS,
    );
  });

  // The generator must produce what makes order matter if the code gets it wrong: two votes for one seat (member and
  // deputy, so "first vote counts" decides between them), votes by strangers, and the proposer. Timestamps are
  // distinct, so "first" is defined by time alone; then no reordering of the array may change the result.
  const seatVoteArb = fc.record({
    seat: fc.constantFrom(...seats.map((s) => s.memberId)),
    byDeputy: fc.boolean(),
    decision: decisionArb,
  });
  const contestedVotesArb = fc
    .tuple(
      fc.array(seatVoteArb, { minLength: 2, maxLength: 8 }),
      fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 8, maxLength: 8 }),
    )
    .map(([vs, minutes]) =>
      vs.map((v, i): PanelVote => ({
        memberId: v.byDeputy ? (seats.find((s) => s.memberId === v.seat)?.deputy ?? 'stranger') : v.seat,
        seat: v.seat,
        side: sideOf(v.seat),
        decision: v.decision,
        at: `2025-03-01T10:${String(minutes[i] ?? 0).padStart(2, '0')}:00.000Z`,
      })),
    );

  it('the order the votes arrive in does not matter', () => {
    fc.assert(
      fc.property(ruleArb, contestedVotesArb, proposerArb, fc.func(fc.integer()), (rule, votes, proposer, key) => {
        const shuffled = votes
          .map((v, i) => ({ v, k: key(i) }))
          .sort((a, b) => a.k - b.k)
          .map(({ v }) => v);
        const a = evaluateQuorum(rule, seats, shuffled, proposer);
        const b = evaluateQuorum(rule, seats, votes, proposer);
        expect(a.outcome).toBe(b.outcome);
        expect(a.counted).toStrictEqual(b.counted);
        expect(a.approvals).toStrictEqual(b.approvals);
      }),
      RUNS,
    );
  });

  it('the vote-order generator produces seats voted twice with different decisions (so the property above can fail)', () => {
    const samples = fc.sample(contestedVotesArb, { numRuns: 200, seed: 117 });
    const contested = samples.filter((vs) =>
      vs.some((v, i) => vs.some((w, j) => j !== i && w.seat === v.seat && w.decision !== v.decision)),
    );
    expect(contested.length).toBeGreaterThan(20);
  });

  it('one more approval never turns an approved request into anything else', () => {
    fc.assert(
      fc.property(ruleArb, votesArb, (rule, votes) => {
        const before = evaluateQuorum(rule, seats, votes);
        fc.pre(before.outcome === 'approved');
        const empty = seats.find((s) => !votes.some((v) => v.seat === s.memberId));
        fc.pre(empty !== undefined);
        const more = [
          ...votes,
          {
            memberId: empty?.memberId ?? '',
            seat: empty?.memberId ?? '',
            side: empty?.side ?? 'icb',
            decision: 'approve' as const,
            at: '2025-03-01T11:00:00.000Z',
          },
        ];
        expect(evaluateQuorum(rule, seats, more).outcome).toBe('approved');
      }),
      RUNS,
    );
  });
});
