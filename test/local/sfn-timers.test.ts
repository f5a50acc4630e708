import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { advanceClock, describeClock } from '#local/clock-client.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { createMachine, eventually, finished, history, sfnClient, start, statesEntered, tokenInbox } from './support.ts';

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

const timerFor = (executionArn: string, what: string) =>
  eventually(
    async () => (await describeClock(server.url)).pendingTimers.find((t) => t.label.startsWith(executionArn) && t.label.endsWith(what)),
    `${what} timer`,
  );

const status = async (executionArn: string) => (await client.send(new DescribeExecutionCommand({ executionArn }))).status;

describe('timers on the simulated clock', () => {
  it('completes a 60-day Wait when the clock passes 60 days, not before', async () => {
    const arn = await createMachine(client, 'long-wait', 'long-wait.asl.json');
    const executionArn = await start(client, arn, { applicationId: 'A-9' });
    const timer = await timerFor(executionArn, 'WaitSixtyDays wait');
    const clockAtStart = (await describeClock(server.url)).now;
    expect(timer.dueAt - clockAtStart).toBe(60 * DAY_MS);

    await advanceClock(server.url, 59 * DAY_MS);
    expect((await describeClock(server.url)).pendingTimers.map((t) => t.label)).toContain(`${executionArn} WaitSixtyDays wait`);
    expect(await status(executionArn)).toBe('RUNNING');

    const advanced = await advanceClock(server.url, DAY_MS);
    const done = await finished(client, executionArn);

    expect(advanced.fired).toStrictEqual([`${executionArn} WaitSixtyDays wait`]);
    expect(JSON.parse(done.output ?? '')).toStrictEqual({ applicationId: 'A-9', reminder: 'reminded' });
    expect(await statesEntered(client, executionArn)).toStrictEqual(['WaitSixtyDays', 'Remind']);
    expect((await history(client, executionArn)).map((e) => e.type)).toStrictEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('times out a 30-day callback task into its States.Timeout Catch after 30 days, not before', async () => {
    const arn = await createMachine(client, 'long-callback', 'long-callback.asl.json');
    const tokenPromise = inbox.next();
    const executionArn = await start(client, arn, { applicationId: 'A-10' });
    await tokenPromise;
    await timerFor(executionArn, 'AwaitDecision timeout');

    await advanceClock(server.url, 30 * DAY_MS - 1);
    expect(await status(executionArn)).toBe('RUNNING');
    await advanceClock(server.url, 1);
    const done = await finished(client, executionArn);

    expect(JSON.parse(done.output ?? '')).toStrictEqual({
      applicationId: 'A-10',
      failure: { Error: 'States.Timeout', Cause: 'Task timed out after 2592000 seconds' },
    });
    expect(await statesEntered(client, executionArn)).toStrictEqual(['AwaitDecision', 'Escalate']);
    expect((await history(client, executionArn)).map((e) => e.type)).toContain('TaskTimedOut');
  });

  it('keeps a callback task alive past HeartbeatSeconds while heartbeats arrive', async () => {
    const arn = await createMachine(client, 'heartbeat', 'heartbeat.asl.json');
    const tokenPromise = inbox.next();
    const executionArn = await start(client, arn, {});
    const token = await tokenPromise;
    await timerFor(executionArn, 'AwaitPanel heartbeat');
    for (let beat = 0; beat < 3; beat++) {
      await advanceClock(server.url, 8_000);
      await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    await advanceClock(server.url, 8_000);
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approve"}' }));
    const done = await finished(client, executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toStrictEqual({ decision: 'approve' });
  });

  it('fails a callback task with States.HeartbeatTimeout when heartbeats stop', async () => {
    const arn = await createMachine(client, 'heartbeat', 'heartbeat.asl.json');
    const tokenPromise = inbox.next();
    const executionArn = await start(client, arn, {});
    const token = await tokenPromise;
    await timerFor(executionArn, 'AwaitPanel heartbeat');
    await advanceClock(server.url, 8_000);
    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await advanceClock(server.url, 10_000);
    const done = await finished(client, executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout', cause: 'No heartbeat for 10 seconds' });
    await expect(client.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('refuses the simulated-clock call on a runtime that runs on real time', async () => {
    const real = await startSfnServer();
    try {
      await expect(advanceClock(real.url, 1000)).rejects.toThrow('AdvanceClock needs the runtime started with the virtual clock');
    } finally {
      await real.close();
    }
  });
});

describe('timers on the real clock', () => {
  it('does not overflow a 30-day task timeout: the task waits for its callback', async () => {
    const real = await startSfnServer();
    const realInbox = tokenInbox();
    real.functions.register('request-response', realInbox.handler);
    const realClient = sfnClient(real.url);
    try {
      const arn = await createMachine(realClient, 'long-callback', 'long-callback.asl.json');
      const tokenPromise = realInbox.next();
      const executionArn = await start(realClient, arn, { applicationId: 'A-11' });
      const token = await tokenPromise;
      const timer = await eventually(
        async () => (await describeClock(real.url)).pendingTimers.find((t) => t.label.startsWith(executionArn)),
        'timeout timer',
      );

      expect(timer.dueAt - Date.now()).toBeGreaterThan(29 * DAY_MS);
      await realClient.send(new SendTaskSuccessCommand({ taskToken: token, output: '"approved"' }));
      const done = await finished(realClient, executionArn);

      expect(JSON.parse(done.output ?? '')).toStrictEqual({ applicationId: 'A-11', decision: 'approved' });
      expect(await statesEntered(realClient, executionArn)).toStrictEqual(['AwaitDecision']);
    } finally {
      realClient.destroy();
      await real.close();
    }
  });
});
