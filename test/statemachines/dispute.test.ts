/**
 * Path tests of statemachines/dispute.asl.json on the local Step Functions server with a virtual clock. The
 * steps are the real use-cases over the in-memory adapters (so the deadlines are the domain's, computed from the
 * clock); only the panels feature's request-panel-decision is a fake that keeps the token for the test to answer.
 */
import { MAXIMUM_DURATION } from '#local/sfn/limits.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import validator from 'asl-validator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Application, PartyResponse } from '#domain/applications/application.ts';
import { WORKFLOW_ERROR_NAMES } from '#domain/errors.ts';
import { interimArrangement } from '#domain/funding/funding-decisions.ts';
import { DEFAULT_FUNDING_SETTINGS, type Partnership } from '#domain/partnership.ts';
import { memoryPorts, type MemoryPorts } from '#functions/adapters/memory/index.ts';
import { SfnWorkflow } from '#functions/adapters/sfn/workflow.ts';
import { recordDisputeOutcome, type DisputeView, type RecordOutcomeRequest } from '#functions/disputes/api.ts';
import type { DisputeDeps } from '#functions/disputes/deps.ts';
import { advanceDisputeInputSchema, disputeInputSchema, requestStageOutcomeInputSchema } from '#functions/disputes/inputs.ts';
import { advanceDispute, openDisputeStep, produceReferralPack, requestStageOutcome, settleDisputeStep } from '#functions/disputes/steps.ts';
import type { MemoryDisputeStore } from '#functions/adapters/memory/disputes.ts';
import type { Caller } from '#functions/shared/auth.ts';
import { disputeTasks } from '#lib/manifest/disputes.ts';
import { VirtualClock } from '#local/clock.ts';
import { loadDefinition } from '#local/definitions.ts';
import { functionArn } from '#local/sfn/lambda.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { application } from '../support/application-builder.ts';
import { eventually, finished, start, statesEntered, sfnClient } from '../local/support.ts';

const FILE = fileURLToPath(new URL('../../statemachines/dispute.asl.json', import.meta.url));
const substitutions = Object.fromEntries(Object.entries(disputeTasks).map(([k, v]) => [k, functionArn(v)]));
const DAY_MS = 86_400_000;
const START = Date.parse('2025-01-15T10:00:00.000Z');

const orgs = [
  { code: 'ICB-A', kind: 'icb' as const, name: 'ICB A', email: 's117@icb-a.example.nhs.uk', partnerships: ['test', 'quiet'] },
  { code: 'ICB-B', kind: 'icb' as const, name: 'ICB B', email: 's117@icb-b.example.nhs.uk', partnerships: ['test', 'quiet'] },
  { code: 'LA-A', kind: 'la' as const, name: 'Council A', email: 's117@la-a.example.gov.uk', partnerships: ['test', 'quiet'] },
  { code: 'LA-B', kind: 'la' as const, name: 'Council B', email: 's117@la-b.example.gov.uk', partnerships: ['test', 'quiet'] },
  { code: 'NHSE', kind: 'nhs-england' as const, name: 'NHS England', email: 's117@nhse.example.nhs.uk', partnerships: ['test', 'quiet'] },
];
const members = orgs.map((o) => o.code);
const partnerships: Partnership[] = [
  {
    id: 'test',
    name: 'Test',
    members,
    ruleConfig: DEFAULT_RULE_CONFIG,
    responseDeadlineDays: 10,
    funding: { ...DEFAULT_FUNDING_SETTINGS },
  },
  // Reminders every 100 days: the stage deadlines come first, so these paths show escalation alone.
  {
    id: 'quiet',
    name: 'Quiet',
    members,
    ruleConfig: DEFAULT_RULE_CONFIG,
    responseDeadlineDays: 10,
    funding: { ...DEFAULT_FUNDING_SETTINGS },
    disputes: { reminderDays: 100 },
  },
];

let server: SfnServer;
let client: SFNClient;
let machineArn: string;
let clock: VirtualClock;
let a: MemoryPorts;
let disputes: MemoryDisputeStore;
let deps: DisputeDeps;
const panelCalls: Record<string, unknown>[] = [];

