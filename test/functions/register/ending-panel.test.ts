/**
 * Ending aftercare through the joint panel (issue 8, point 3), on in-memory ports: the recommendation goes to the
 * panel when the partnership has one (the workflow started, named after it, with the report), the real
 * request-panel-decision asks the panel about the episode, members vote on the approval page, and the panel's
 * answer is recorded: approved ends aftercare for both bodies (re-judged by the engine), anything else closes the
 * recommendation and aftercare continues.
 */
import { describe, expect, it } from 'vitest';
import type { PanelDecisionResult } from '#domain/panels/contract.ts';
import { DEFAULT_PANEL_THRESHOLDS, DEFAULT_PANEL_TIMING, DEFAULT_QUORUM_RULE, type PanelConfig } from '#domain/panels/panel.ts';
import type { EndingPanelDecision, EndingRecommendation, EndingRequest } from '#domain/register/ending.ts';
import { MemoryMailLog, MemoryTaskTokenStore, MemoryWorkflow } from '#functions/adapters/memory/index.ts';
import { showApproval, submitApproval } from '#functions/panels/approval-pages.ts';
import { MemoryPanelStore } from '#functions/adapters/memory/panels.ts';
import { parseRequestPanelDecision } from '#functions/panels/panel-inputs.ts';
import { randomId, sha256 } from '#functions/panels/panel-deps.ts';
import { requestPanelDecision, type PanelDeps } from '#functions/panels/panel-steps.ts';
import { endingExecutionName, recordEndingPanelDecision, type EndingWorkflowInput } from '#functions/register/ending-panel.use-case.ts';
import { recordEndingDecision, recommendEnding } from '#functions/register/ending.use-case.ts';
import { panelEpisodes } from '#functions/register/panel-episodes.ts';
import { createPerson, readEpisode, recordEvent } from '#functions/register/people.use-case.ts';
import { readLetter as letter } from '#functions/register/letter-read.use-case.ts';
import { endingPanelStepSchema } from '#functions/register/schemas.ts';
import { ProblemError } from '#functions/shared/http-errors.ts';
import type { PageResult } from '#functions/shared/middy.ts';
import {
  caller,
  ENDING_ARN,
  jointReviewHeld,
  REVIEW_ARN,
  registerTestDeps,
  settledInWorcestershire,
  type TestRegisterDeps,
  ENDING_REPORT,
} from './support.ts';

const worcestershire = caller('E10000034');
const qgh = caller('QGH');
const panel: PanelConfig = {
  members: [
    { id: 'qgh-panel', name: 'Tom Beddoes', email: 'tom@qgh.example.test', organisation: 'QGH', role: 'icb' },
    { id: 'e10000034-panel', name: 'Mark Tolley', email: 'mark@worcs.example.test', organisation: 'E10000034', role: 'la' },
    { id: 'e06000030-panel', name: 'Fiona Grant', email: 'fiona@swindon.example.test', organisation: 'E06000030', role: 'la' },
  ],
  quorum: DEFAULT_QUORUM_RULE,
  timing: DEFAULT_PANEL_TIMING,
  thresholds: DEFAULT_PANEL_THRESHOLDS,
};
const report = ENDING_REPORT;
const request: EndingRequest = { proposedEndDate: '2025-10-15', reasons: ['no-longer-needs-aftercare'], report };

async function discharged(deps: TestRegisterDeps): Promise<{ ref: string; episodeId: string }> {
  const created = await createPerson(deps, worcestershire, {
    nhsNumber: '943 476 5919',
    name: 'Alex Example',
    events: [
      ...settledInWorcestershire,
      { type: 'detention', from: '2025-01-10', section: '3' },
      { type: 'detention-ended', date: '2025-03-10', outcome: 'discharged' },
      { type: 'left-hospital', date: '2025-03-10' },
    ],
  });
  const ref = String((created.body as { personRef: string }).personRef);
  await jointReviewHeld(deps, ref, 1);
  return { ref, episodeId: `${ref}-e1` };
}

async function recommended(
  deps: TestRegisterDeps,
): Promise<{ ref: string; episodeId: string; rec: EndingRecommendation; input: EndingWorkflowInput }> {
  const { ref, episodeId } = await discharged(deps);
  const created = await recommendEnding(deps, qgh, episodeId, request);
  expect(created.statusCode).toBe(201);
  const rec = created.body as EndingRecommendation;
  const start = deps.workflow.starts.find((s) => s.stateMachineArn === ENDING_ARN);
  return { ref, episodeId, rec, input: start?.input as EndingWorkflowInput };
}

