import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import validator from 'asl-validator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WORKFLOW_ERROR_NAMES } from '#domain/errors.ts';
import { reviewScheduleTasks } from '#lib/manifest/register.ts';
import { VirtualClock } from '#local/clock.ts';
import { loadDefinition } from '#local/definitions.ts';
import { Engine } from '#local/sfn/engine.ts';
import { functionArn } from '#local/sfn/lambda.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { eventually, finished, history, sfnClient, start, statesEntered } from '../local/support.ts';

const FILE = fileURLToPath(new URL('../../statemachines/review-schedule.asl.json', import.meta.url));
const MAX_EXECUTION_SECONDS = 300 * 86_400;
const substitutions = {
  ...Object.fromEntries(Object.entries(reviewScheduleTasks).map(([k, v]) => [k, functionArn(v)])),
  ReviewScheduleArn: Engine.machineArn('review-schedule'),
  MaxExecutionSeconds: String(MAX_EXECUTION_SECONDS),
};

type Fake = (event: Record<string, unknown>) => Promise<unknown>;
const calls: { fn: string; event: Record<string, unknown>; at: number }[] = [];
let fakes: Partial<Record<string, Fake[]>> = {};
let server: SfnServer;
let client: SFNClient;
let machineArn: string;
const clock = new VirtualClock(Date.parse('2025-03-11T10:00:00Z'));

const ok =
  (value: unknown): Fake =>
  async () =>
    value;
const fail =
  (name: string): Fake =>
  async () => {
    const error = new Error('failed in test');
    error.name = name;
    throw error;
  };