beforeEach(async () => {
  // A fresh server per test: the virtual clock only moves forward, and each path starts on 15 January 2025.
  clock = new VirtualClock(START);
  server = await startSfnServer({ clock });
  client = sfnClient(server.url);
  panelCalls.length = 0;
  const iso = () => new Date(clock.now()).toISOString();
  // The tests' composition root, with the workflow port over the local Step Functions server.
  a = memoryPorts(
    { now: iso, today: () => iso().slice(0, 10) },
    { organisations: orgs, partnerships },
    { workflow: new SfnWorkflow(client) },
  );
  disputes = a.disputes;
  deps = { ...a, appBaseUrl: 'http://127.0.0.1:3000' };
  server.functions.register('open-dispute', async (e) => openDisputeStep(deps, disputeInputSchema.parse(e)));
  server.functions.register('request-stage-outcome', async (e) => requestStageOutcome(deps, requestStageOutcomeInputSchema.parse(e)));
  server.functions.register('advance-dispute', async (e) => advanceDispute(deps, advanceDisputeInputSchema.parse(e)));
  server.functions.register('produce-referral-pack', async (e) => produceReferralPack(deps, disputeInputSchema.parse(e)));
  server.functions.register('settle-dispute', async (e) => settleDisputeStep(deps, disputeInputSchema.parse(e)));
  server.functions.register('request-panel-decision', async (e) => {
    panelCalls.push(e as Record<string, unknown>);
    return { panelRequestId: 'pr_1', invited: 2 };
  });
  const created = await client.send(
    new CreateStateMachineCommand({
      name: 'dispute',
      definition: loadDefinition(FILE, substitutions),
      roleArn: 'arn:aws:iam::000000000000:role/test',
    }),
  );
  machineArn = created.stateMachineArn ?? '';
});

afterEach(async () => {
  client.destroy();
  await server.close();
});

const respond = (party: 'icb' | 'la', extra: Partial<PartyResponse>): PartyResponse => ({
  party,
  body: party === 'icb' ? 'ICB-A' : 'LA-A',
  decision: 'dispute',
  reason: 'Not ours',
  at: new Date(START).toISOString(),
  by: 'u',
  ...extra,
});

let counter = 0;
/** An application in interim funding after a dispute, as the funding workflow leaves it. */
async function disputedApplication(responses: Application['responses'], partnershipId = 'test'): Promise<Application> {
  counter += 1;
  const base = application({
    id: `app_dispute${String(counter).padStart(4, '0')}`,
    partnershipId,
    status: 'interim',
    responses,
    requestedStartDate: '2025-01-01',
    parties: [
      'LA-A',
      'ICB-A',
      ...(responses.icb?.proposedBody ? [responses.icb.proposedBody] : []),
      ...(responses.la?.proposedBody ? [responses.la.proposedBody] : []),
    ],
    carePlan: {
      serviceLines: [
        {
          id: 'L1',
          description: 'Supported living',
          provider: 'Acme Care',
          category: 'accommodation',
          s117: true,
          weeklyCostPence: 70_000,
          startDate: '2025-01-01',
        },
      ],
    },
  });
  const partnership = partnerships.find((p) => p.id === partnershipId) as Partnership;
  const app = { ...base, arrangements: [interimArrangement(base, partnership, 'dispute', 'arr_1', '2025-01-15T10:00:00.000Z')] };
  await a.applications.create(app);
  return app;
}

const timers = (arn: string) => clock.pending().filter((t) => t.label.startsWith(`${arn} `) && !t.label.endsWith(MAXIMUM_DURATION));

/** Moves the clock to `targetMs`, one timer of this execution at a time, letting the machine react to each. */
async function runClockTo(arn: string, targetMs: number): Promise<void> {
  for (;;) {
    const timer = await eventually(async () => {
      const t = timers(arn)[0];
      if (t !== undefined) return t;
      const status = (await finished(client, arn, 10_000).catch(() => undefined))?.status;
      return status === undefined ? undefined : null;
    }, `a timer of ${arn}`);
    if (timer === null || timer.dueAt > targetMs) break;
    clock.advance(timer.dueAt - clock.now());
    await eventually(() => (timers(arn).some((t) => t.id === timer.id) ? undefined : true), 'the timer to fire');
    await eventually(
      async () =>
        timers(arn).length > 0
          ? true
          : await finished(client, arn, 50).then(
              () => true,
              () => undefined,
            ),
      'the machine to wait again',
    );
  }
  clock.advance(Math.max(0, targetMs - clock.now()));
}

/** Waits until the machine is waiting again (a timer of its own is pending). */
const settled = (arn: string) => eventually(() => (timers(arn).length > 0 ? true : undefined), 'the machine to wait');

