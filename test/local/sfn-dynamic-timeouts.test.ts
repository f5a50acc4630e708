import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { advanceClock, describeClock } from '#local/clock-client.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { eventually, finished, history, sfnClient, start, statesEntered, tokenInbox } from './support.ts';

const DAY_MS = 86_400_000;
const inbox = tokenInbox();
let server: SfnServer;
let client: SFNClient;

beforeAll(async () => {
  server = await startSfnServer({ clock: 'virtual' });
  server.functions.register('request-response', inbox.handler);
  client = sfnClient(server.url);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

async function create(name: string, definition: object): Promise<string> {
  const created = await client.send(
    new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/test' }),
  );
  return created.stateMachineArn ?? '';
}

/** As the funding workflow waits for a body's response: a deadline read from the input, a Catch on the timeout. */
const awaitResponse = (fields: object, inputPath?: string) => ({
  StartAt: 'AwaitResponse',
  States: {
    AwaitResponse: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      ...(inputPath === undefined ? {} : { InputPath: inputPath }),
      Parameters: { FunctionName: 'request-response', Payload: { 'taskToken.$': '$$.Task.Token', 'applicationId.$': '$.applicationId' } },
      ...fields,
      ResultPath: '$.response',
      Catch: [{ ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], ResultPath: '$.failure', Next: 'Interim' }],
      End: true,
    },
    Interim: { Type: 'Pass', End: true },
  },
});

const timerFor = (executionArn: string, what: string) =>
  eventually(
    async () => (await describeClock(server.url)).pendingTimers.find((t) => t.label === `${executionArn} ${what}`),
    `${what} timer`,
  );

const status = async (executionArn: string) => (await client.send(new DescribeExecutionCommand({ executionArn }))).status;

describe('TimeoutSecondsPath and HeartbeatSecondsPath', () => {
  it('times a callback task out after the number of seconds its input names, on the simulated clock', async () => {
    const arn = await create('timeout-path', awaitResponse({ TimeoutSecondsPath: '$.responseTimeoutSeconds' }));
    const tokenPromise = inbox.next();
    const executionArn = await start(client, arn, { applicationId: 'A-1', responseTimeoutSeconds: 10 * 86_400 });
    const token = await tokenPromise;
    const timer = await timerFor(executionArn, 'AwaitResponse timeout');

    expect(timer.dueAt - (await describeClock(server.url)).now).toBe(10 * DAY_MS);
    expect(inbox.events.at(-1)).toStrictEqual({ taskToken: token, applicationId: 'A-1' });
    await advanceClock(server.url, 10 * DAY_MS - 1);
    expect(await status(executionArn)).toBe('RUNNING');
    await advanceClock(server.url, 1);
    const done = await finished(client, executionArn);

    expect(JSON.parse(done.output ?? '')).toStrictEqual({
      applicationId: 'A-1',
      responseTimeoutSeconds: 864_000,
      failure: { Error: 'States.Timeout', Cause: 'Task timed out after 864000 seconds' },
    });
    expect(await statesEntered(client, executionArn)).toStrictEqual(['AwaitResponse', 'Interim']);
    const scheduled = (await history(client, executionArn)).find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails?.timeoutInSeconds).toBe(864_000);
    expect(JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? '')).toStrictEqual({
      FunctionName: 'request-response',
      Payload: { taskToken: token, applicationId: 'A-1' },
    });
  });

  it('reads the path from the input after InputPath', async () => {
    const arn = await create('timeout-path-inputpath', awaitResponse({ TimeoutSecondsPath: '$.responseTimeoutSeconds' }, '$.application'));
    const tokenPromise = inbox.next();
    const executionArn = await start(client, arn, { application: { applicationId: 'A-2', responseTimeoutSeconds: 60 } });
    const token = await tokenPromise;
    const timer = await timerFor(executionArn, 'AwaitResponse timeout');
    expect(timer.dueAt - (await describeClock(server.url)).now).toBe(60_000);

    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"accept"}' }));
    const done = await finished(client, executionArn);
    expect(JSON.parse(done.output ?? '')).toStrictEqual({
      application: { applicationId: 'A-2', responseTimeoutSeconds: 60 },
      response: { decision: 'accept' },
    });
  });

  it('fails a callback task with States.HeartbeatTimeout after the heartbeat its input names', async () => {
    const arn = await create('heartbeat-path', awaitResponse({ TimeoutSeconds: 2_592_000, HeartbeatSecondsPath: '$.heartbeatSeconds' }));
    const tokenPromise = inbox.next();
    const executionArn = await start(client, arn, { applicationId: 'A-3', heartbeatSeconds: 30 });
    const token = await tokenPromise;
    await timerFor(executionArn, 'AwaitResponse heartbeat');

    await advanceClock(server.url, 29_000);
    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await advanceClock(server.url, 29_000);
    expect(await status(executionArn)).toBe('RUNNING');
    await advanceClock(server.url, 1_000);
    const done = await finished(client, executionArn);

    expect(JSON.parse(done.output ?? '')).toMatchObject({
      failure: { Error: 'States.HeartbeatTimeout', Cause: 'No heartbeat for 30 seconds' },
    });
    const scheduled = (await history(client, executionArn)).find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 2_592_000, heartbeatInSeconds: 30 });
  });

  it.each([
    ['missing', {}, "Path expression '$.responseTimeoutSeconds' does not point to a value"],
    ['zero', { responseTimeoutSeconds: 0 }, "TimeoutSecondsPath '$.responseTimeoutSeconds' must select a positive integer, not 0"],
    [
      'fractional',
      { responseTimeoutSeconds: 1.5 },
      "TimeoutSecondsPath '$.responseTimeoutSeconds' must select a positive integer, not 1.5",
    ],
    [
      'a string',
      { responseTimeoutSeconds: '60' },
      'TimeoutSecondsPath \'$.responseTimeoutSeconds\' must select a positive integer, not "60"',
    ],
  ])('fails the execution with States.Runtime when the value is %s', async (_label, extra, cause) => {
    const arn = await create('timeout-path-bad', {
      StartAt: 'AwaitResponse',
      States: {
        AwaitResponse: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'request-response', Payload: { 'taskToken.$': '$$.Task.Token' } },
          TimeoutSecondsPath: '$.responseTimeoutSeconds',
          End: true,
        },
      },
    });
    const before = inbox.events.length;
    const executionArn = await start(client, arn, { applicationId: 'A-4', ...extra });
    const done = await finished(client, executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause });
    expect(inbox.events.length).toBe(before);
  });

  it.each([
    [{ TimeoutSeconds: 60, TimeoutSecondsPath: '$.t' }, "State 'AwaitResponse': TimeoutSeconds and TimeoutSecondsPath cannot both be set"],
    [
      { HeartbeatSeconds: 6, HeartbeatSecondsPath: '$.h' },
      "State 'AwaitResponse': HeartbeatSeconds and HeartbeatSecondsPath cannot both be set",
    ],
    [{ TimeoutSecondsPath: 60 }, "State 'AwaitResponse': TimeoutSecondsPath must be a reference path starting with '$'"],
  ])('refuses %j at CreateStateMachine', async (fields, message) => {
    await expect(create('timeout-path-invalid', awaitResponse(fields))).rejects.toMatchObject({ name: 'InvalidDefinition', message });
  });
});
