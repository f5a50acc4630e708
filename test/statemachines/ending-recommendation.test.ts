/**
 * ending-recommendation.asl.json paths on the local Step Functions server with a virtual clock. The panel
 * (request-panel-decision) is a stand-in that keeps the task token; RecordEndingPanelDecision is the real use-case
 * over the register's in-memory ports, so each path is checked by what happens to the episode: approved → ended,
 * rejected → active, silent → no decision (aftercare continues).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import validator from 'asl-validator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WORKFLOW_ERROR_NAMES } from '#domain/errors.ts';
import type { PanelDecisionResult } from '#domain/panels/contract.ts';
import { DEFAULT_PANEL_THRESHOLDS, DEFAULT_PANEL_TIMING, DEFAULT_QUORUM_RULE, type PanelConfig } from '#domain/panels/panel.ts';
import type { EndingPanelDecision, EndingRecommendation } from '#domain/register/ending.ts';
import { parseRequestPanelDecision } from '#functions/panels/panel-inputs.ts';
import { recordEndingPanelDecision, type EndingWorkflowInput } from '#functions/register/ending-panel.use-case.ts';
import { recommendEnding } from '#functions/register/ending.use-case.ts';
import { createPerson } from '#functions/register/people.use-case.ts';
import { endingPanelStepSchema } from '#functions/register/schemas.ts';
import { endingRecommendationTasks } from '#lib/manifest/register.ts';
import { VirtualClock } from '#local/clock.ts';
import { loadDefinition } from '#local/definitions.ts';
import { functionArn } from '#local/sfn/lambda.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import {
  ENDING_ARN,
  caller,
  jointReviewHeld,
  registerTestDeps,
  settledInWorcestershire,
  type TestRegisterDeps,
  ENDING_REPORT,
} from '../functions/register/support.ts';
import { eventually, finished, sfnClient, start, statesEntered } from '../local/support.ts';

const FILE = fileURLToPath(new URL('../../statemachines/ending-recommendation.asl.json', import.meta.url));
const substitutions = Object.fromEntries(Object.entries(endingRecommendationTasks).map(([k, v]) => [k, functionArn(v)]));
const DAY_MS = 86_400_000;
const panel: PanelConfig = {
  members: [
    { id: 'qgh-panel', name: 'Tom Beddoes', email: 'tom@qgh.example.test', organisation: 'QGH', role: 'icb' },
    { id: 'e10000034-panel', name: 'Mark Tolley', email: 'mark@worcs.example.test', organisation: 'E10000034', role: 'la' },
  ],
  quorum: DEFAULT_QUORUM_RULE,
  timing: DEFAULT_PANEL_TIMING,
  thresholds: DEFAULT_PANEL_THRESHOLDS,
};
const report = ENDING_REPORT;

const clock = new VirtualClock(Date.parse('2025-03-11T10:00:00Z'));
let server: SfnServer;
let client: SFNClient;
let machineArn: string;
let deps: TestRegisterDeps;
let panelCalls: Record<string, unknown>[] = [];
let panelFails: string | null = null;
let recordFails = false;

beforeAll(async () => {
  server = await startSfnServer({ clock });
  server.functions.register('request-panel-decision', async (event) => {
    panelCalls.push(event as Record<string, unknown>);
    if (panelFails !== null) {
      const error = new Error('failed in test');
      error.name = panelFails;
      throw error;
    }
    return { panelRequestId: 'pnl_1', invited: 2 };
  });
  // The real step over in-memory ports, parsed as the handler parses it.
  server.functions.register('record-ending-panel-decision', async (event) => {
    if (recordFails) {
      const error = new Error('failed in test');
      error.name = 'ConfigurationError';
      throw error;
    }
    const input = endingPanelStepSchema.parse(event);
    const answer = { ...input.panel, decidedAt: input.panel.decidedAt ?? deps.clock.now() } as EndingPanelDecision;
    return recordEndingPanelDecision(deps, { episodeId: input.episodeId, recommendationId: input.recommendationId, panel: answer });
  });
  client = sfnClient(server.url);
  const created = await client.send(
    new CreateStateMachineCommand({
      name: 'ending-recommendation',
      definition: loadDefinition(FILE, substitutions),
      roleArn: 'arn:aws:iam::000000000000:role/test',
    }),
  );
  machineArn = created.stateMachineArn ?? '';
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

beforeEach(() => {
  panelCalls = [];
  panelFails = null;
  recordFails = false;
  deps = registerTestDeps('2025-03-11T09:00:00.000Z', { panel });
});

/** A person discharged, a valid recommendation to end (route panel), and its execution started on the local server as the use-case asked. */
async function recommendedAndStarted(): Promise<{ arn: string; ref: string; rec: EndingRecommendation; input: EndingWorkflowInput }> {
  const created = await createPerson(deps, caller('E10000034'), {
    nhsNumber: '943 476 5919',
    events: [
      ...settledInWorcestershire,
      { type: 'detention', from: '2025-01-10', section: '3' },
      { type: 'detention-ended', date: '2025-03-10', outcome: 'discharged' },
      { type: 'left-hospital', date: '2025-03-10' },
    ],
  });
  const ref = String((created.body as { personRef: string }).personRef);
  await jointReviewHeld(deps, ref, 1);
  const rec = (
    await recommendEnding(deps, caller('QGH'), `${ref}-e1`, {
      proposedEndDate: '2025-10-15',
      reasons: ['no-longer-needs-aftercare'],
      report,
    })
  ).body as EndingRecommendation;
  const started = deps.workflow.starts.find((s) => s.stateMachineArn === ENDING_ARN);
  const input = started?.input as EndingWorkflowInput;
  return { arn: await start(client, machineArn, input), ref, rec, input };
}