const caller = (org: string): Caller => ({ userId: `${org.toLowerCase()}-commissioner`, org, role: 'commissioner' });
const record = (app: Application, org: string, request: RecordOutcomeRequest) =>
  recordDisputeOutcome(deps, { caller: caller(org), id: app.id, request });
const chronologyTypes = async (app: Application) => (await a.chronology.list(app.personRef, { applicationId: app.id })).map((e) => e.type);
const repeat = <T>(n: number, items: T[]): T[] => Array.from({ length: n }, () => items).flat();

describe('dispute.asl.json: between councils (Care Act s40, SI 2014/2829)', () => {
  it('reminds weekly, produces the referral pack when the referral falls due four months after the dispute date, then settles on the determination', async () => {
    const app = await disputedApplication({ la: respond('la', { proposedBody: 'LA-B', reason: 'She was ordinarily resident in LA-B' }) });
    const arn = await start(client, machineArn, { applicationId: app.id });
    await settled(arn);
    expect(await disputes.get(app.id)).toMatchObject({
      kind: 'la-la',
      stage: 'pre-referral',
      disputeDate: '2025-01-15',
      referralDue: '2025-05-15',
      lead: 'LA-A',
    });
    expect((await a.applications.get(app.id))?.status).toBe('in-dispute');

    await runClockTo(arn, Date.parse('2025-05-14T23:59:00.000Z'));
    expect((await disputes.get(app.id))?.referral).toBeUndefined();
    expect((await chronologyTypes(app)).filter((t) => t === 'dispute-reminder-sent')).toHaveLength(17);

    await runClockTo(arn, Date.parse('2025-05-15T00:00:00.000Z'));
    await eventually(async () => ((await disputes.get(app.id))?.stage === 'secretary-of-state' ? true : undefined), 'the referral');
    await settled(arn);
    const referred = (await a.chronology.list(app.personRef)).find((e) => e.type === 'dispute-referred');
    expect(referred?.data).toMatchObject({
      disputeDate: '2025-01-15',
      referralDue: '2025-05-15',
      referredOn: '2025-05-15',
      legalArgumentsDue: '2025-05-29',
      packId: `rp_${app.id.slice(4)}_1`,
    });
    const pack = await disputes.getReferralPack(app.id, `rp_${app.id.slice(4)}_1`);
    expect(pack?.text).toContain('The dispute arose on 15 January 2025');
    expect(pack?.text).toContain('Legal arguments are due by 29 May 2025');
    expect(pack?.text).not.toContain('9434765919');

    // Both councils record the Secretary of State's determination; it stands once both have recorded the same.
    const determination = {
      stage: 'secretary-of-state',
      decision: 'resolved',
      responsibleLa: 'LA-B',
      reason: 'Ordinarily resident in LA-B before detention.',
    } as const;
    expect((await record(app, 'LA-A', determination)).statusCode).toBe(201);
    expect((await disputes.get(app.id))?.status).toBe('active');
    const decided = await record(app, 'LA-B', determination);
    expect(decided.statusCode).toBe(201);
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');

    const loop = ['CouncilsAwaitOutcome', 'CouncilsAdvanceOnClock', 'CouncilsNext'];
    expect(await statesEntered(client, arn)).toStrictEqual([
      'OpenDispute',
      'RouteByKind',
      'CouncilsNext',
      ...repeat(17, loop),
      ...loop,
      'ProduceReferralPack',
      'CouncilsNext',
      'CouncilsAwaitOutcome',
      'CouncilsAdvanceOnOutcome',
      'CouncilsNext',
      'SettleDispute',
      'DisputeSettled',
    ]);
    const after = await a.applications.get(app.id);
    expect(after?.status).toBe('settled');
    expect(after?.arrangements.map((x) => [x.state, x.startDate, x.shares.map((s) => [s.body, s.basisPoints])])).toStrictEqual([
      [
        'interim',
        '2025-01-01',
        [
          ['ICB-A', 5_000],
          ['LA-A', 5_000],
        ],
      ],
      [
        'agreed',
        '2025-05-15',
        [
          ['ICB-A', 5_000],
          ['LA-B', 5_000],
        ],
      ],
    ]);
    const recharges = await disputes.listRecharges(app.id);
    // 1 January to 14 May 2025: 134 days at £100 a day, the council half is £6,700.
    expect(recharges.every((r) => r.payer === 'LA-B' && r.payee === 'LA-A')).toBe(true);
    expect(recharges.reduce((s, r) => s + r.pence, 0)).toBe(670_000);
    expect(await disputes.get(app.id)).toMatchObject({ status: 'settled', reviewWindowEnds: '2025-08-15' });
  });

  it('refers at once when a council asks, before the four months are up', async () => {
    const app = await disputedApplication({ la: respond('la', { proposedBody: 'LA-B' }) }, 'quiet');
    const arn = await start(client, machineArn, { applicationId: app.id });
    await settled(arn);
    clock.advance(10 * DAY_MS);
    expect(
      (
        await record(app, 'LA-B', {
          stage: 'pre-referral',
          decision: 'escalate',
          reason: 'No agreement is possible.',
        })
      ).statusCode,
    ).toBe(201);
    await eventually(
      async () => ((await disputes.get(app.id))?.referral?.referredOn === '2025-01-25' ? true : undefined),
      'the early referral',
    );
    expect((await disputes.get(app.id))?.referral).toStrictEqual({
      referredOn: '2025-01-25',
      packId: `rp_${app.id.slice(4)}_1`,
      legalArgumentsDue: '2025-02-08',
    });
    await settled(arn);
    expect((await statesEntered(client, arn)).slice(-6)).toStrictEqual([
      'CouncilsAwaitOutcome',
      'CouncilsAdvanceOnOutcome',
      'CouncilsNext',
      'ProduceReferralPack',
      'CouncilsNext',
      'CouncilsAwaitOutcome',
    ]);
  });
});

