import { describe, expect, it } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { applicationPanelGate } from '#domain/panels/application-gate.ts';
import {
  DEFAULT_PANEL_THRESHOLDS,
  DEFAULT_PANEL_TIMING,
  DEFAULT_QUORUM_RULE,
  needsPanel,
  nextCheckpoint,
  panelCheckpoints,
  panelConfigProblems,
  panelSeats,
  panelTimeoutSeconds,
  type PanelConfig,
} from '#domain/panels/panel.ts';
import { approvalState, castVote, escalate, hasLiveCsrf, newPanelRequest, quorumOf, spendCsrf, withCsrf } from '#domain/panels/request.ts';
import type { Partnership } from '#domain/partnership.ts';

const DAY = 86_400;

const panel: PanelConfig = {
  members: [
    { id: 'icb-a', name: 'Tom Beddoes', email: 'tom@icb.example', organisation: 'ICB', role: 'icb', deputy: 'icb-d' },
    { id: 'icb-d', name: 'Claire Whitfield', email: 'claire@icb.example', organisation: 'ICB', role: 'icb' },
    { id: 'la-a', name: 'Mark Tolley', email: 'mark@la.example', organisation: 'LA', role: 'la' },
    { id: 'senior', name: 'Anne Holloway', email: 'anne@icb.example', organisation: 'ICB', role: 'senior' },
  ],
  quorum: DEFAULT_QUORUM_RULE,
  timing: DEFAULT_PANEL_TIMING,
  thresholds: DEFAULT_PANEL_THRESHOLDS,
};

describe('needsPanel', () => {
  it.each([
    { subject: 'application', weekly: 150_000, needs: false },
    { subject: 'application', weekly: 150_001, needs: true },
    { subject: 'split', weekly: 100_000, needs: false },
    { subject: 'split', weekly: 100_001, needs: true },
    { subject: 'dispute-outcome', weekly: 100_001, needs: true },
    { subject: 'ending', weekly: 0, needs: true },
  ] as const)('$subject at $weekly pence a week → $needs', ({ subject, weekly, needs }) => {
    expect(needsPanel(panel, subject, weekly)).toBe(needs);
  });

  it('nothing needs a panel where the partnership has none', () => {
    expect(needsPanel(undefined, 'ending', 10_000_000)).toBe(false);
  });
});

describe("the panel's timers", () => {
  it('reminds every 2 days before a 7-day deadline, escalates at it, answers no-decision 3 days later', () => {
    expect(panelCheckpoints(DEFAULT_PANEL_TIMING)).toStrictEqual([
      { kind: 'remind', at: 2 * DAY },
      { kind: 'remind', at: 4 * DAY },
      { kind: 'remind', at: 6 * DAY },
      { kind: 'escalate', at: 7 * DAY },
      { kind: 'no-decision', at: 10 * DAY },
    ]);
    expect(panelTimeoutSeconds(DEFAULT_PANEL_TIMING)).toBe(11 * DAY);
  });

  it('sends no reminder on the deadline itself', () => {
    expect(panelCheckpoints({ reminderEveryDays: 2, decisionDeadlineDays: 4, escalationDays: 1 }).map((c) => c.kind)).toStrictEqual([
      'remind',
      'escalate',
      'no-decision',
    ]);
  });

  it('walks the loop: waits between checkpoints, and stops once decided', () => {
    const ids = { panelRequestId: 'pnl_1', applicationId: 'app_1' };
    expect(nextCheckpoint(DEFAULT_PANEL_TIMING, ids, -1, false)).toStrictEqual({
      ...ids,
      checkpoint: 0,
      next: 'remind',
      waitSeconds: 2 * DAY,
    });
    expect(nextCheckpoint(DEFAULT_PANEL_TIMING, ids, 2, false)).toStrictEqual({
      ...ids,
      checkpoint: 3,
      next: 'escalate',
      waitSeconds: DAY,
    });
    expect(nextCheckpoint(DEFAULT_PANEL_TIMING, ids, 3, false)).toStrictEqual({
      ...ids,
      checkpoint: 4,
      next: 'no-decision',
      waitSeconds: 3 * DAY,
    });
    expect(nextCheckpoint(DEFAULT_PANEL_TIMING, ids, 4, false)).toStrictEqual({ ...ids, checkpoint: 5, next: 'done', waitSeconds: 0 });
    expect(nextCheckpoint(DEFAULT_PANEL_TIMING, ids, 1, true)).toStrictEqual({ ...ids, checkpoint: 2, next: 'done', waitSeconds: 0 });
  });
});

