/** The Step Functions adapter against the project's local Step Functions server (local/sfn-server.ts). */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfnWorkflow } from '#functions/adapters/sfn/workflow.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { createMachine, finished, sfnClient, tokenInbox } from '../local/support.ts';

const inbox = tokenInbox();
let server: SfnServer;
let client: SFNClient;
let machineArn: string;
let workflow: SfnWorkflow;

beforeAll(async () => {
  server = await startSfnServer();
  server.functions.register('request-response', inbox.handler);
  server.functions.register('record', async () => ({ recordedAt: 'now' }));
  client = sfnClient(server.url);
  machineArn = await createMachine(client, 'adapter-callback', 'callback.asl.json', {
    RequestResponseArn: 'arn:aws:lambda:eu-west-2:000000000000:function:request-response',
    RecordArn: 'record',
  });
  workflow = new SfnWorkflow(client);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describe('SfnWorkflow on the local Step Functions server', () => {
  it('starts once per name, resumes a waiting task once, then reports the token gone', async () => {
    const executionArn = 'arn:aws:states:eu-west-2:000000000000:execution:adapter-callback:app_1';
    const tokenPromise = inbox.next();
    expect(await workflow.start(machineArn, 'app_1', { applicationId: 'app_1' })).toStrictEqual({ executionArn });
    expect(await workflow.start(machineArn, 'app_1', { applicationId: 'app_1' })).toStrictEqual({ executionArn });
    expect(await workflow.start(machineArn, 'app_1', { applicationId: 'other' })).toStrictEqual({ executionArn });
    const token = await tokenPromise;

    expect(await workflow.succeed(token, { decision: 'accept' })).toBe('resumed');
    expect(await workflow.succeed(token, { decision: 'accept' })).toBe('gone');
    expect((await finished(client, executionArn)).status).toBe('SUCCEEDED');
    expect(inbox.events).toHaveLength(1);
  });

  it('reports a token the server never issued as gone', async () => {
    expect(await workflow.succeed('never-issued-token', {})).toBe('gone');
  });
});