const token = () =>
  eventually(() => {
    const t = panelCalls[0]?.['taskToken'];
    return typeof t === 'string' ? t : undefined;
  }, 'the panel task token');
const vote = (memberId: string, organisation: string, side: 'icb' | 'la', decision: 'approve' | 'reject') => ({
  memberId,
  name: memberId,
  organisation,
  side,
  decision,
  at: '2025-03-14T10:00:00.000Z',
  ...(decision === 'reject' ? { reason: 'Not yet.' } : {}),
});
const answer = async (outcome: PanelDecisionResult['outcome'], votes: PanelDecisionResult['votes'], reasons: string[]) => {
  const result: PanelDecisionResult = {
    panelRequestId: 'pnl_1',
    subject: 'ending',
    outcome,
    votes,
    decidedAt: '2025-03-14T10:00:00.000Z',
    reasons,
  };
  await client.send(new SendTaskSuccessCommand({ taskToken: await token(), output: JSON.stringify(result) }));
};
const ended = async (ref: string) => (await deps.store.getEpisode(ref, 1))?.ended;
const recommendation = async (ref: string) => (await deps.store.listEndings(ref, 1))[0];

describe('ending-recommendation.asl.json paths (on the virtual clock)', () => {
  it('the panel approves → the ending takes effect for both bodies: the episode ends', async () => {
    const { arn, ref, input } = await recommendedAndStarted();
    await token();
    const { taskToken, ...payload } = panelCalls[0] ?? {};
    expect(payload).toStrictEqual({
      episodeId: input.episodeId,
      subject: 'ending',
      proposal: input.proposal,
      proposedBy: { userId: 'qgh-user', org: 'QGH' },
    });
    // The Payload is what request-panel-decision accepts.
    expect(parseRequestPanelDecision({ ...payload, taskToken }).episodeId).toBe(`${ref}-e1`);
    await answer(
      'approved',
      [vote('qgh-panel', 'QGH', 'icb', 'approve'), vote('e10000034-panel', 'E10000034', 'la', 'approve')],
      ['Quorum reached.'],
    );
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual(['RequestEndingPanel', 'RecordEndingPanelDecision', 'Ended', 'AftercareEnded']);
    expect(await ended(ref)).toStrictEqual({ date: '2025-10-15', by: 'joint-decision', personInvolved: true });
    expect([
      (await recommendation(ref))?.state,
      (await recommendation(ref))?.decisions.icb?.by,
      (await recommendation(ref))?.decisions.la?.by,
    ]).toStrictEqual(['agreed', 'panel:qgh-panel', 'panel:e10000034-panel']);
  });

  it('the panel rejects → the recommendation is closed with its reasons and the episode stays active', async () => {
    const { arn, ref } = await recommendedAndStarted();
    await answer('rejected', [vote('qgh-panel', 'QGH', 'icb', 'reject')], ['qgh-panel rejected: Not yet.']);
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([
      'RequestEndingPanel',
      'RecordEndingPanelDecision',
      'Ended',
      'AftercareContinues',
    ]);
    expect(await ended(ref)).toBe(undefined);
    const rec = await recommendation(ref);
    expect([rec?.state, rec?.closedReasons]).toStrictEqual([
      'declined',
      ['The joint panel rejected the recommendation, so aftercare continues.', 'qgh-panel rejected: Not yet.'],
    ]);
  });

  it('the panel stays silent → no decision when the wait (deadline, escalation and a day) runs out; aftercare continues', async () => {
    const { arn, ref, input } = await recommendedAndStarted();
    await token();
    expect(input.panelTimeoutSeconds).toBe(11 * 86_400);
    const timer = await eventually(
      () => clock.pending().find((t) => t.label.includes(arn) && t.label.includes('RequestEndingPanel') && t.label.includes('timeout')),
      'the panel timer',
    );
    expect(timer.dueAt - clock.now()).toBe(11 * DAY_MS);
    clock.advance(11 * DAY_MS - 1);
    expect((await recommendation(ref))?.state).toBe('awaiting-panel');
    clock.advance(1);
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([
      'RequestEndingPanel',
      'NoDecisionInTime',
      'RecordEndingPanelDecision',
      'Ended',
      'AftercareContinues',
    ]);
    expect(await ended(ref)).toBe(undefined);
    const rec = await recommendation(ref);
    expect([rec?.state, rec?.panel?.outcome, rec?.panel?.cause]).toStrictEqual(['declined', 'no-decision', 'timeout']);
  });

  it('the panel cannot be asked → no decision (panel-failed); aftercare continues', async () => {
    panelFails = 'ConfigurationError';
    const { arn, ref } = await recommendedAndStarted();
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([
      'RequestEndingPanel',
      'PanelUnavailable',
      'RecordEndingPanelDecision',
      'Ended',
      'AftercareContinues',
    ]);
    expect([(await recommendation(ref))?.panel?.cause, await ended(ref)]).toStrictEqual(['panel-failed', undefined]);
  });

  it('the answer cannot be recorded → fails by name (alarmed); the recommendation still awaits', async () => {
    recordFails = true;
    const { arn, ref } = await recommendedAndStarted();
    await answer('approved', [vote('qgh-panel', 'QGH', 'icb', 'approve'), vote('e10000034-panel', 'E10000034', 'la', 'approve')], []);
    const done = await finished(client, arn);
    expect([done.status, done.error]).toStrictEqual(['FAILED', 'EndingPanelDecisionNotRecorded']);
    expect(await statesEntered(client, arn)).toStrictEqual(['RequestEndingPanel', 'RecordEndingPanelDecision', 'RecordFailed']);
    expect((await recommendation(ref))?.state).toBe('awaiting-panel');
  });
});