describe('panel configuration', () => {
  it('invites voting members, keeps deputies on standby and seniors for escalation', () => {
    const s = panelSeats(panel);
    expect(s.seats.map((m) => m.memberId)).toStrictEqual(['icb-a', 'la-a']);
    expect(s.standby.map((m) => m.memberId)).toStrictEqual(['icb-d']);
    expect(s.seniors.map((m) => m.memberId)).toStrictEqual(['senior']);
  });

  it('accepts the example panel', () => {
    expect(panelConfigProblems(panel, ['ICB', 'LA'])).toStrictEqual([]);
  });

  it('names every problem: an unknown deputy, a deputy on the other side, a quorum no one can reach, no senior officer, a stranger organisation', () => {
    const bad: PanelConfig = {
      ...panel,
      members: [
        { id: 'icb-a', name: 'A', email: 'a@x.example', organisation: 'ICB', role: 'icb', deputy: 'la-a' },
        { id: 'la-a', name: 'B', email: 'b@x.example', organisation: 'ELSEWHERE', role: 'la', deputy: 'nobody' },
      ],
      quorum: { icbApprovals: 2, laApprovals: 1, totalApprovals: 2, rejectionIsVeto: true },
    };
    expect(panelConfigProblems(bad, ['ICB', 'LA'])).toStrictEqual([
      ['members[1].organisation', 'ELSEWHERE is not a member of the partnership'],
      ['members[0].deputy', 'la-a must sit on the same side (icb)'],
      ['members[1].deputy', 'nobody is not a member of the panel'],
      ['quorum.icbApprovals', 'needs 2 ICB approvals but the panel invites 1 ICB members'],
      ['quorum.laApprovals', 'needs 1 council approvals but the panel invites 0 council members'],
      ['quorum.totalApprovals', 'must be at least icbApprovals + laApprovals'],
      ['quorum.totalApprovals', 'needs 2 approvals but the panel invites 1 members'],
      ['members', 'must include a senior officer (role "senior") to escalate to'],
    ]);
  });
});

describe('a panel request', () => {
  const at = '2025-03-01T09:00:00.000Z';
  const made = () =>
    newPanelRequest({
      id: 'pnl_1',
      applicationId: 'app_1',
      partnershipId: 'p',
      personRef: 'pr_1',
      subject: 'application',
      proposal: { summary: 'Fund it' },
      proposedBy: { userId: 'someone', org: 'LA' },
      config: panel,
      at,
      approvalIds: ['A1', 'A2'],
    });

  it('snapshots the rule and timers, with a deadline and an end', () => {
    const { request, approvals } = made();
    expect(request).toMatchObject({
      status: 'open',
      deadline: '2025-03-08T09:00:00.000Z',
      closesAt: '2025-03-11T09:00:00.000Z',
      rule: DEFAULT_QUORUM_RULE,
    });
    expect(request.approvals).toStrictEqual([
      { approvalId: 'A1', memberId: 'icb-a', seat: 'icb-a' },
      { approvalId: 'A2', memberId: 'la-a', seat: 'la-a' },
    ]);
    expect(approvals.map((a) => [a.id, a.status, a.expiresAt])).toStrictEqual([
      ['A1', 'pending', request.closesAt],
      ['A2', 'pending', request.closesAt],
    ]);
  });

  it('form tokens: live until spent or an hour old; the newest five are kept', () => {
    const [a] = made().approvals;
    if (a === undefined) throw new Error('no approval');
    let approval = a;
    for (let i = 0; i < 7; i++) approval = withCsrf(approval, `h${i}`, at);
    expect(approval.csrf.map((c) => c.hash)).toStrictEqual(['h2', 'h3', 'h4', 'h5', 'h6']);
    const spent = spendCsrf(approval, 'h4', at);
    expect(spent?.csrf.map((c) => c.hash)).toStrictEqual(['h2', 'h3', 'h5', 'h6']);
    expect(spent === null ? null : spendCsrf(spent, 'h4', at)).toBeNull();
    expect(hasLiveCsrf(approval, 'h6', '2025-03-01T10:00:00.000Z')).toBe(false);
    expect(hasLiveCsrf(approval, 'h6', '2025-03-01T09:59:59.999Z')).toBe(true);
  });

  it('link states: open, voted, seat taken by a deputy, closed, expired', () => {
    const { request, approvals } = made();
    const [icb, la] = approvals as [(typeof approvals)[0], (typeof approvals)[0]];
    expect(approvalState(icb, request, approvals, at)).toBe('open');
    expect(approvalState(icb, request, approvals, request.closesAt)).toBe('expired');
    const voted = castVote(icb, { decision: 'approve', at });
    expect(approvalState(voted, request, [voted, la], at)).toBe('voted');
    const escalated = escalate(request, [icb, la], at, () => 'D1');
    const deputy = escalated.added[0];
    expect(deputy).toMatchObject({ id: 'D1', memberId: 'icb-d', seat: 'icb-a', side: 'icb' });
    if (deputy === undefined) throw new Error('no deputy link');
    expect(approvalState(deputy, escalated.request, [voted, la, deputy], at)).toBe('seat-taken');
    expect(approvalState(la, { ...request, status: 'decided' }, approvals, at)).toBe('closed');
  });

  it('escalation gives a link only to deputies of empty seats, once', () => {
    const { request, approvals } = made();
    const first = escalate(request, approvals, '2025-03-08T09:00:00.000Z', () => 'D1');
    expect(first.added.map((a) => a.memberId)).toStrictEqual(['icb-d']);
    expect(first.request.escalatedAt).toBe('2025-03-08T09:00:00.000Z');
    expect(escalate(first.request, [...approvals, ...first.added], '2025-03-09T09:00:00.000Z', () => 'D2').added).toStrictEqual([]);
  });

  it("the quorum counts a deputy's vote for the seat", () => {
    const { request, approvals } = made();
    const { request: escalated, added } = escalate(request, approvals, at, () => 'D1');
    const votes = [
      castVote(added[0] as (typeof added)[0], { decision: 'approve', at }),
      castVote(approvals[1] as (typeof approvals)[0], { decision: 'approve', at }),
    ];
    expect(quorumOf(escalated, [approvals[0] as (typeof approvals)[0], ...votes]).outcome).toBe('approved');
  });
});