describe('dispute.asl.json: between ICBs (Who Pays?)', () => {
  it('escalates to NHS England regional when local resolution runs out, and settles on its decision', async () => {
    const app = await disputedApplication({ icb: respond('icb', { proposedBody: 'ICB-B' }) }, 'quiet');
    const arn = await start(client, machineArn, { applicationId: app.id });
    await settled(arn);
    await runClockTo(arn, Date.parse('2025-02-12T00:00:00.000Z'));
    await eventually(async () => ((await disputes.get(app.id))?.stage === 'nhse-regional' ? true : undefined), 'escalation');
    expect((await a.applications.get(app.id))?.parties).toContain('NHSE');
    await settled(arn);
    await expect(
      record(app, 'ICB-A', { stage: 'nhse-regional', decision: 'resolved', responsibleIcb: 'ICB-B', reason: 'x' }),
    ).rejects.toMatchObject({ status: 403 });
    expect(
      (
        await record(app, 'NHSE', {
          stage: 'nhse-regional',
          decision: 'resolved',
          responsibleIcb: 'ICB-B',
          reason: 'Originating ICB is ICB-B.',
        })
      ).statusCode,
    ).toBe(201);
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([
      'OpenDispute',
      'RouteByKind',
      'NhsNext',
      'NhsAwaitOutcome',
      'NhsAdvanceOnClock',
      'NhsNext',
      'NhsAwaitOutcome',
      'NhsAdvanceOnOutcome',
      'NhsNext',
      'SettleDispute',
      'DisputeSettled',
    ]);
    const recharges = await disputes.listRecharges(app.id);
    expect(new Set(recharges.map((r) => `${r.payer}>${r.payee}`))).toStrictEqual(new Set(['ICB-B>ICB-A']));
    // 1 January to 11 February: 42 days × £100; ICB-A paid a quarter (the NHS half, split 50:50) = £1,050.
    expect(recharges.reduce((s, r) => s + r.pence, 0)).toBe(105_000);
  });

  it('escalates on each stage deadline (28, 28 and 42 days), then ends unresolved with interim funding in place', async () => {
    const app = await disputedApplication({ icb: respond('icb', { proposedBody: 'ICB-B' }) }, 'quiet');
    const arn = await start(client, machineArn, { applicationId: app.id });
    await settled(arn);
    await runClockTo(arn, Date.parse('2025-06-01T00:00:00.000Z'));
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    const loop = ['NhsAwaitOutcome', 'NhsAdvanceOnClock', 'NhsNext'];
    expect(await statesEntered(client, arn)).toStrictEqual([
      'OpenDispute',
      'RouteByKind',
      'NhsNext',
      ...repeat(3, loop),
      'DisputeUnresolved',
    ]);
    const d = await disputes.get(app.id);
    expect(d?.stages.map((s) => [s.stage, s.deadline, s.endedBy])).toStrictEqual([
      ['local-resolution', '2025-02-12', 'deadline'],
      ['nhse-regional', '2025-03-12', 'deadline'],
      ['nhse-national', '2025-04-23', 'deadline'],
    ]);
    expect(d?.status).toBe('unresolved');
    expect((await a.applications.get(app.id))?.arrangements.map((x) => x.state)).toStrictEqual(['interim']);
    expect((await chronologyTypes(app)).filter((t) => t.startsWith('dispute-'))).toStrictEqual([
      'dispute-opened',
      'dispute-stage-started',
      'dispute-escalated',
      'dispute-stage-started',
      'dispute-escalated',
      'dispute-stage-started',
      'dispute-escalated',
      'dispute-unresolved',
    ]);
  });
});