const vote = (
  memberId: string,
  name: string,
  organisation: string,
  side: 'icb' | 'la',
  decision: 'approve' | 'reject' | 'more-information',
  reason?: string,
) => ({ memberId, name, organisation, side, decision, at: '2025-03-14T10:00:00.000Z', ...(reason === undefined ? {} : { reason }) });
const decision = (
  outcome: EndingPanelDecision['outcome'],
  votes: EndingPanelDecision['votes'],
  reasons: string[] = [],
): EndingPanelDecision => ({ panelRequestId: 'pnl_0123', outcome, votes, decidedAt: '2025-03-14T10:00:00.000Z', reasons });
const APPROVED = decision(
  'approved',
  [vote('qgh-panel', 'Tom Beddoes', 'QGH', 'icb', 'approve'), vote('e10000034-panel', 'Mark Tolley', 'E10000034', 'la', 'approve')],
  ['1 ICB and 1 council approval reached the quorum.'],
);

async function status(
  deps: TestRegisterDeps,
  episodeId: string,
  asOf = '2025-10-16',
): Promise<{ status: string; recs: EndingRecommendation[] }> {
  const view = (await readEpisode(deps, qgh, episodeId, asOf)).body as { status: string; endingRecommendations: EndingRecommendation[] };
  return { status: view.status, recs: view.endingRecommendations };
}

async function problem(p: Promise<unknown>): Promise<{ status: number; fields: string[] }> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProblemError) return { status: error.status, fields: (error.errors ?? []).map((e) => e.field) };
    throw error;
  }
  throw new Error('expected a problem');
}

describe('a recommendation to end aftercare, with a panel configured', () => {
  it('goes to the panel: route panel, the workflow started once named after it with the report, the bodies told, no API decision', async () => {
    const deps = registerTestDeps('2025-03-11T09:00:00.000Z', { panel });
    const { episodeId, rec, input } = await recommended(deps);
    expect([rec.route, rec.state]).toStrictEqual(['panel', 'awaiting-panel']);
    expect(deps.workflow.starts.filter((s) => s.stateMachineArn === ENDING_ARN).map((s) => s.name)).toStrictEqual([
      endingExecutionName(rec.id),
    ]);
    expect(endingExecutionName(rec.id)).toMatch(/^ending-end_[a-z2-7]{20}$/);
    expect({ ...input, proposal: undefined }).toStrictEqual({
      episodeId,
      recommendationId: rec.id,
      panelTimeoutSeconds: 11 * 86_400,
      proposal: undefined,
      proposedBy: { userId: 'qgh-user', org: 'QGH' },
    });
    expect(input.proposal.summary).toBe(
      `End s117 aftercare for episode ${episodeId} on 15 October 2025, recommended by QGH (no longer needs aftercare services for their mental disorder). The person took part in the review.`,
    );
    expect(input.proposal.details).toStrictEqual([
      'Responsible: ICB QGH, council E10000034; the duty arose on 10 March 2025.',
      "The person's views: I feel well and want to manage without services.",
      'Why the needs no longer arise from the mental disorder: Stable for 18 months without specialist input.',
      'Why readmission is not a risk: Relapse plan with GP; no admissions since discharge.',
      'Responsible clinician: Dr A, confirmed on 1 October 2025.',
      'Council social care manager: B Manager (E10000034), confirmed on 1 October 2025.',
    ]);
    expect(
      deps.mailer.sent
        .filter((m) => m.subject.includes('joint panel'))
        .map((m) => m.to[0])
        .sort(),
    ).toStrictEqual(['e10000034@example.test', 'qgh@example.test']);
    for (const m of deps.mailer.sent) expect(`${m.text}${m.html}`).not.toMatch(/Alex Example|9434765919|943 476 5919/);

    // The same recommendation again: the same answer, and the start is a no-op.
    expect((await recommendEnding(deps, qgh, episodeId, request)).statusCode).toBe(200);
    expect(deps.workflow.starts.filter((s) => s.stateMachineArn === ENDING_ARN)).toHaveLength(1);
    expect(await problem(recordEndingDecision(deps, qgh, episodeId, { recommendationId: rec.id, agree: true }))).toStrictEqual({
      status: 409,
      fields: ['body.recommendationId'],
    });
  });

  it("without the person's involvement, a review or the person's letter: refused with the rule ids before any panel is asked (issue 17 item 6)", async () => {
    const deps = registerTestDeps('2025-03-11T09:00:00.000Z', { panel });
    const { episodeId } = await discharged(deps);
    const bare = { ...report } as Partial<typeof report>;
    delete bare.involvement;
    delete bare.personLetterSentOn;
    const refused = recommendEnding(deps, qgh, episodeId, { ...request, report: bare as EndingRequest['report'] });
    const error = await refused.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(422);
    expect((error as ProblemError).errors).toStrictEqual([
      {
        field: 'body.report.involvement',
        message:
          "must record when and how the person was involved in the decision to end (the person's involvement is essential) (R-END-5)",
      },
      {
        field: 'body.report.personLetterSentOn',
        message:
          'must record the date the person was sent the letter explaining the proposed ending and how to challenge it (R-END-5, R-CHG-6)',
      },
    ]);
    // Not involved at all: the engine's own refusal (R-END-5).
    expect(
      await problem(recommendEnding(deps, qgh, episodeId, { ...request, report: { ...report, personInvolved: false } })),
    ).toStrictEqual({ status: 422, fields: ['body.report.personInvolved'] });
    // No panel was asked, nothing recorded.
    expect(deps.workflow.starts.filter((s) => s.stateMachineArn === ENDING_ARN)).toStrictEqual([]);
    expect((await status(deps, episodeId)).recs).toStrictEqual([]);
    // With every piece present it proceeds to the panel.
    expect((await recommendEnding(deps, qgh, episodeId, request)).statusCode).toBe(201);
    expect(deps.workflow.starts.filter((s) => s.stateMachineArn === ENDING_ARN)).toHaveLength(1);
  });

  it('without a panel the bodies decide through the API, and no ending workflow starts', async () => {
    const deps = registerTestDeps();
    const { episodeId } = await discharged(deps);
    const rec = (await recommendEnding(deps, qgh, episodeId, request)).body as EndingRecommendation;
    expect(rec.route).toBe('joint-decisions');
    expect(deps.workflow.starts.map((s) => s.stateMachineArn)).toStrictEqual([REVIEW_ARN]);
  });
});