describe('applicationPanelGate', () => {
  const partnership: Partnership = {
    id: 'p',
    name: 'P',
    members: ['ICB', 'LA'],
    ruleConfig: { name: 'default', mha2025S46CommencementDate: null },
    responseDeadlineDays: 10,
    funding: { agreedIcbShare: 6_000, interimIcbShare: 5_000, interimLead: 'la', icbDisputeShare: 5_000 },
    panel,
  };
  const app = {
    id: 'app_1',
    submittedBy: { userId: 'la-commissioner', org: 'LA', orgKind: 'la' },
    requestedStartDate: '2025-03-10',
    determination: { icb: { body: 'ICB' }, localAuthority: { body: 'LA' } },
    carePlan: {
      serviceLines: [
        {
          id: 'l1',
          description: 'Placement',
          provider: 'P',
          category: 'accommodation',
          s117: true,
          weeklyCostPence: 180_001,
          startDate: '2025-03-10',
        },
        {
          id: 'l2',
          description: 'Benefits advice',
          provider: 'Q',
          category: 'other',
          s117: false,
          weeklyCostPence: 90_000,
          startDate: '2025-03-10',
        },
      ],
    },
  } as unknown as Application;

  it('above the threshold: needs the panel, with the split of the s117 cost to the penny', () => {
    const gate = applicationPanelGate(app, partnership, '2025-03-01T09:00:00.000Z');
    expect(gate).toStrictEqual({
      needsPanel: true,
      panelTimeoutSeconds: 11 * DAY,
      proposedBy: { userId: 'la-commissioner', org: 'LA' },
      panelProposal: {
        summary: 'Agree s117 funding of £1,800.01 a week from 10 March 2025, shared ICB 60% (£1,080.01), LA 40% (£720.00).',
        weeklyCostPence: 180_001,
        split: [
          { body: 'ICB', party: 'icb', basisPoints: 6_000 },
          { body: 'LA', party: 'la', basisPoints: 4_000 },
        ],
        startDate: '2025-03-10',
        details: [
          "ICB and LA both accepted the determination. They share the cost 60:40 under the partnership's agreed split, from 2025-03-10.",
        ],
      },
    });
  });

  it('at or below the threshold, or without a panel: no panel', () => {
    const cheaper = { ...app, carePlan: { serviceLines: [{ ...app.carePlan.serviceLines[0], weeklyCostPence: 150_000 }] } } as Application;
    expect(applicationPanelGate(cheaper, partnership, '2025-03-01T09:00:00.000Z').needsPanel).toBe(false);
    const withoutPanel: Partnership = { ...partnership };
    delete withoutPanel.panel;
    expect(applicationPanelGate(app, withoutPanel, '2025-03-01T09:00:00.000Z')).toMatchObject({
      needsPanel: false,
      panelTimeoutSeconds: 11 * DAY,
    });
  });
});
