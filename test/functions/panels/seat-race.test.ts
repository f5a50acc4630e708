/**
 * One vote per seat (issue 12 item 3): a panel member and their deputy confirming at the same moment fill the seat
 * once. The seat is claimed with one conditional write on the seat, so the race is run against the in-memory twin
 * and the DynamoDB store on dynalite.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PanelDecisionResult } from '#domain/panels/contract.ts';
import { DEFAULT_PANEL_THRESHOLDS, DEFAULT_PANEL_TIMING, DEFAULT_QUORUM_RULE, type PanelConfig } from '#domain/panels/panel.ts';
import type { PanelStore, SeatRef } from '#domain/panels/ports.ts';
import { DynamoPanelStore } from '#functions/adapters/dynamodb/panels.ts';
import { memoryPorts, type MemoryPorts } from '#functions/adapters/memory/index.ts';
import { MemoryPanelStore } from '#functions/adapters/memory/panels.ts';
import { showApproval, submitApproval } from '#functions/panels/approval-pages.ts';
import { randomId, sha256 } from '#functions/panels/panel-deps.ts';
import { escalatePanel, requestPanelDecision, type PanelDeps } from '#functions/panels/panel-steps.ts';
import type { PageResult } from '#functions/shared/middy.ts';
import { useDynalite } from '../../adapters/dynalite.ts';
import { application, partnership } from '../../support/application-builder.ts';

const START = Date.parse('2024-06-02T10:00:00.000Z');
const DAY_MS = 86_400_000;
const panel: PanelConfig = {
  members: [
    { id: 'icb-a', name: 'Tom Beddoes', email: 'tom@icb-a.example.nhs.uk', organisation: 'ICB-A', role: 'icb', deputy: 'icb-d' },
    { id: 'icb-d', name: 'Claire Whitfield', email: 'claire@icb-a.example.nhs.uk', organisation: 'ICB-A', role: 'icb' },
    { id: 'la-a', name: 'Mark Tolley', email: 'mark@la-a.example.gov.uk', organisation: 'LA-A', role: 'la' },
    { id: 'la-b', name: 'Fiona Grant', email: 'fiona@la-b.example.gov.uk', organisation: 'LA-B', role: 'la' },
  ],
  quorum: DEFAULT_QUORUM_RULE,
  timing: DEFAULT_PANEL_TIMING,
  thresholds: DEFAULT_PANEL_THRESHOLDS,
};
const orgs = [
  { code: 'ICB-A', kind: 'icb' as const, name: 'ICB A', email: 's117@icb-a.example.nhs.uk', partnerships: ['test'] },
  { code: 'LA-A', kind: 'la' as const, name: 'Council A', email: 's117@la-a.example.gov.uk', partnerships: ['test'] },
  { code: 'LA-B', kind: 'la' as const, name: 'Council B', email: 's117@la-b.example.gov.uk', partnerships: ['test'] },
];
const TOKEN = 'sfnlocal-tt-seat-race';

const freshTable = useDynalite();
const stores: { name: string; make: () => Promise<PanelStore> }[] = [
  { name: 'in memory', make: async () => new MemoryPanelStore() },
  {
    name: 'DynamoDB (dynalite)',
    make: async () => {
      const { db, tableName } = await freshTable();
      return new DynamoPanelStore(db, tableName);
    },
  },
];

describe.each(stores)('one vote per seat, $name', ({ make }) => {
  let a: MemoryPorts;
  let panels: PanelStore;
  let deps: PanelDeps;
  let now: number;

  beforeEach(async () => {
    now = START;
    a = memoryPorts(
      { now: () => '2024-06-02T10:00:00.000Z', today: () => '2024-06-02' },
      { organisations: orgs, partnerships: [{ ...partnership, panel }] },
    );
    panels = await make();
    deps = {
      ...a,
      panels,
      clock: { now: () => new Date(now).toISOString(), today: () => new Date(now).toISOString().slice(0, 10) },
      appBaseUrl: 'https://s117.example.org',
      remindersStateMachineArn: 'arn:aws:states:eu-west-2:000000000000:stateMachine:panel-reminders',
      randomId,
      hash: sha256,
    };
    await a.applications.create(application());
  });

  const get = (approvalId: string): Promise<PageResult> =>
    showApproval(deps, { method: 'GET', path: { approvalId }, form: null, sourceIp: '203.0.113.9', userAgent: 'test' });
  const post = (approvalId: string, fields: Record<string, string>): Promise<PageResult> =>
    submitApproval(deps, {
      method: 'POST',
      path: { approvalId },
      form: new URLSearchParams(fields),
      sourceIp: '203.0.113.9',
      userAgent: 'test',
    });
  const csrfOf = (page: PageResult): string => /name="csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';

  /** Opens the page and chooses: the confirm form, ready to post. */
  async function readyToConfirm(approvalId: string, decision: string, reason?: string): Promise<Record<string, string>> {
    const chosen = await post(approvalId, { csrf: csrfOf(await get(approvalId)), decision, ...(reason === undefined ? {} : { reason }) });
    expect(chosen.statusCode).toBe(200);
    return { csrf: csrfOf(chosen), decision, reason: reason ?? '', confirm: 'yes' };
  }

  it("a member's veto and their deputy's approval confirmed at the same moment: exactly one fills the seat", async () => {
    const ack = await requestPanelDecision(deps, {
      applicationId: 'app_1',
      subject: 'application',
      taskToken: TOKEN,
      proposal: { summary: 'Agree.' },
    });
    now = START + 7 * DAY_MS;
    await escalatePanel(deps, {
      panelRequestId: ack.panelRequestId,
      applicationId: 'app_1',
      checkpoint: 3,
      next: 'escalate',
      waitSeconds: 0,
    });
    const request = await panels.getRequest('app_1', ack.panelRequestId);
    const link = (memberId: string) => request?.approvals.find((x) => x.memberId === memberId)?.approvalId ?? '';
    const member = await readyToConfirm(link('icb-a'), 'reject', 'The placement is not s117 aftercare');
    const deputy = await readyToConfirm(link('icb-d'), 'approve');

    const [byMember, byDeputy] = await Promise.all([post(link('icb-a'), member), post(link('icb-d'), deputy)]);

    expect([byMember.statusCode, byDeputy.statusCode].sort()).toStrictEqual([200, 410]);
    const decided = (await Promise.all([panels.getApproval(link('icb-a')), panels.getApproval(link('icb-d'))])).filter(
      (x) => x?.status === 'decided',
    );
    expect(decided.map((x) => x?.seat)).toStrictEqual(['icb-a']);
    const counted = (await a.chronology.list('p_test')).filter((e) => e.type === 'panel-vote-recorded');
    expect(counted.map((e) => e.data['memberId'])).toStrictEqual([decided[0]?.memberId]);
    const loser = byMember.statusCode === 410 ? byMember : byDeputy;
    expect(loser.html).toContain('already');
    // The member's veto ends the request; the deputy's approval alone (no council yet) leaves it open.
    expect(a.workflow.succeeded.map((s) => (s.output as PanelDecisionResult).outcome)).toStrictEqual(
      decided[0]?.memberId === 'icb-a' ? ['rejected'] : [],
    );
  });

  it('a seat claim is one conditional write: of concurrent claims one holds the seat, and every claimant is told which', async () => {
    const seat: SeatRef = { applicationId: 'app_1', panelRequestId: 'pnl_1', seat: 'icb-a' };
    const claimants = ['approval-member', 'approval-deputy', 'approval-third'];

    const holders = await Promise.all(claimants.map((id) => panels.claimSeat(seat, id, '2024-06-12T10:00:00.000Z')));

    expect(new Set(holders).size).toBe(1);
    expect(claimants).toContain(holders[0]);
    expect(await panels.claimSeat(seat, holders[0] ?? '', '2024-06-12T10:00:00.000Z')).toBe(holders[0]);
    expect(await panels.claimSeat({ ...seat, seat: 'la-a' }, 'approval-deputy', '2024-06-12T10:00:00.000Z')).toBe('approval-deputy');
  });

  it('a claim is released only by its holder, and then another approval can take the seat', async () => {
    const seat: SeatRef = { applicationId: 'app_1', panelRequestId: 'pnl_1', seat: 'icb-a' };
    await panels.claimSeat(seat, 'approval-member', '2024-06-12T10:00:00.000Z');

    await panels.releaseSeat(seat, 'approval-deputy');
    const stillHeld = await panels.claimSeat(seat, 'approval-deputy', '2024-06-12T10:00:00.000Z');
    await panels.releaseSeat(seat, 'approval-member');
    const taken = await panels.claimSeat(seat, 'approval-deputy', '2024-06-12T10:00:00.000Z');

    expect([stillHeld, taken]).toStrictEqual(['approval-member', 'approval-deputy']);
  });
});