describe('RecordEndingPanelDecision', () => {
  it('approved: the ending takes effect for both bodies through applyDecision, recorded with who voted; a retry changes nothing', async () => {
    const deps = registerTestDeps('2025-03-11T09:00:00.000Z', { panel });
    const { ref, episodeId, rec } = await recommended(deps);
    deps.setNow('2025-03-14T10:00:05.000Z');
    const out = await recordEndingPanelDecision(deps, { episodeId, recommendationId: rec.id, panel: APPROVED });
    expect(out).toStrictEqual({ recommendationId: rec.id, state: 'agreed', ended: true });
    expect((await deps.store.getEpisode(ref, 1))?.ended).toStrictEqual({ date: '2025-10-15', by: 'joint-decision', personInvolved: true });
    const { status: now, recs } = await status(deps, episodeId);
    expect(now).toBe('ended');
    expect(recs[0]?.decisions).toStrictEqual({
      icb: {
        party: 'icb',
        body: 'QGH',
        agree: true,
        at: '2025-03-14T10:00:00.000Z',
        by: 'panel:qgh-panel',
        reason: 'Joint panel pnl_0123 approved: Tom Beddoes (QGH).',
      },
      la: {
        party: 'la',
        body: 'E10000034',
        agree: true,
        at: '2025-03-14T10:00:00.000Z',
        by: 'panel:e10000034-panel',
        reason: 'Joint panel pnl_0123 approved: Mark Tolley (E10000034).',
      },
    });
    expect([recs[0]?.version, recs[0]?.endedEventKey, recs[0]?.panel?.outcome]).toStrictEqual([2, `ending:${rec.id}`, 'approved']);
    const entries = await deps.chronology.list(ref);
    // The person's letter is due (rendered and sent by the letters feature).
    expect(entries.filter((e) => e.type === 'register-letter-due').map((e) => e.data)).toStrictEqual([
      {
        letter: 'aftercare-ended',
        ref: rec.id,
        episodeId,
        ruleIds: ['R-END-5', 'R-CHG-6'],
        about: 'Aftercare ends on 2025-10-15: the decision, its reasons and how to challenge it.',
      },
    ]);
    const decided = entries.filter((e) => e.type === 'register-ending-panel-decided');
    expect(decided.map((e) => [e.data['outcome'], e.data['state'], e.data['ruleIds']])).toStrictEqual([
      ['approved', 'agreed', ['R-END-1']],
    ]);
    expect(decided[0]?.data['votes']).toStrictEqual([
      { memberId: 'qgh-panel', organisation: 'QGH', side: 'icb', decision: 'approve', at: '2025-03-14T10:00:00.000Z' },
      { memberId: 'e10000034-panel', organisation: 'E10000034', side: 'la', decision: 'approve', at: '2025-03-14T10:00:00.000Z' },
    ]);
    const ending = (await letter(deps, worcestershire, episodeId, 'ending', { asOf: '2025-10-16' })).body as {
      subject: string;
      text: string;
    };
    expect(ending.subject).toBe('Your section 117 aftercare has ended');
    expect(ending.text).toContain('have both agreed that you no longer need section 117 aftercare. It ends on 15 October 2025.');

    const mails = deps.mailer.sent.length;
    const again = await recordEndingPanelDecision(deps, { episodeId, recommendationId: rec.id, panel: decision('rejected', []) });
    expect(again).toStrictEqual({ recommendationId: rec.id, state: 'agreed', ended: true });
    expect((await deps.chronology.list(ref)).length).toBe(entries.length);
    expect(deps.mailer.sent.length).toBe(mails);
  });

  it.each([
    [
      'rejected',
      decision(
        'rejected',
        [vote('qgh-panel', 'Tom Beddoes', 'QGH', 'icb', 'reject', 'Not yet: review again in 3 months.')],
        ['Tom Beddoes (QGH) rejected: Not yet: review again in 3 months.'],
      ),
      'The joint panel rejected the recommendation, so aftercare continues.',
    ],
    [
      'more-information',
      decision(
        'more-information',
        [vote('e10000034-panel', 'Mark Tolley', 'E10000034', 'la', 'more-information', "Need the carer's view.")],
        ['Mark Tolley asked for more information.'],
      ),
      'The joint panel asked for more information, so aftercare continues; a fuller recommendation can be made again.',
    ],
    [
      'no-decision (the wait timed out)',
      {
        outcome: 'no-decision',
        cause: 'timeout',
        votes: [],
        reasons: ["The panel's decision did not arrive in time."],
        decidedAt: '2025-03-22T10:00:00.000Z',
      } as EndingPanelDecision,
      'The joint panel did not decide in time, so aftercare continues; the recommendation can be made again.',
    ],
  ])("%s: the episode stays active, the recommendation is closed with the panel's reasons, each body told once", async (_, answer, why) => {
    const deps = registerTestDeps('2025-03-11T09:00:00.000Z', { panel });
    const { ref, episodeId, rec } = await recommended(deps);
    const out = await recordEndingPanelDecision(deps, { episodeId, recommendationId: rec.id, panel: answer });
    expect(out).toStrictEqual({ recommendationId: rec.id, state: 'declined', ended: false });
    await recordEndingPanelDecision(deps, { episodeId, recommendationId: rec.id, panel: answer });
    const { status: now, recs } = await status(deps, episodeId, '2025-03-14');
    expect([now, recs[0]?.state, recs[0]?.decisions, recs[0]?.closedReasons]).toStrictEqual([
      'active',
      'declined',
      {},
      [why, ...answer.reasons],
    ]);
    expect((await deps.store.getPerson(ref))?.events.some((e) => e.event.type === 'aftercare-ended')).toBe(false);
    const closed = deps.mailer.sent.filter(
      (m) => m.subject === `s117: aftercare continues, the recommendation to end it is closed (${episodeId})`,
    );
    expect(closed.map((m) => m.to[0]).sort()).toStrictEqual(['e10000034@example.test', 'qgh@example.test']);
    expect(closed[0]?.text).toContain(why);
    for (const m of closed) expect(`${m.text}${m.html}`).not.toMatch(/Alex Example|9434765919|carer/);
    // A new recommendation may be made once this one is closed.
    expect((await recommendEnding(deps, qgh, episodeId, { ...request, proposedEndDate: '2025-11-01' })).statusCode).toBe(201);
  });

  it('approved, but the engine refuses now (a CTO since) or one body alone approved: declined, aftercare continues', async () => {
    const deps = registerTestDeps('2025-03-11T09:00:00.000Z', { panel });
    const { ref, episodeId, rec } = await recommended(deps);
    await recordEvent(deps, qgh, ref, { type: 'cto', from: '2025-03-12' });
    const out = await recordEndingPanelDecision(deps, { episodeId, recommendationId: rec.id, panel: APPROVED });
    expect(out).toStrictEqual({ recommendationId: rec.id, state: 'declined', ended: false });
    const recs = await deps.store.listEndings(ref, 1);
    expect(recs[0]?.closedReasons?.[0]).toMatch(
      /^The facts have changed since the recommendation: .*community treatment order\. The ending does not take effect\.$/,
    );
    expect((await deps.chronology.list(ref)).find((e) => e.type === 'register-ending-panel-decided')?.data['ruleIds']).toStrictEqual([
      'R-ELIG-4',
      'R-END-4',
    ]);

    const other = registerTestDeps('2025-03-11T09:00:00.000Z', { panel });
    const second = await recommended(other);
    const councilOnly = decision('approved', [
      vote('e10000034-panel', 'Mark Tolley', 'E10000034', 'la', 'approve'),
      vote('e06000030-panel', 'Fiona Grant', 'E06000030', 'la', 'approve'),
    ]);
    expect(
      await recordEndingPanelDecision(other, { episodeId: second.episodeId, recommendationId: second.rec.id, panel: councilOnly }),
    ).toStrictEqual({ recommendationId: second.rec.id, state: 'declined', ended: false });
    expect((await other.store.listEndings(second.ref, 1))[0]?.closedReasons).toStrictEqual([
      "The panel's approval carried no ICB member's vote; aftercare ends only when both the ICB and the council agree, so it continues.",
    ]);
    expect((await other.store.getEpisode(second.ref, 1))?.ended).toBe(undefined);
  });

  it("its input schema takes the panel contract's result and the machine's own no-decision, and names a bad field", () => {
    const result: PanelDecisionResult = {
      panelRequestId: 'pnl_1',
      subject: 'ending',
      outcome: 'approved',
      votes: [{ ...vote('a', 'A', 'QGH', 'icb', 'approve'), onBehalfOf: 'b' }],
      decidedAt: '2025-03-14T10:00:00.000Z',
      reasons: ['ok'],
    };
    const base = { episodeId: 'p_abcdefghijklmnopqrstuvwxyz-e1', recommendationId: 'end_abcdefghijklmnopqrst' };
    expect(endingPanelStepSchema.parse({ ...base, panel: result }).panel.outcome).toBe('approved');
    expect(
      endingPanelStepSchema.parse({ ...base, panel: { outcome: 'no-decision', cause: 'timeout', votes: [], reasons: ['late'] } }).panel,
    ).toStrictEqual({ outcome: 'no-decision', cause: 'timeout', votes: [], reasons: ['late'] });
    const bad = endingPanelStepSchema.safeParse({ ...base, panel: { ...result, outcome: 'maybe' } });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'))).toStrictEqual(['panel.outcome']);
  });
});

