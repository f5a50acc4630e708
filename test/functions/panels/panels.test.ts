import { beforeEach, describe, expect, it } from 'vitest';
import type { PanelDecisionResult } from '#domain/panels/contract.ts';
import { DEFAULT_PANEL_THRESHOLDS, DEFAULT_PANEL_TIMING, DEFAULT_QUORUM_RULE, type PanelConfig } from '#domain/panels/panel.ts';
import type { Approval } from '#domain/panels/request.ts';
import { memoryPorts, type MemoryPorts } from '#functions/adapters/memory/index.ts';
import { showApproval, submitApproval } from '#functions/panels/approval-pages.ts';
import type { MemoryPanelStore } from '#functions/adapters/memory/panels.ts';
import { randomId, sha256 } from '#functions/panels/panel-deps.ts';
import {
  escalatePanel,
  requestPanelDecision,
  resolveNoDecision,
  sendPanelReminders,
  type PanelDeps,
} from '#functions/panels/panel-steps.ts';
import type { PageInput, PageResult } from '#functions/shared/middy.ts';
import { application, partnership } from '../../support/application-builder.ts';

const START = Date.parse('2024-06-02T10:00:00.000Z');
const DAY_MS = 86_400_000;
const panel: PanelConfig = {
  members: [
    { id: 'icb-a', name: 'Tom Beddoes', email: 'tom@icb-a.example.nhs.uk', organisation: 'ICB-A', role: 'icb', deputy: 'icb-d' },
    { id: 'icb-d', name: 'Claire Whitfield', email: 'claire@icb-a.example.nhs.uk', organisation: 'ICB-A', role: 'icb' },
    { id: 'la-a', name: 'Mark Tolley', email: 'mark@la-a.example.gov.uk', organisation: 'LA-A', role: 'la' },
    { id: 'la-b', name: 'Fiona Grant', email: 'fiona@la-b.example.gov.uk', organisation: 'LA-B', role: 'la' },
    { id: 'senior', name: 'Anne Holloway', email: 'anne@icb-a.example.nhs.uk', organisation: 'ICB-A', role: 'senior' },
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
const TOKEN = 'sfnlocal-tt-SECRET+/=token';
const REMINDERS = 'arn:aws:states:eu-west-2:000000000000:stateMachine:panel-reminders';

let a: MemoryPorts;
let panels: MemoryPanelStore;
let deps: PanelDeps;
let now: number;

beforeEach(async () => {
  now = START;
  // The tests' composition root: fresh twins, a seeded directory, a clock the tests move.
  a = memoryPorts(
    { now: () => new Date(now).toISOString(), today: () => new Date(now).toISOString().slice(0, 10) },
    { organisations: orgs, partnerships: [{ ...partnership, panel }] },
  );
  panels = a.panels;
  deps = {
    ...a,
    appBaseUrl: 'https://s117.example.org',
    remindersStateMachineArn: REMINDERS,
    randomId,
    hash: sha256,
  };
  await a.applications.create(
    application({
      person: { nhsNumber: '9434765919', name: 'Jane Example' },
      carePlan: {
        serviceLines: [
          {
            id: 'l1',
            description: 'Supported living',
            provider: 'Acme Care',
            category: 'accommodation',
            s117: true,
            weeklyCostPence: 245_000,
            startDate: '2024-06-10',
          },
        ],
      },
    }),
  );
});

const payload = (proposedBy?: { userId: string; org: string }) => ({
  applicationId: 'app_1',
  subject: 'application' as const,
  taskToken: TOKEN,
  proposal: {
    summary: 'Agree £2,450.00 a week from 10 June 2024, shared ICB-A 50% (£1,225.00), LA-A 50% (£1,225.00).',
    weeklyCostPence: 245_000,
    split: [
      { body: 'ICB-A', party: 'icb' as const, basisPoints: 5000 },
      { body: 'LA-A', party: 'la' as const, basisPoints: 5000 },
    ],
  },
  ...(proposedBy === undefined ? {} : { proposedBy }),
});

async function requested(proposedBy?: { userId: string; org: string }) {
  const ack = await requestPanelDecision(deps, payload(proposedBy));
  const request = await panels.getRequest('app_1', ack.panelRequestId);
  if (!request) throw new Error('no request');
  const link = (memberId: string) => request.approvals.find((x) => x.memberId === memberId)?.approvalId ?? '';
  return { ack, request, link };
}

const get = (approvalId: string, method = 'GET'): Promise<PageResult> =>
  showApproval(deps, { method, path: { approvalId }, form: null, sourceIp: '203.0.113.9', userAgent: 'test' });
const post = (approvalId: string, fields: Record<string, string>): Promise<PageResult> =>
  submitApproval(deps, {
    method: 'POST',
    path: { approvalId },
    form: new URLSearchParams(fields),
    sourceIp: '203.0.113.9',
    userAgent: 'test',
  } satisfies PageInput);
const csrfOf = (page: PageResult): string => /name="csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
const approval = async (id: string): Promise<Approval> => {
  const found = await panels.getApproval(id);
  if (!found) throw new Error('no approval');
  return found;
};

/** GET the page, choose, confirm: as a member does. */
async function vote(approvalId: string, decision: string, reason?: string): Promise<PageResult> {
  const form = await get(approvalId);
  const confirm = await post(approvalId, { csrf: csrfOf(form), decision, ...(reason === undefined ? {} : { reason }) });
  expect(confirm.statusCode).toBe(200);
  return post(approvalId, { csrf: csrfOf(confirm), decision, reason: reason ?? '', confirm: 'yes' });
}

describe('request-panel-decision', () => {
  it('creates a request with one random link per invited member, mails each, keeps the token server-side and starts the reminders', async () => {
    const { ack, request, link } = await requested({ userId: 'u-la', org: 'LA-A' });
    expect(ack).toStrictEqual({ panelRequestId: `pnl_${sha256(TOKEN).slice(0, 32)}`, invited: 3 });
    expect(request.approvals.map((x) => x.memberId)).toStrictEqual(['icb-a', 'la-a', 'la-b']);
    for (const { approvalId } of request.approvals) expect(approvalId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(request.approvals.map((x) => x.approvalId)).size).toBe(3);
    expect(await a.tokens.get({ applicationId: 'app_1', purpose: `panel-${ack.panelRequestId}` })).toBe(TOKEN);
    expect(a.mailer.sent.map((m) => [m.to, m.subject])).toStrictEqual([
      [['tom@icb-a.example.nhs.uk'], 's117 panel: your decision is needed (app_1)'],
      [['mark@la-a.example.gov.uk'], 's117 panel: your decision is needed (app_1)'],
      [['fiona@la-b.example.gov.uk'], 's117 panel: your decision is needed (app_1)'],
    ]);
    expect(a.mailer.sent[0]?.text).toContain(`https://s117.example.org/approvals/${link('icb-a')}`);
    expect(a.mailer.sent[0]?.html).toContain(
      `<a href="https://s117.example.org/approvals/${link('icb-a')}" target="_blank" rel="noopener noreferrer">`,
    );
    for (const m of a.mailer.sent) expect(`${m.text}${m.html}`).not.toMatch(/SECRET|9434765919|Jane Example/);
    expect(a.workflow.starts).toStrictEqual([
      {
        stateMachineArn: REMINDERS,
        name: ack.panelRequestId,
        executionArn: `arn:aws:states:eu-west-2:000000000000:execution:panel-reminders:${ack.panelRequestId}`,
        input: { panelRequestId: ack.panelRequestId, applicationId: 'app_1', checkpoint: 0, next: 'remind', waitSeconds: 2 * 86_400 },
      },
    ]);
    const chronology = await a.chronology.list('p_test');
    expect(chronology.map((e) => e.type)).toStrictEqual(['panel-requested']);
    expect(chronology[0]?.data).toMatchObject({
      invited: ['icb-a', 'la-a', 'la-b'],
      proposedBy: 'u-la',
      deadline: '2024-06-09T10:00:00.000Z',
      closesAt: '2024-06-12T10:00:00.000Z',
    });
    expect(JSON.stringify(chronology)).not.toContain('SECRET');
  });

  it('a retry with the same token makes no second request, link or mail', async () => {
    const first = await requested();
    await requestPanelDecision(deps, payload());
    const again = await panels.getRequest('app_1', first.ack.panelRequestId);
    expect(again?.approvals).toStrictEqual(first.request.approvals);
    expect(panels.approvals.size).toBe(3);
    expect(a.mailer.sent).toHaveLength(3);
    expect(a.workflow.starts).toHaveLength(1);
  });
});

describe('the approval page against link scanners', () => {
  it('GET shows the case, pseudonymised, with the form; it records nothing', async () => {
    const { link } = await requested();
    const page = await get(link('icb-a'));
    expect(page.statusCode).toBe(200);
    expect(page.html).toContain('person <strong>p_test</strong>');
    expect(page.html).toContain('£2,450.00');
    expect(page.html).toContain('<td>ICB A (ICB-A)</td><td>50%</td><td>£1,225.00</td>');
    expect(page.html).toContain('<button type="submit" name="decision" value="approve">Approve</button>');
    expect(page.html).not.toMatch(/9434765919|943 476 5919|Jane Example|SECRET|<script/i);
    const stored = await approval(link('icb-a'));
    expect(stored.status).toBe('pending');
    expect(stored.pageToken?.token).toBe(csrfOf(page));
    expect(stored.csrf).toStrictEqual([]);
    expect(a.workflow.succeeded).toStrictEqual([]);
  });

  it('six scanner visits (GET, HEAD, prefetch) decide nothing, write nothing after the first, and leave the open form usable', async () => {
    const { link } = await requested();
    const id = link('icb-a');
    // The member opens the link: the page holds the page token.
    const opened = await get(id);
    const afterOpen = await approval(id);
    // A mail scanner then visits six times, as scanners do: GETs, HEADs and a prefetch (a GET too).
    const visits = [await get(id), await get(id, 'HEAD'), await get(id), await get(id, 'HEAD'), await get(id), await get(id)];
    expect(visits.map((v) => v.statusCode)).toStrictEqual([200, 200, 200, 200, 200, 200]);
    for (const v of visits.filter((x) => x.html !== '')) expect(csrfOf(v)).toBe(csrfOf(opened));
    expect(await approval(id)).toStrictEqual(afterOpen);
    expect(afterOpen.status).toBe('pending');
    expect(a.workflow.succeeded).toStrictEqual([]);
    expect((await a.chronology.list('p_test')).map((e) => e.type)).toStrictEqual(['panel-requested']);
    // The form the member opened before the visits still works: choose, confirm, recorded.
    const confirm = await post(id, { csrf: csrfOf(opened), decision: 'approve' });
    expect(confirm.statusCode).toBe(200);
    const done = await post(id, { csrf: csrfOf(confirm), decision: 'approve', reason: '', confirm: 'yes' });
    expect(done.statusCode).toBe(200);
    expect(await approval(id)).toMatchObject({ status: 'decided', decision: 'approve' });
    expect((await approval(id)).pageToken).toBeUndefined();
  });

  it('a page token close to its expiry is replaced, and the page token alone never records a decision', async () => {
    const { link } = await requested();
    const id = link('la-a');
    const first = csrfOf(await get(id));
    now += 31 * 60_000; // under half an hour left: the next visit issues a new page token
    const second = csrfOf(await get(id));
    expect(second).not.toBe(first);
    // Straight to confirm with the page token (an auto-submitted form that skips the confirm page): refused.
    expect((await post(id, { csrf: second, decision: 'approve', confirm: 'yes' })).statusCode).toBe(403);
    expect((await approval(id)).status).toBe('pending');
    now += 61 * 60_000; // the page token has expired
    expect((await post(id, { csrf: second, decision: 'approve' })).statusCode).toBe(403);
  });

  it('HEAD answers without a body and writes nothing, not even a form token', async () => {
    const { link } = await requested();
    const before = await approval(link('la-a'));
    expect(await get(link('la-a'), 'HEAD')).toStrictEqual({ statusCode: 200, html: '' });
    expect(await approval(link('la-a'))).toStrictEqual(before);
  });

  it('an auto-submitted form without the form token records nothing', async () => {
    const { link } = await requested();
    await get(link('icb-a'));
    for (const fields of [
      { decision: 'approve', confirm: 'yes' },
      { csrf: '', decision: 'approve', confirm: 'yes' },
      { csrf: 'made-up', decision: 'approve', confirm: 'yes' },
    ]) {
      const page = await post(link('icb-a'), fields);
      expect(page.statusCode).toBe(403);
      expect(page.html).toContain('Open the link in your email again');
    }
    expect((await approval(link('icb-a'))).status).toBe('pending');
  });

  it('choosing shows a confirm page and records nothing; only the confirm records', async () => {
    const { link } = await requested();
    const confirm = await post(link('icb-a'), { csrf: csrfOf(await get(link('icb-a'))), decision: 'approve' });
    expect(confirm.html).toContain('<button type="submit">Confirm: approve</button>');
    expect((await approval(link('icb-a'))).status).toBe('pending');
    const done = await post(link('icb-a'), { csrf: csrfOf(confirm), decision: 'approve', reason: '', confirm: 'yes' });
    expect(done.statusCode).toBe(200);
    expect(done.html).toContain('Thank you: your decision is recorded');
    expect(await approval(link('icb-a'))).toMatchObject({
      status: 'decided',
      decision: 'approve',
      decidedAt: '2024-06-02T10:00:00.000Z',
      csrf: [],
      client: { sourceIp: '203.0.113.9', userAgent: 'test' },
    });
  });

  it('a replayed POST (the same form token twice) records nothing the second time', async () => {
    const { link } = await requested();
    const confirm = await post(link('la-a'), {
      csrf: csrfOf(await get(link('la-a'))),
      decision: 'reject',
      reason: 'Needs a cheaper placement',
    });
    const fields = { csrf: csrfOf(confirm), decision: 'reject', reason: 'Needs a cheaper placement', confirm: 'yes' };
    expect((await post(link('la-a'), fields)).statusCode).toBe(200);
    const replay = await post(link('la-a'), { ...fields, decision: 'approve' });
    expect(replay.statusCode).toBe(410);
    expect(replay.html).toContain('A decision has already been recorded through this link');
    expect(await approval(link('la-a'))).toMatchObject({ decision: 'reject', reason: 'Needs a cheaper placement', version: 4 });
  });

  it('a spent choice token cannot be replayed to skip the confirm step', async () => {
    const { link } = await requested();
    const token = csrfOf(await get(link('icb-a')));
    expect((await post(link('icb-a'), { csrf: token, decision: 'approve' })).statusCode).toBe(200);
    expect((await post(link('icb-a'), { csrf: token, decision: 'approve', confirm: 'yes' })).statusCode).toBe(403);
    expect((await approval(link('icb-a'))).status).toBe('pending');
  });

  it('a tampered, malformed or foreign approval id is refused with 404 and looks nothing up', async () => {
    const { link } = await requested();
    const id = link('icb-a');
    const tampered = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [tampered, 'short', `${id}/../x`, '']) {
      expect((await get(bad)).statusCode).toBe(404);
      expect((await post(bad, { csrf: 'x', decision: 'approve', confirm: 'yes' })).statusCode).toBe(404);
    }
    // An approval the request never issued (planted in the store) is as unknown as a made-up one.
    const foreign = { ...(await approval(id)), id: randomId(), memberId: 'icb-a' };
    await panels.createApproval(foreign);
    expect((await get(foreign.id)).statusCode).toBe(404);
  });

  it("a member cannot use one link's form on another member's link", async () => {
    const { link } = await requested();
    const mine = csrfOf(await get(link('la-a')));
    await get(link('icb-a'));
    const page = await post(link('icb-a'), { csrf: mine, decision: 'approve', confirm: 'yes' });
    expect(page.statusCode).toBe(403);
    expect((await approval(link('icb-a'))).status).toBe('pending');
  });

  it('a member cannot vote twice: a second visit shows who decided what and when, with no form', async () => {
    const { link } = await requested();
    await vote(link('la-a'), 'approve');
    const again = await get(link('la-a'));
    expect(again.statusCode).toBe(200);
    expect(again.html).toContain('You have already decided');
    expect(again.html).toContain('You approved on 2 June 2024 at 10:00 UTC');
    expect(again.html).toContain('<td>Mark Tolley (LA-A)</td><td>approved</td><td>2 June 2024 at 10:00 UTC</td>');
    expect(again.html).not.toContain('name="csrf"');
  });

  it('reject and ask-for-information need a reason; without one nothing is recorded', async () => {
    const { link } = await requested();
    const page = await post(link('icb-a'), { csrf: csrfOf(await get(link('icb-a'))), decision: 'more-information', reason: '   ' });
    expect(page.statusCode).toBe(400);
    expect(page.html).toContain('Give a reason to reject or to ask for more information.');
    expect(csrfOf(page)).not.toBe('');
    expect((await approval(link('icb-a'))).status).toBe('pending');
  });

  it("four-eyes: the proposer's link cannot approve (409), and can still reject", async () => {
    const { link } = await requested({ userId: 'la-a', org: 'LA-A' });
    const refused = await post(link('la-a'), { csrf: csrfOf(await get(link('la-a'))), decision: 'approve', confirm: 'yes' });
    expect(refused.statusCode).toBe(409);
    expect(refused.html).toContain('You made this proposal, so you cannot approve it');
    expect((await approval(link('la-a'))).status).toBe('pending');
    expect((await vote(link('la-a'), 'reject', 'Withdrawn: the care plan is changing')).statusCode).toBe(200);
  });

  it('an expired link answers 410 and says what to do', async () => {
    const { link } = await requested();
    now = START + 10 * DAY_MS;
    const page = await get(link('icb-a'));
    expect(page.statusCode).toBe(410);
    expect(page.html).toContain('This link has expired');
  });
});

describe('quorum, veto and the waiting workflow', () => {
  it('one ICB and one council approval: the workflow resumes with approved, the votes and the time', async () => {
    const { ack, link } = await requested();
    await vote(link('icb-a'), 'approve');
    expect(a.workflow.succeeded).toStrictEqual([]);
    now += 60_000;
    const last = await vote(link('la-b'), 'approve');
    expect(last.html).toContain('The panel <strong>approved</strong> the proposal');
    expect(a.workflow.succeeded).toStrictEqual([
      {
        token: TOKEN,
        output: {
          panelRequestId: ack.panelRequestId,
          subject: 'application',
          outcome: 'approved',
          decidedAt: '2024-06-02T10:01:00.000Z',
          votes: [
            {
              memberId: 'icb-a',
              name: 'Tom Beddoes',
              organisation: 'ICB-A',
              side: 'icb',
              decision: 'approve',
              at: '2024-06-02T10:00:00.000Z',
            },
            {
              memberId: 'la-b',
              name: 'Fiona Grant',
              organisation: 'LA-B',
              side: 'la',
              decision: 'approve',
              at: '2024-06-02T10:01:00.000Z',
            },
          ],
          reasons: ['Approved by 1 ICB and 1 council members: the quorum (1 ICB, 1 council, 2 in all) is met.'],
        } satisfies PanelDecisionResult,
      },
    ]);
    const chronology = await a.chronology.list('p_test');
    expect(chronology.map((e) => [e.type, e.actor])).toStrictEqual([
      ['panel-requested', { system: 'panels/RequestPanelDecision' }],
      ['panel-vote-recorded', { userId: 'icb-a', org: 'ICB-A' }],
      ['panel-vote-recorded', { userId: 'la-b', org: 'LA-B' }],
      ['panel-decided', { system: 'panels/Quorum' }],
    ]);
    expect(chronology[1]?.data['quorum']).toMatchObject({ outcome: 'pending', approvals: { icb: 1, la: 0, total: 1 } });
    expect(chronology[2]?.data['quorum']).toMatchObject({ outcome: 'approved', approvals: { icb: 1, la: 1, total: 2 } });
    // The third member's link now says the panel decided without them.
    const late = await get(link('la-a'));
    expect(late.statusCode).toBe(410);
    expect(late.html).toContain('already reached its decision');
  });

  it('a single rejection is a veto: the workflow resumes with rejected at once', async () => {
    const { link } = await requested();
    await vote(link('icb-a'), 'approve');
    await vote(link('la-a'), 'reject', 'The placement is out of area without a reason');
    expect(a.workflow.succeeded.map((s) => (s.output as PanelDecisionResult).outcome)).toStrictEqual(['rejected']);
    expect(
      (a.workflow.succeeded[0]?.output as PanelDecisionResult).votes.map((v) => [v.memberId, v.decision, v.reason ?? null]),
    ).toStrictEqual([
      ['icb-a', 'approve', null],
      ['la-a', 'reject', 'The placement is out of area without a reason'],
    ]);
  });

  it('a request for information ends the request with more-information', async () => {
    const { link } = await requested();
    await vote(link('la-b'), 'more-information', 'Please send the latest care plan review');
    expect(a.workflow.succeeded.map((s) => (s.output as PanelDecisionResult).outcome)).toStrictEqual(['more-information']);
  });
});

describe('reminders, escalation and no decision', () => {
  const loop = (id: string, checkpoint: number) => ({
    panelRequestId: id,
    applicationId: 'app_1',
    checkpoint,
    next: 'remind' as const,
    waitSeconds: 0,
  });

  it('reminds only members who have not voted, once per checkpoint', async () => {
    const { ack, link } = await requested();
    await vote(link('la-a'), 'approve');
    a.mailer.sent.length = 0;
    expect(await sendPanelReminders(deps, loop(ack.panelRequestId, 0))).toStrictEqual({
      panelRequestId: ack.panelRequestId,
      applicationId: 'app_1',
      checkpoint: 1,
      next: 'remind',
      waitSeconds: 2 * 86_400,
    });
    await sendPanelReminders(deps, loop(ack.panelRequestId, 0));
    expect(a.mailer.sent.map((m) => m.to[0])).toStrictEqual(['tom@icb-a.example.nhs.uk', 'fiona@la-b.example.gov.uk']);
    expect(a.mailer.sent[0]?.subject).toBe('s117 panel: reminder, decision needed by 9 June 2024 (app_1)');
    expect(a.mailer.sent[0]?.text).toContain(`/approvals/${link('icb-a')}`);
  });

  it("escalates at the deadline: a link for the deputy of the empty ICB seat, a mail to the senior officer; the deputy's vote fills the seat", async () => {
    const { ack, link } = await requested();
    await vote(link('la-a'), 'approve');
    a.mailer.sent.length = 0;
    now = START + 7 * DAY_MS;
    expect(await escalatePanel(deps, { ...loop(ack.panelRequestId, 3), next: 'escalate' })).toMatchObject({
      checkpoint: 4,
      next: 'no-decision',
      waitSeconds: 3 * 86_400,
    });
    expect(a.mailer.sent.map((m) => [m.to[0], m.subject])).toStrictEqual([
      ['claire@icb-a.example.nhs.uk', 's117 panel: please decide in place of Tom Beddoes (app_1)'],
      ['anne@icb-a.example.nhs.uk', 's117 panel: deadline passed without a decision (app_1)'],
    ]);
    expect(a.mailer.sent[1]?.text).toContain('Not yet decided: Tom Beddoes (ICB-A); Fiona Grant (LA-B).');
    const request = await panels.getRequest('app_1', ack.panelRequestId);
    const deputyLink = request?.approvals.find((x) => x.memberId === 'icb-d')?.approvalId ?? '';
    expect(request?.approvals.find((x) => x.memberId === 'icb-d')?.seat).toBe('icb-a');
    expect((await get(deputyLink)).html).toContain('deputising for icb-a');
    await vote(deputyLink, 'approve');
    expect(
      a.workflow.succeeded.map((s) => (s.output as PanelDecisionResult).votes.map((v) => [v.memberId, v.onBehalfOf ?? null])),
    ).toStrictEqual([
      [
        ['la-a', null],
        ['icb-d', 'icb-a'],
      ],
    ]);
    // The member's own link is now closed: the seat is filled.
    expect((await get(link('icb-a'))).statusCode).toBe(410);
    expect((await a.chronology.list('p_test')).map((e) => e.type)).toContain('panel-escalated');
  });

  it('after the escalation period, an undecided request answers no-decision so the workflow keeps care going', async () => {
    const { ack, link } = await requested();
    await vote(link('icb-a'), 'approve');
    now = START + 10 * DAY_MS;
    expect(await resolveNoDecision(deps, { ...loop(ack.panelRequestId, 4), next: 'no-decision' })).toMatchObject({ next: 'done' });
    const result = a.workflow.succeeded[0]?.output as PanelDecisionResult;
    expect(result.outcome).toBe('no-decision');
    expect(result.votes.map((v) => v.memberId)).toStrictEqual(['icb-a']);
    expect(result.reasons[0]).toMatch(/^The panel did not reach a decision by 2024-06-12T10:00:00.000Z/);
    expect((await get(link('la-a'))).statusCode).toBe(410);
  });

  it('a decided request stops the loop and is not resumed twice', async () => {
    const { ack, link } = await requested();
    await vote(link('icb-a'), 'approve');
    await vote(link('la-a'), 'approve');
    expect((await sendPanelReminders(deps, loop(ack.panelRequestId, 1))).next).toBe('done');
    expect((await resolveNoDecision(deps, { ...loop(ack.panelRequestId, 4), next: 'no-decision' })).next).toBe('done');
    expect(a.workflow.succeeded.map((s) => (s.output as PanelDecisionResult).outcome)).toStrictEqual(['approved']);
  });
});
