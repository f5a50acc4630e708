/**
 * The local Step Functions engine fails where AWS fails (issue 15 item 2): payloads over 256 KiB, histories over
 * 25,000 events and executions over a year. The quotas are AWS's by default; the history quota is lowered here
 * so that a test reaches it in a few dozen events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { advanceClock, describeClock } from '#local/clock-client.ts';
import { AWS_SFN_LIMITS, MAXIMUM_DURATION } from '#local/sfn/limits.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { eventually, finished, history, sfnClient, start, tokenInbox } from './support.ts';

const DAY_MS = 86_400_000;
const HISTORY_LIMIT = 40;
const inbox = tokenInbox();
let server: SfnServer;
let client: SFNClient;

const lambda = (name: string) => `arn:aws:lambda:eu-west-2:000000000000:function:${name}`;

async function machine(name: string, definition: object): Promise<string> {
  const created = await client.send(
    new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/test' }),
  );
  return created.stateMachineArn ?? '';
}

beforeAll(async () => {
  server = await startSfnServer({ clock: 'virtual', limits: { historyEvents: HISTORY_LIMIT } });
  server.functions.register('sized', {
    handler: async (event: unknown) => ({ text: 'x'.repeat((event as { bytes: number }).bytes) }),
    timeoutSeconds: 30,
  });
  server.functions.register('request-response', inbox.handler);
  client = sfnClient(server.url);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describe('payload quota (256 KiB of UTF-8)', () => {
  const sized = {
    StartAt: 'Make',
    States: {
      Make: {
        Type: 'Task',
        Resource: lambda('sized'),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    },
  };

  it('refuses StartExecution with an input over the quota, as the API does', async () => {
    const arn = await machine('limits-input', sized);
    const input = JSON.stringify({ pad: 'é'.repeat(AWS_SFN_LIMITS.payloadBytes / 2) });
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: arn, input }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(`less than or equal to ${AWS_SFN_LIMITS.payloadBytes}`),
    });
  });

  it('passes a task result just under the quota', async () => {
    const arn = await machine('limits-under', sized);
    const done = await finished(client, await start(client, arn, { bytes: AWS_SFN_LIMITS.payloadBytes - 100 }));
    expect(done.status).toBe('SUCCEEDED');
  });

  it('fails the execution with States.DataLimitExceeded for a task result over it, which States.ALL does not catch', async () => {
    const arn = await machine('limits-over', sized);
    const executionArn = await start(client, arn, { bytes: AWS_SFN_LIMITS.payloadBytes });
    const done = await finished(client, executionArn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toStrictEqual({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: "The state/task 'Make' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
    const types = (await history(client, executionArn)).map((e) => e.type);
    expect(types.at(-1)).toBe('ExecutionFailed');
    expect(types).not.toContain('PassStateEntered');
  });

  it('refuses SendTaskSuccess with an output over the quota and keeps the task waiting', async () => {
    const arn = await machine('limits-callback', {
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'request-response', Payload: { 'taskToken.$': '$$.Task.Token' } },
          TimeoutSeconds: 3600,
          End: true,
        },
      },
    });
    const index = inbox.events.length;
    const executionArn = await start(client, arn, {});
    const taskToken = await inbox.next(index);
    const output = JSON.stringify({ pad: 'x'.repeat(AWS_SFN_LIMITS.payloadBytes) });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken, output }))).rejects.toMatchObject({ name: 'ValidationException' });
    await client.send(new SendTaskSuccessCommand({ taskToken, output: '{"ok":true}' }));
    expect((await finished(client, executionArn)).status).toBe('SUCCEEDED');
  });
});

describe('history quota', () => {
  it('fails an execution whose history reaches the quota, naming it', async () => {
    const arn = await machine('limits-history', {
      StartAt: 'Again',
      States: {
        Again: { Type: 'Task', Resource: lambda('sized'), ResultPath: null, Next: 'Stop?' },
        'Stop?': { Type: 'Choice', Choices: [{ Variable: '$.stop', BooleanEquals: true, Next: 'Done' }], Default: 'Again' },
        Done: { Type: 'Succeed' },
      },
    });
    const executionArn = await start(client, arn, { bytes: 1, stop: false });
    const done = await finished(client, executionArn);
    expect({ status: done.status, error: done.error, cause: done.cause }).toStrictEqual({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: `The execution reached the maximum number of history events (${HISTORY_LIMIT}).`,
    });
    const events = await history(client, executionArn);
    expect(events.length).toBeLessThanOrEqual(HISTORY_LIMIT + 1);
  });
});

describe('duration quota (one year)', () => {
  it('times out an execution still waiting a year after it started, and not a day before', async () => {
    const arn = await machine('limits-year', {
      StartAt: 'AwaitForever',
      States: {
        AwaitForever: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'request-response', Payload: { 'taskToken.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    const index = inbox.events.length;
    const executionArn = await start(client, arn, {});
    await inbox.next(index);
    const timer = await eventually(
      async () => (await describeClock(server.url)).pendingTimers.find((t) => t.label === `${executionArn} ${MAXIMUM_DURATION}`),
      'the maximum-duration timer',
    );
    expect(timer.dueAt - (await describeClock(server.url)).now).toBe(365 * DAY_MS);
    await advanceClock(server.url, 364 * DAY_MS);
    expect((await finished(client, executionArn, 100).catch(() => undefined))?.status).toBeUndefined();
    await advanceClock(server.url, DAY_MS);
    const done = await finished(client, executionArn);
    expect({ status: done.status, error: done.error }).toStrictEqual({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect((await history(client, executionArn)).at(-1)?.type).toBe('ExecutionTimedOut');
  });
});