describe('request-panel-decision about a register episode', () => {
  it('asks the panel about the episode (no application), shows the report on the page, and resumes the workflow with the votes that end aftercare', async () => {
    const deps = registerTestDeps('2025-03-11T09:00:00.000Z', { panel });
    const { ref, episodeId, rec, input } = await recommended(deps);
    const panels = new MemoryPanelStore();
    const workflow = new MemoryWorkflow();
    const pdeps: PanelDeps = {
      panels,
      applications: deps.applications,
      chronology: deps.chronology,
      directory: deps.directory,
      tokens: new MemoryTaskTokenStore(),
      mailer: deps.mailer,
      mailLog: new MemoryMailLog(),
      workflow,
      clock: deps.clock,
      appBaseUrl: 'https://s117.example.test',
      remindersStateMachineArn: 'arn:aws:states:eu-west-2:000000000000:stateMachine:panel-reminders',
      randomId,
      hash: sha256,
      episodes: panelEpisodes(deps.store),
    };
    // The Payload RequestEndingPanel sends, through the handler's own parser.
    const payload = parseRequestPanelDecision({
      episodeId: input.episodeId,
      subject: 'ending',
      proposal: input.proposal,
      proposedBy: input.proposedBy,
      taskToken: 'tt-SECRET',
    });
    const ack = await requestPanelDecision(pdeps, payload);
    const stored = await panels.getRequest(episodeId, ack.panelRequestId);
    expect([
      ack.invited,
      stored?.episodeId,
      stored?.applicationId,
      stored?.personRef,
      stored?.partnershipId,
      stored?.subject,
    ]).toStrictEqual([3, episodeId, episodeId, ref, 'west', 'ending']);
    expect(workflow.starts.map((s) => s.input)).toStrictEqual([
      { panelRequestId: ack.panelRequestId, applicationId: episodeId, checkpoint: 0, next: 'remind', waitSeconds: 2 * 86_400 },
    ]);
    const invites = deps.mailer.sent.filter((m) => m.subject === `s117 panel: your decision is needed (${episodeId})`);
    expect(invites.map((m) => m.to[0])).toStrictEqual(['tom@qgh.example.test', 'mark@worcs.example.test', 'fiona@swindon.example.test']);
    expect(invites[0]?.text).toContain(`on ending s117 aftercare for person ${ref} (register episode ${episodeId}).`);
    expect(invites[0]?.text).toContain('Without a decision aftercare continues: nothing ends unless the panel agrees.');
    for (const m of invites) expect(`${m.text}${m.html}`).not.toMatch(/Alex Example|9434765919|SECRET|I feel well/);
    const requested = (await deps.chronology.list(ref)).find((e) => e.type === 'panel-requested');
    expect([requested?.applicationId, requested?.data['episodeId'], requested?.data['subject']]).toStrictEqual([
      undefined,
      episodeId,
      'ending',
    ]);
    // An episode payload and an application payload are exclusive; an application id must still look like one.
    expect(() => parseRequestPanelDecision({ ...payload, applicationId: 'app_12345678' })).toThrow(
      /exactly one of applicationId and episodeId/,
    );
    expect(() => parseRequestPanelDecision({ ...payload, episodeId: 'app_12345678' })).toThrow();

    const link = (memberId: string) => stored?.approvals.find((x) => x.memberId === memberId)?.approvalId ?? '';
    const get = (id: string) =>
      showApproval(pdeps, { method: 'GET', path: { approvalId: id }, form: null, sourceIp: '203.0.113.9', userAgent: 'test' });
    const post = (id: string, fields: Record<string, string>) =>
      submitApproval(pdeps, {
        method: 'POST',
        path: { approvalId: id },
        form: new URLSearchParams(fields),
        sourceIp: '203.0.113.9',
        userAgent: 'test',
      });
    const csrf = (p: PageResult) => /name="csrf" value="([^"]+)"/.exec(p.html)?.[1] ?? '';
    const page = await get(link('qgh-panel'));
    expect(page.statusCode).toBe(200);
    expect(page.html).toContain(`Register episode <strong>${episodeId}</strong> for person <strong>${ref}</strong>`);
    expect(page.html).toContain('<li>The person&#39;s views: I feel well and want to manage without services.</li>');
    expect(page.html).not.toMatch(/Alex Example|9434765919|£/);
    for (const [memberId] of [['qgh-panel'], ['e10000034-panel']] as const) {
      const form = await get(link(memberId));
      const confirm = await post(link(memberId), { csrf: csrf(form), decision: 'approve' });
      expect((await post(link(memberId), { csrf: csrf(confirm), decision: 'approve', confirm: 'yes' })).statusCode).toBe(200);
    }
    expect(workflow.succeeded.map((s) => s.token)).toStrictEqual(['tt-SECRET']);
    const result = workflow.succeeded[0]?.output as PanelDecisionResult;
    expect([result.outcome, result.subject, result.votes.map((v) => [v.memberId, v.side, v.decision])]).toStrictEqual([
      'approved',
      'ending',
      [
        ['qgh-panel', 'icb', 'approve'],
        ['e10000034-panel', 'la', 'approve'],
      ],
    ]);
    expect(
      (await deps.chronology.list(ref)).filter((e) => e.type.startsWith('panel-')).map((e) => [e.type, e.applicationId]),
    ).toStrictEqual([
      ['panel-requested', undefined],
      ['panel-vote-recorded', undefined],
      ['panel-vote-recorded', undefined],
      ['panel-decided', undefined],
    ]);

    // What RecordEndingPanelDecision then receives (the task's output at $.panel).
    const step = endingPanelStepSchema.parse({ episodeId, recommendationId: rec.id, panel: result });
    expect(
      await recordEndingPanelDecision(deps, { episodeId, recommendationId: rec.id, panel: step.panel as EndingPanelDecision }),
    ).toStrictEqual({ recommendationId: rec.id, state: 'agreed', ended: true });
    expect((await status(deps, episodeId)).status).toBe('ended');
  });
});