const DAY_MS = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();
/** The clock is shared by the tests and only moves forward: each test plans from the next day at midnight. */
let day0 = 0;
let plan: Record<string, unknown> = {};
const at = (days: number): string => iso(day0 + days * DAY_MS + 9 * 3_600_000);
const input = { personRef: 'p_abcdefghijklmnopqrstuvwxyz', n: 1, generation: 1, seq: 0 };
const nextInput = { ...input, seq: 1 };
/** The execution HandOver starts, named per test (executions outlive the test). */
let nextName = '';
const executionArn = (name: string): string => `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;

beforeAll(async () => {
  server = await startSfnServer({ clock });
  for (const name of Object.values(reviewScheduleTasks)) {
    server.functions.register(name, async (event) => {
      calls.push({ fn: name, event: event as Record<string, unknown>, at: clock.now() });
      const queue = fakes[name] ?? [];
      const fake = queue.length > 1 ? queue.shift() : queue[0];
      if (!fake) throw new Error(`no fake for ${name}`);
      return fake(event as Record<string, unknown>);
    });
  }
  client = sfnClient(server.url);
  const created = await client.send(
    new CreateStateMachineCommand({
      name: 'review-schedule',
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
  calls.length = 0;
  day0 = Math.floor(clock.now() / DAY_MS) * DAY_MS + DAY_MS;
  nextName = `review-test-${day0}-s1`;
  plan = {
    route: 'wait',
    obligation: 'eligibility',
    due: iso(day0 + 41 * DAY_MS).slice(0, 10),
    remindAt: at(27),
    escalateAt: at(42),
    escalationRepeatSeconds: 14 * 86_400,
    remind: true,
    check: true,
    resumeAt: at(290),
    next: { name: nextName, input: nextInput },
  };
  fakes = {
    'plan-next-review': [ok(plan), ok({ route: 'stop' })],
    'send-review-reminder': [ok({ sent: true })],
    'check-review': [ok({ route: 'done' })],
    'escalate-overdue-review': [ok({ escalation: 1 })],
  };
});

/** Waits for the execution's Wait timer in `state`, checks when it is due, and moves the clock to it. */
async function advanceThrough(arn: string, state: string, dueAt: string): Promise<void> {
  const timer = await eventually(
    () => clock.pending().find((t) => t.label.includes(arn) && t.label.includes(` ${state} `) && t.label.endsWith('wait')),
    `the ${state} timer`,
  );
  expect(iso(timer.dueAt)).toBe(dueAt);
  clock.advance(timer.dueAt - clock.now());
}

const CYCLE = ['PlanNextReview', 'HasReviewToPlan', 'WaitUntilReminder', 'SendReminder', 'IsDueWithinBound', 'WaitUntilDue', 'CheckReview'];

describe('review-schedule.asl.json paths (on the virtual clock)', () => {
  it('reminds at the reminder lead, finds the review held by its due date, hands over to the next execution, which ends when nothing is owed', async () => {
    const started = clock.now();
    const arn = await start(client, machineArn, input);
    await advanceThrough(arn, 'WaitUntilReminder', at(27));
    await advanceThrough(arn, 'WaitUntilDue', at(42));
    const done = await finished(client, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([...CYCLE, 'WasReviewHeld', 'HandOver', 'ScheduleEnded']);
    const next = await finished(client, executionArn(nextName));
    expect([next.status, JSON.parse(next.input ?? '{}')]).toStrictEqual(['SUCCEEDED', nextInput]);
    expect(await statesEntered(client, executionArn(nextName))).toStrictEqual(['PlanNextReview', 'HasReviewToPlan', 'ScheduleEnded']);
    expect(calls.map((c) => [c.fn, iso(c.at)])).toStrictEqual([
      ['plan-next-review', iso(started)],
      ['send-review-reminder', at(27)],
      ['check-review', at(42)],
      ['plan-next-review', at(42)],
    ]);
    expect(calls[0]?.event).toStrictEqual({ ...input, startedAt: iso(started), maxExecutionSeconds: String(MAX_EXECUTION_SECONDS) });
    expect(calls[1]?.event).toStrictEqual({ ...input, plan });
    expect(calls[3]?.event).toStrictEqual({ ...nextInput, startedAt: at(42), maxExecutionSeconds: String(MAX_EXECUTION_SECONDS) });
  });

  it('an overdue review is escalated and the next execution plans the repeat', async () => {
    fakes['check-review'] = [ok({ route: 'overdue' })];
    const arn = await start(client, machineArn, input);
    await advanceThrough(arn, 'WaitUntilReminder', at(27));
    await advanceThrough(arn, 'WaitUntilDue', at(42));
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([
      ...CYCLE,
      'WasReviewHeld',
      'EscalateOverdueReview',
      'HandOver',
      'ScheduleEnded',
    ]);
    expect(calls.filter((c) => c.fn === 'escalate-overdue-review').map((c) => iso(c.at))).toStrictEqual([at(42)]);
    expect((await finished(client, executionArn(nextName))).status).toBe('SUCCEEDED');
  });

  it('a reminder already sent is not waited for; a review due after the bound is handed over at the bound', async () => {
    fakes['plan-next-review'] = [ok({ ...plan, remind: false, check: false }), ok({ route: 'stop' })];
    const arn = await start(client, machineArn, input);
    await advanceThrough(arn, 'WaitUntilBound', at(290));
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([
      'PlanNextReview',
      'HasReviewToPlan',
      'IsDueWithinBound',
      'WaitUntilBound',
      'HandOver',
      'ScheduleEnded',
    ]);
    expect(calls.map((c) => [c.fn, iso(c.at)])).toStrictEqual([
      ['plan-next-review', calls[0] === undefined ? '' : iso(calls[0].at)],
      ['plan-next-review', at(290)],
    ]);
  });

  it('handing over to an execution that already ran (a retry after success) ends this one quietly', async () => {
    fakes['plan-next-review'] = [ok({ route: 'stop' })];
    await client.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: nextName, input: JSON.stringify(nextInput) }));
    await finished(client, executionArn(nextName));
    fakes['plan-next-review'] = [ok({ ...plan, remind: false }), ok({ route: 'stop' })];
    fakes['check-review'] = [ok({ route: 'done' })];
    const arn = await start(client, machineArn, input);
    await advanceThrough(arn, 'WaitUntilDue', at(42));
    const done = await finished(client, arn);
    expect(done.status).toBe('SUCCEEDED');
    const events = (await history(client, arn)).filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error);
    expect(events).toStrictEqual(['StepFunctions.ExecutionAlreadyExistsException']);
  });

  it('an episode that ended while waiting stops the schedule at the next check', async () => {
    fakes['check-review'] = [ok({ route: 'stop' })];
    const arn = await start(client, machineArn, input);
    await advanceThrough(arn, 'WaitUntilReminder', at(27));
    await advanceThrough(arn, 'WaitUntilDue', at(42));
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect((await statesEntered(client, arn)).slice(-3)).toStrictEqual(['CheckReview', 'WasReviewHeld', 'ScheduleEnded']);
  });

  it('nothing to plan (ended, superseded) → ends at once', async () => {
    fakes['plan-next-review'] = [ok({ route: 'stop' })];
    const arn = await start(client, machineArn, input);
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual(['PlanNextReview', 'HasReviewToPlan', 'ScheduleEnded']);
  });

  it('a step failing after its retries fails the execution by name (alarmed)', async () => {
    fakes['plan-next-review'] = [fail('ConfigurationError')];
    const arn = await start(client, machineArn, input);
    const done = await finished(client, arn);
    expect([done.status, done.error]).toStrictEqual(['FAILED', 'ReviewScheduleFailed']);
    expect(await statesEntered(client, arn)).toStrictEqual(['PlanNextReview', 'ScheduleFailed']);
  });
});

describe('review-schedule.asl.json, statically', () => {
  const raw = readFileSync(FILE, 'utf8');
  const definition = JSON.parse(raw) as { States: Record<string, Record<string, unknown>> };

  it('passes asl-validator once substituted', () => {
    const { isValid, errorsText } = validator(JSON.parse(loadDefinition(FILE, substitutions)) as object);
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
  });

  it('has a substitution for every placeholder and no other', () => {
    expect([...new Set([...raw.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort()).toStrictEqual(Object.keys(substitutions).sort());
  });

  it('names only known errors, uses JSONPath only, and every wait reads its time from the plan', () => {
    const names = Object.values(definition.States).flatMap((s) =>
      [...((s['Retry'] ?? []) as { ErrorEquals: string[] }[]), ...((s['Catch'] ?? []) as { ErrorEquals: string[] }[])].flatMap(
        (r) => r.ErrorEquals,
      ),
    );
    expect(
      names.filter(
        (n) =>
          !n.startsWith('States.') &&
          !n.startsWith('Lambda.') &&
          !n.startsWith('StepFunctions.') &&
          !(WORKFLOW_ERROR_NAMES as readonly string[]).includes(n),
      ),
    ).toStrictEqual([]);
    expect(raw).not.toMatch(/JSONata|"Assign"|waitForTaskToken/);
    const waits = Object.entries(definition.States)
      .filter(([, s]) => s['Type'] === 'Wait')
      .map(([name, s]) => [name, s['TimestampPath'] ?? s['SecondsPath']]);
    expect(waits).toStrictEqual([
      ['WaitUntilReminder', '$.plan.value.remindAt'],
      ['WaitUntilDue', '$.plan.value.escalateAt'],
      ['WaitUntilBound', '$.plan.value.resumeAt'],
    ]);
  });
});