describe('dispute.asl.json: between an ICB and a council', () => {
  const answerPanel = async (outcome: string) => {
    const call = await eventually(() => panelCalls[0], 'the panel request');
    await client.send(
      new SendTaskSuccessCommand({
        taskToken: String(call['taskToken']),
        output: JSON.stringify({
          panelRequestId: 'pr_1',
          subject: 'dispute-outcome',
          outcome,
          votes: [],
          decidedAt: new Date(clock.now()).toISOString(),
          reasons: [],
        }),
      }),
    );
    return call;
  };

  it('the joint panel approves the proposal → settled on it', async () => {
    const app = await disputedApplication({ la: respond('la', { about: 'apportionment', reason: 'The split is wrong' }) });
    const arn = await start(client, machineArn, { applicationId: app.id });
    const call = await answerPanel('approved');
    expect({
      subject: call['subject'],
      applicationId: call['applicationId'],
      split: (call['proposal'] as { split: unknown }).split,
    }).toStrictEqual({
      subject: 'dispute-outcome',
      applicationId: app.id,
      split: [
        { body: 'ICB-A', party: 'icb', basisPoints: 5_000 },
        { body: 'LA-A', party: 'la', basisPoints: 5_000 },
      ],
    });
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([
      'OpenDispute',
      'RouteByKind',
      'JointNext',
      'AwaitJointPanel',
      'RecordJointPanelDecision',
      'JointNext',
      'SettleDispute',
      'DisputeSettled',
    ]);
    expect((await disputes.get(app.id))?.outcome).toMatchObject({
      stage: 'joint-panel',
      responsibleIcb: 'ICB-A',
      responsibleLa: 'LA-A',
      split: { icbBasisPoints: 5_000 },
    });
  });

  it('the panel rejects → the executive leads resolve it with a split → settled with recharges', async () => {
    const app = await disputedApplication({ la: respond('la', { about: 'apportionment', reason: 'The split is wrong' }) });
    const arn = await start(client, machineArn, { applicationId: app.id });
    await answerPanel('rejected');
    await eventually(async () => ((await disputes.get(app.id))?.stage === 'executive-leads' ? true : undefined), 'the executive leads');
    await settled(arn);
    await runClockTo(arn, START + 14 * DAY_MS);
    await expect(record(app, 'ICB-A', { stage: 'executive-leads', decision: 'resolved', reason: 'x' })).rejects.toMatchObject({
      status: 400,
      errors: [{ field: 'body.split', message: 'is required (or a responsible body) to resolve a dispute between an ICB and a council' }],
    });
    // One body alone settles nothing (issue 12): the stage is decided when both bodies agree to the same split.
    const lead = (org: string, icbBasisPoints: number) =>
      record(app, org, { stage: 'executive-leads', decision: 'resolved', split: { icbBasisPoints }, reason: 'Mostly health needs.' });
    const first = await lead('ICB-A', 7_000);
    expect([first.statusCode, (first.body as DisputeView).status]).toStrictEqual([201, 'active']);
    expect((first.body as DisputeView).agreements.map((x) => [x.org, x.icbBasisPoints])).toStrictEqual([['ICB-A', 7_000]]);
    const other = (await disputes.get(app.id))?.bodies.find((b) => b !== 'ICB-A') as string;
    const differs = await lead(other, 6_000);
    expect([differs.statusCode, (differs.body as DisputeView).status]).toStrictEqual([201, 'active']);
    expect((await lead('ICB-A', 7_000)).statusCode).toBe(200);
    const both = await lead(other, 7_000);
    expect([both.statusCode, (both.body as DisputeView).status]).toStrictEqual([201, 'decided']);
    expect((both.body as DisputeView).outcome?.decidedBy).toMatch(/\(ICB-A\) and .+\(|\(.+\) and .+\(ICB-A\)/);
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([
      'OpenDispute',
      'RouteByKind',
      'JointNext',
      'AwaitJointPanel',
      'RecordJointPanelDecision',
      'JointNext',
      'ExecutiveLeadsAwaitOutcome',
      'ExecutiveLeadsAdvanceOnClock',
      'JointNext',
      'ExecutiveLeadsAwaitOutcome',
      'ExecutiveLeadsAdvanceOnClock',
      'JointNext',
      'ExecutiveLeadsAwaitOutcome',
      'ExecutiveLeadsAdvanceOnOutcome',
      'JointNext',
      'SettleDispute',
      'DisputeSettled',
    ]);
    const recharges = await disputes.listRecharges(app.id);
    // 1 January to 28 January: 28 days × £100; the ICB's share goes from 50% to 70%: it repays £560.
    expect(recharges.reduce((s, r) => s + r.pence, 0)).toBe(56_000);
    expect(new Set(recharges.map((r) => `${r.payer}>${r.payee}`))).toStrictEqual(new Set(['ICB-A>LA-A']));
    expect((await chronologyTypes(app)).filter((t) => t === 'dispute-reminder-sent')).toHaveLength(2);
  });

  it('a silent panel (its deadline passes) → the executive leads', async () => {
    const app = await disputedApplication({ icb: respond('icb', { about: 'apportionment' }) }, 'quiet');
    const arn = await start(client, machineArn, { applicationId: app.id });
    await eventually(() => panelCalls[0], 'the panel request');
    await runClockTo(arn, Date.parse('2025-02-12T00:00:00.000Z'));
    await eventually(async () => ((await disputes.get(app.id))?.stage === 'executive-leads' ? true : undefined), 'the executive leads');
    await settled(arn);
    expect(await statesEntered(client, arn)).toStrictEqual([
      'OpenDispute',
      'RouteByKind',
      'JointNext',
      'AwaitJointPanel',
      'JointPanelSilent',
      'RecordJointPanelDecision',
      'JointNext',
      'ExecutiveLeadsAwaitOutcome',
    ]);
  });
});

describe('dispute.asl.json, statically', () => {
  const raw = readFileSync(FILE, 'utf8');
  const definition = JSON.parse(raw) as { States: Record<string, Record<string, unknown>> };

  it('passes asl-validator once substituted, and uses exactly its substitutions', () => {
    const { isValid, errorsText } = validator(JSON.parse(loadDefinition(FILE, substitutions)) as object);
    expect([errorsText(), isValid]).toStrictEqual(['', true]);
    expect([...new Set([...raw.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]))].sort()).toStrictEqual(
      Object.keys(disputeTasks).sort(),
    );
  });

  it('gives every callback a deadline from configuration and a way out on timeout', () => {
    const callbacks = Object.entries(definition.States).filter(([, s]) => String(s['Resource']).endsWith('.waitForTaskToken'));
    expect(callbacks.map(([n]) => n).sort()).toStrictEqual([
      'AwaitJointPanel',
      'CouncilsAwaitOutcome',
      'ExecutiveLeadsAwaitOutcome',
      'NhsAwaitOutcome',
    ]);
    for (const [, s] of callbacks) {
      expect(s['TimeoutSecondsPath']).toBe('$.step.value.waitSeconds');
      expect((s['Catch'] as { ErrorEquals: string[] }[])[0]?.ErrorEquals).toStrictEqual(['States.Timeout']);
    }
  });

  it('names only errors that exist', () => {
    const failErrors = new Set(
      Object.values(definition.States)
        .filter((s) => s['Type'] === 'Fail')
        .map((s) => String(s['Error'])),
    );
    const named = Object.values(definition.States)
      .flatMap((s) => [
        ...((s['Retry'] as { ErrorEquals: string[] }[] | undefined) ?? []),
        ...((s['Catch'] as { ErrorEquals: string[] }[] | undefined) ?? []),
      ])
      .flatMap((r) => r.ErrorEquals);
    expect(
      named.filter(
        (e) =>
          !(
            e.startsWith('States.') ||
            e.startsWith('Lambda.') ||
            (WORKFLOW_ERROR_NAMES as readonly string[]).includes(e) ||
            failErrors.has(e)
          ),
      ),
    ).toStrictEqual([]);
  });
});