describe('ending-recommendation.asl.json, statically', () => {
  const raw = readFileSync(FILE, 'utf8');
  const definition = JSON.parse(raw) as { States: Record<string, Record<string, unknown>> };

  it('passes asl-validator once substituted, with a substitution for every placeholder and no other', () => {
    const { isValid, errorsText } = validator(JSON.parse(loadDefinition(FILE, substitutions)) as object);
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
    expect([...new Set([...raw.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort()).toStrictEqual(
      Object.keys(endingRecommendationTasks).sort(),
    );
  });

  it('JSONPath only; the callback has its timeout from the input and a Catch for States.Timeout; only known errors', () => {
    expect(raw).not.toMatch(/JSONata|"Assign"|\.sync"/);
    const callbacks = Object.entries(definition.States).filter(([, s]) => String(s['Resource']).endsWith('.waitForTaskToken'));
    expect(
      callbacks.map(([name, s]) => [name, s['TimeoutSecondsPath'], (s['Catch'] as { ErrorEquals: string[]; Next: string }[])[0]]),
    ).toStrictEqual([
      ['RequestEndingPanel', '$.panelTimeoutSeconds', { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'NoDecisionInTime' }],
    ]);
    const names = Object.values(definition.States).flatMap((s) =>
      [...((s['Retry'] ?? []) as { ErrorEquals: string[] }[]), ...((s['Catch'] ?? []) as { ErrorEquals: string[] }[])].flatMap(
        (r) => r.ErrorEquals,
      ),
    );
    expect(
      names.filter((n) => !n.startsWith('States.') && !n.startsWith('Lambda.') && !(WORKFLOW_ERROR_NAMES as readonly string[]).includes(n)),
    ).toStrictEqual([]);
  });
});
