import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StopExecutionCommand,
  DescribeExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { createMachine, finished, history, sfnClient, start, statesEntered, tokenInbox } from './support.ts';

const inbox = tokenInbox();
const recorded: unknown[] = [];
let server: SfnServer;
let client: SFNClient;
let callbackArn: string;

beforeAll(async () => {
  server = await startSfnServer();
  server.functions.register('request-response', inbox.handler);
  server.functions.register('record', async (event) => {
    recorded.push(event);
    return { recordedAt: 'now' };
  });
  client = sfnClient(server.url);
  callbackArn = await createMachine(client, 'callback', 'callback.asl.json', {
    RequestResponseArn: 'arn:aws:lambda:eu-west-2:000000000000:function:request-response',
    RecordArn: 'record',
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

const send = {
  success: (taskToken: string, output: unknown) => client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
  failure: (taskToken: string, error: string, cause: string) => client.send(new SendTaskFailureCommand({ taskToken, error, cause })),
};

describe('callback tasks (.waitForTaskToken)', () => {
  it('resumes on SendTaskSuccess with the output as the task result', async () => {
    const tokenPromise = inbox.next();
    const executionArn = await start(client, callbackArn, { applicationId: 'A-1' });
    const token = await tokenPromise;
    expect(inbox.events.at(-1)).toStrictEqual({ taskToken: token, applicationId: 'A-1' });

    await send.success(token, { decision: 'accept' });
    const done = await finished(client, executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toStrictEqual({
      applicationId: 'A-1',
      response: { decision: 'accept' },
      record: { recorded: { recordedAt: 'now' } },
    });
    expect(recorded.at(-1)).toStrictEqual({ applicationId: 'A-1', response: { decision: 'accept' } });
    expect(await statesEntered(client, executionArn)).toStrictEqual(['AwaitResponse', 'RecordResponse']);
    expect((await history(client, executionArn)).map((e) => e.type)).toStrictEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('lets Retry and then Catch see the error name sent with SendTaskFailure', async () => {
    const first = inbox.next();
    const executionArn = await start(client, callbackArn, { applicationId: 'A-2' });
    const firstToken = await first;
    const second = inbox.next();
    await send.failure(firstToken, 'BodyUnavailableError', 'the panel is not quorate');
    const secondToken = await second;
    await send.failure(secondToken, 'BodyUnavailableError', 'still not quorate');
    const done = await finished(client, executionArn);

    expect(secondToken).not.toBe(firstToken);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toStrictEqual({
      applicationId: 'A-2',
      failure: { Error: 'BodyUnavailableError', Cause: 'still not quorate' },
    });
    expect(await statesEntered(client, executionArn)).toStrictEqual(['AwaitResponse', 'RecordFailure']);
    const types = (await history(client, executionArn)).map((e) => e.type);
    expect(types.filter((t) => t === 'TaskFailed')).toHaveLength(2);
    expect(types.filter((t) => t === 'TaskScheduled')).toHaveLength(2);
  });

  it('refuses a token that was already used with TaskTimedOut, and an unknown one with InvalidToken', async () => {
    const tokenPromise = inbox.next();
    const executionArn = await start(client, callbackArn, { applicationId: 'A-3' });
    const token = await tokenPromise;
    await send.success(token, { decision: 'dispute' });
    await finished(client, executionArn);

    await expect(send.success(token, { decision: 'accept' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(send.success('not-a-token-we-issued', {})).rejects.toMatchObject({
      name: 'InvalidToken',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(send.failure('not-a-token-we-issued', 'X', 'y')).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('refuses output that is not JSON with InvalidOutput and keeps waiting', async () => {
    const tokenPromise = inbox.next();
    const executionArn = await start(client, callbackArn, { applicationId: 'A-4' });
    const token = await tokenPromise;
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{oops' }))).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
    await send.success(token, { decision: 'accept' });
    expect((await finished(client, executionArn)).status).toBe('SUCCEEDED');
  });

  it('stops an execution waiting on a token: ABORTED, and the token is then refused', async () => {
    const tokenPromise = inbox.next();
    const executionArn = await start(client, callbackArn, { applicationId: 'A-5' });
    const token = await tokenPromise;
    await client.send(new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause: 'application withdrawn' }));
    const stopped = await client.send(new DescribeExecutionCommand({ executionArn }));

    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Withdrawn', cause: 'application withdrawn' });
    expect((await history(client, executionArn)).at(-1)?.type).toBe('ExecutionAborted');
    await expect(send.success(token, {})).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('issues a distinct token to each Map iteration and collects their results in order', async () => {
    const mapArn = await createMachine(client, 'map-callbacks', 'map-callbacks.asl.json');
    const before = inbox.events.length;
    const executionArn = await start(client, mapArn, { bodies: ['ICB-A', 'LA-B', 'LA-C'] });
    const tokens = await Promise.all([0, 1, 2].map((i) => inbox.next(before + i)));
    const byBody = new Map(inbox.events.slice(before).map((e) => [e['body'], e['taskToken']]));

    expect(new Set(tokens).size).toBe(3);
    for (const body of ['LA-C', 'ICB-A', 'LA-B']) await send.success(String(byBody.get(body)), { body, decision: 'accept' });
    const done = await finished(client, executionArn);

    expect(JSON.parse(done.output ?? '')).toStrictEqual([
      { body: 'ICB-A', decision: 'accept' },
      { body: 'LA-B', decision: 'accept' },
      { body: 'LA-C', decision: 'accept' },
    ]);
    expect(await statesEntered(client, executionArn)).toStrictEqual([
      'AskEachBody',
      'AwaitBodyResponse',
      'AwaitBodyResponse',
      'AwaitBodyResponse',
    ]);
  });
});
