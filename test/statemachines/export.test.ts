/**
 * Path tests of statemachines/export.asl.json on the local Step Functions server, the steps faked, the job
 * item on dynalite (the workflow marks it itself, through the DynamoDB integration).
 */
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import validator from 'asl-validator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/index.ts';
import { exportTasks } from '../../lib/manifest/exports.ts';
import { registerTable } from '../../lib/app-manifest.ts';
import { loadDefinition } from '../../local/definitions.ts';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '../../local/dynamodb.ts';
import { toCreateTableInput } from '../../local/manifest.ts';
import { functionArn } from '../../local/sfn/lambda.ts';
import { startSfnServer, type SfnServer } from '../../local/sfn-server.ts';
import { finished, sfnClient, start, statesEntered } from '../local/support.ts';

const FILE = fileURLToPath(new URL('../../statemachines/export.asl.json', import.meta.url));
const substitutions = { ...Object.fromEntries(Object.entries(exportTasks).map(([k, v]) => [k, functionArn(v)])), RegisterTable: 'Register' };

type Fake = (event: Record<string, unknown>) => Promise<unknown>;
const calls: { fn: string; event: Record<string, unknown> }[] = [];
let fakes: Partial<Record<string, Fake>> = {};
let db: LocalDynamoDb;
let docs: DynamoDBDocumentClient;
let server: SfnServer;
let client: SFNClient;
let machineArn: string;

const ok = (value: unknown): Fake => async () => value;
const fail = (name: string): Fake => async () => {
  throw Object.assign(new Error('failed in test'), { name });
};
const BATCH = 'EXP-2024-06-0123456789abcdef';
const prepared = (state: 'new' | 'stored', partitions: number): Fake => async (e) => ({
  exportId: e['exportId'], partnershipId: e['partnershipId'], period: e['period'], state, batchId: BATCH, n: 1, cases: partitions * 250,
  partitions: Array.from({ length: state === 'new' ? partitions : 0 }, (_, index) => ({ exportId: e['exportId'], index })),
});

beforeAll(async () => {
  db = await startDynamoDb();
  await ensureTables(db.client, [toCreateTableInput(registerTable)]);
  docs = documentClient(db.client);
  server = await startSfnServer({ dynamodb: () => db.client });
  for (const name of Object.values(exportTasks)) {
    server.functions.register(name, async (event) => {
      calls.push({ fn: name, event: event as Record<string, unknown> });
      const fake = fakes[name];
      if (!fake) throw new Error(`no fake for ${name}`);
      return fake(event as Record<string, unknown>);
    });
  }
  client = sfnClient(server.url);
  const created = await client.send(new CreateStateMachineCommand({ name: 'export', definition: loadDefinition(FILE, substitutions), roleArn: 'arn:aws:iam::000000000000:role/test' }));
  machineArn = created.stateMachineArn ?? '';
});

afterAll(async () => {
  client.destroy();
  await server.close();
  await db.close();
});

beforeEach(() => {
  calls.length = 0;
  fakes = {
    'prepare-export': prepared('new', 3),
    'write-export-part': async (e) => ({ index: e['index'], rows: 10, adjustments: 1 }),
    'complete-export': ok({ batchId: BATCH, n: 1, rows: 30, adjustments: 3 }),
    'export-link': async (e) => ({ batchId: e['batchId'], format: e['format'], url: 'http://127.0.0.1:1/exports/x?X-Amz-Signature=s', expiresAt: '2024-07-01T00:15:00.000Z' }),
  };
});

async function run(exportId: string): Promise<{ arn: string; output: Record<string, unknown> | null; status: string }> {
  await docs.send(new PutCommand({ TableName: 'Register', Item: { pk: `EXPORTJOB#${exportId}`, sk: 'JOB', exportId, status: 'running' } }));
  const arn = await start(client, machineArn, { exportId, partnershipId: 'surrey-heartlands', period: '2024-06', format: 'csv', linkExpirySeconds: 900 });
  const done = await finished(client, arn);
  return { arn, status: done.status ?? '', output: done.output === undefined ? null : (JSON.parse(done.output) as Record<string, unknown>) };
}
const job = async (exportId: string) => (await docs.send(new GetCommand({ TableName: 'Register', Key: { pk: `EXPORTJOB#${exportId}`, sk: 'JOB' } }))).Item;

describe('statemachines/export.asl.json', () => {
  it('is valid ASL', () => {
    const { isValid, errors } = validator(JSON.parse(loadDefinition(FILE, substitutions)) as object);
    expect(errors ?? []).toStrictEqual([]);
    expect(isValid).toBe(true);
  });

  it('a new batch: prepare, one part per partition, complete, mark the job, link', async () => {
    const r = await run('exp-2024-06-aaaaaaaaaaaaaaaa');
    expect(r.status).toBe('SUCCEEDED');
    expect(await statesEntered(client, r.arn)).toStrictEqual([
      'PrepareExport', 'IsStored', 'WriteParts', 'WriteExportPart', 'WriteExportPart', 'WriteExportPart', 'CompleteExport', 'MarkSucceeded', 'CreateDownloadLink', 'Done',
    ]);
    expect(calls.filter((c) => c.fn === 'write-export-part').map((c) => c.event).sort((a, b) => Number(a['index']) - Number(b['index']))).toStrictEqual([0, 1, 2].map((index) => ({ exportId: 'exp-2024-06-aaaaaaaaaaaaaaaa', index })));
    expect(calls.find((c) => c.fn === 'complete-export')?.event).toStrictEqual({ exportId: 'exp-2024-06-aaaaaaaaaaaaaaaa' });
    expect(calls.find((c) => c.fn === 'export-link')?.event).toStrictEqual({ batchId: BATCH, format: 'csv', expiresInSeconds: 900 });
    expect(r.output).toStrictEqual({
      exportId: 'exp-2024-06-aaaaaaaaaaaaaaaa', batchId: BATCH, state: 'new', format: 'csv',
      download: { batchId: BATCH, format: 'csv', url: 'http://127.0.0.1:1/exports/x?X-Amz-Signature=s', expiresAt: '2024-07-01T00:15:00.000Z' },
    });
    expect(await job('exp-2024-06-aaaaaaaaaaaaaaaa')).toMatchObject({ status: 'succeeded', batchId: BATCH });
  });

  it('an unchanged period: the stored batch, no parts written', async () => {
    fakes['prepare-export'] = prepared('stored', 2);
    const r = await run('exp-2024-06-bbbbbbbbbbbbbbbb');
    expect(await statesEntered(client, r.arn)).toStrictEqual(['PrepareExport', 'IsStored', 'MarkSucceeded', 'CreateDownloadLink', 'Done']);
    expect(calls.map((c) => c.fn)).toStrictEqual(['prepare-export', 'export-link']);
    expect(await job('exp-2024-06-bbbbbbbbbbbbbbbb')).toMatchObject({ status: 'succeeded', batchId: BATCH });
  });

  it('a part that fails: the job is marked failed with the error, and the execution fails', async () => {
    fakes['write-export-part'] = fail('RangeError');
    const r = await run('exp-2024-06-cccccccccccccccc');
    expect(r.status).toBe('FAILED');
    const entered = await statesEntered(client, r.arn);
    expect(entered.slice(0, 3)).toStrictEqual(['PrepareExport', 'IsStored', 'WriteParts']);
    expect(entered.slice(-2)).toStrictEqual(['MarkFailed', 'ExportFailed']);
    expect(entered).not.toContain('CompleteExport');
    expect(await job('exp-2024-06-cccccccccccccccc')).toMatchObject({ status: 'failed', error: 'RangeError' });
    expect((await client.send(new DescribeExecutionCommand({ executionArn: r.arn }))).error).toBe('ExportFailed');
  });

  it('a conflict at completion (another export recorded the number first) fails the job', async () => {
    fakes['complete-export'] = fail('ExportConflictError');
    const r = await run('exp-2024-06-dddddddddddddddd');
    expect(r.status).toBe('FAILED');
    expect(await job('exp-2024-06-dddddddddddddddd')).toMatchObject({ status: 'failed', error: 'ExportConflictError' });
  });

  it('a link that cannot be made still leaves the export done', async () => {
    fakes['export-link'] = fail('BatchNotRecorded');
    const r = await run('exp-2024-06-eeeeeeeeeeeeeeee');
    expect(r.status).toBe('SUCCEEDED');
    expect((await statesEntered(client, r.arn)).slice(-2)).toStrictEqual(['CreateDownloadLink', 'DoneWithoutLink']);
    expect(r.output).toStrictEqual({ exportId: 'exp-2024-06-eeeeeeeeeeeeeeee', batchId: BATCH, state: 'new', format: 'csv' });
  });
});
