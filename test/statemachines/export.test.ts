/** Path tests of statemachines/export.asl.json on the local Step Functions server, every step faked. */
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import validator from 'asl-validator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportTasks } from '#lib/manifest/exports.ts';
import { loadDefinition } from '#local/definitions.ts';
import { functionArn } from '#local/sfn/lambda.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { finished, sfnClient, start, statesEntered } from '../local/support.ts';

const FILE = fileURLToPath(new URL('../../statemachines/export.asl.json', import.meta.url));
const substitutions = Object.fromEntries(Object.entries(exportTasks).map(([k, v]) => [k, functionArn(v)]));

type Fake = (event: Record<string, unknown>) => Promise<unknown>;
const calls: { fn: string; event: Record<string, unknown> }[] = [];
let fakes: Partial<Record<string, Fake>> = {};
let server: SfnServer;
let client: SFNClient;
let machineArn: string;

const ok =
  (value: unknown): Fake =>
  async () =>
    value;
const fail =
  (name: string): Fake =>
  async () => {
    throw Object.assign(new Error('failed in test'), { name });
  };
const BATCH = 'EXP-2024-06-0123456789abcdef';
const prepared =
  (state: 'new' | 'stored', partitions: number): Fake =>
  async (e) => ({
    exportId: e['exportId'],
    partnershipId: e['partnershipId'],
    period: e['period'],
    state,
    batchId: BATCH,
    n: 1,
    cases: partitions * 250,
    partitions: Array.from({ length: state === 'new' ? partitions : 0 }, (_, index) => ({ exportId: e['exportId'], index })),
  });

beforeAll(async () => {
  server = await startSfnServer();
  for (const name of Object.values(exportTasks)) {
    server.functions.register(name, async (event) => {
      calls.push({ fn: name, event: event as Record<string, unknown> });
      const fake = fakes[name];
      if (!fake) throw new Error(`no fake for ${name}`);
      return fake(event as Record<string, unknown>);
    });
  }
  client = sfnClient(server.url);
  const created = await client.send(
    new CreateStateMachineCommand({
      name: 'export',
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
  fakes = {
    'prepare-export': prepared('new', 3),
    'write-export-part': async (e) => ({ index: e['index'], rows: 10, adjustments: 1 }),
    'complete-export': ok({ state: 'new', batchId: BATCH, n: 1, rows: 30, adjustments: 3 }),
    'mark-export': async (e) => ({ exportId: e['exportId'], status: e['status'], marked: true }),
    'export-link': async (e) => ({
      batchId: e['batchId'],
      format: e['format'],
      url: 'http://127.0.0.1:1/exports/x?X-Amz-Signature=s',
      expiresAt: '2024-07-01T00:15:00.000Z',
    }),
  };
});

async function run(exportId: string): Promise<{ arn: string; output: Record<string, unknown> | null; status: string }> {
  const arn = await start(client, machineArn, {
    exportId,
    partnershipId: 'surrey-heartlands',
    period: '2024-06',
    format: 'csv',
    linkExpirySeconds: 900,
  });
  const done = await finished(client, arn);
  return {
    arn,
    status: done.status ?? '',
    output: done.output === undefined ? null : (JSON.parse(done.output) as Record<string, unknown>),
  };
}
/** What the workflow told mark-export about the job. */
const job = (exportId: string): Record<string, unknown> | undefined =>
  calls.find((c) => c.fn === 'mark-export' && c.event['exportId'] === exportId)?.event;

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
      'PrepareExport',
      'IsStored',
      'WriteParts',
      'WriteExportPart',
      'WriteExportPart',
      'WriteExportPart',
      'CompleteExport',
      'MarkSucceeded',
      'CreateDownloadLink',
      'Done',
    ]);
    expect(
      calls
        .filter((c) => c.fn === 'write-export-part')
        .map((c) => c.event)
        .sort((a, b) => Number(a['index']) - Number(b['index'])),
    ).toStrictEqual([0, 1, 2].map((index) => ({ exportId: 'exp-2024-06-aaaaaaaaaaaaaaaa', index })));
    expect(calls.find((c) => c.fn === 'complete-export')?.event).toStrictEqual({ exportId: 'exp-2024-06-aaaaaaaaaaaaaaaa' });
    expect(calls.find((c) => c.fn === 'export-link')?.event).toStrictEqual({ batchId: BATCH, format: 'csv', expiresInSeconds: 900 });
    expect(r.output).toStrictEqual({
      exportId: 'exp-2024-06-aaaaaaaaaaaaaaaa',
      batchId: BATCH,
      state: 'new',
      format: 'csv',
      download: {
        batchId: BATCH,
        format: 'csv',
        url: 'http://127.0.0.1:1/exports/x?X-Amz-Signature=s',
        expiresAt: '2024-07-01T00:15:00.000Z',
      },
    });
    expect(job('exp-2024-06-aaaaaaaaaaaaaaaa')).toStrictEqual({
      exportId: 'exp-2024-06-aaaaaaaaaaaaaaaa',
      status: 'succeeded',
      batchId: BATCH,
    });
  });

  it('an unchanged period: the stored batch, no parts written', async () => {
    fakes['prepare-export'] = prepared('stored', 2);
    const r = await run('exp-2024-06-bbbbbbbbbbbbbbbb');
    expect(await statesEntered(client, r.arn)).toStrictEqual(['PrepareExport', 'IsStored', 'MarkSucceeded', 'CreateDownloadLink', 'Done']);
    expect(calls.map((c) => c.fn)).toStrictEqual(['prepare-export', 'mark-export', 'export-link']);
    expect(job('exp-2024-06-bbbbbbbbbbbbbbbb')).toStrictEqual({
      exportId: 'exp-2024-06-bbbbbbbbbbbbbbbb',
      status: 'succeeded',
      batchId: BATCH,
    });
  });

  it('a period whose amounts did not change: completion names the latest batch, which the job and the link get', async () => {
    fakes['complete-export'] = ok({ state: 'unchanged', batchId: 'EXP-2024-06-fedcba9876543210', n: 1, rows: 0, adjustments: 0 });
    const r = await run('exp-2024-06-9999999999999999');
    expect(job('exp-2024-06-9999999999999999')).toStrictEqual({
      exportId: 'exp-2024-06-9999999999999999',
      status: 'succeeded',
      batchId: 'EXP-2024-06-fedcba9876543210',
    });
    expect(calls.find((c) => c.fn === 'export-link')?.event).toStrictEqual({
      batchId: 'EXP-2024-06-fedcba9876543210',
      format: 'csv',
      expiresInSeconds: 900,
    });
    expect(r.output).toMatchObject({ batchId: 'EXP-2024-06-fedcba9876543210', state: 'unchanged' });
  });

  it('a part that fails: the job is marked failed with the error, and the execution fails', async () => {
    fakes['write-export-part'] = fail('RangeError');
    const r = await run('exp-2024-06-cccccccccccccccc');
    expect(r.status).toBe('FAILED');
    const entered = await statesEntered(client, r.arn);
    expect(entered.slice(0, 3)).toStrictEqual(['PrepareExport', 'IsStored', 'WriteParts']);
    expect(entered.slice(-2)).toStrictEqual(['MarkFailed', 'ExportFailed']);
    expect(entered).not.toContain('CompleteExport');
    expect(job('exp-2024-06-cccccccccccccccc')).toStrictEqual({
      exportId: 'exp-2024-06-cccccccccccccccc',
      status: 'failed',
      error: 'RangeError',
    });
    expect((await client.send(new DescribeExecutionCommand({ executionArn: r.arn }))).error).toBe('ExportFailed');
  });

  it('a conflict at completion (another export recorded the number first) fails the job', async () => {
    fakes['complete-export'] = fail('ExportConflictError');
    const r = await run('exp-2024-06-dddddddddddddddd');
    expect(r.status).toBe('FAILED');
    expect(job('exp-2024-06-dddddddddddddddd')).toStrictEqual({
      exportId: 'exp-2024-06-dddddddddddddddd',
      status: 'failed',
      error: 'ExportConflictError',
    });
  });

  it('a job that cannot be marked still gives the link', async () => {
    fakes['mark-export'] = fail('ConditionalCheckFailedException');
    const r = await run('exp-2024-06-ffffffffffffffff');
    expect(r.status).toBe('SUCCEEDED');
    expect((await statesEntered(client, r.arn)).slice(-3)).toStrictEqual(['MarkSucceeded', 'CreateDownloadLink', 'Done']);
  });

  it('a link that cannot be made still leaves the export done', async () => {
    fakes['export-link'] = fail('BatchNotRecorded');
    const r = await run('exp-2024-06-eeeeeeeeeeeeeeee');
    expect(r.status).toBe('SUCCEEDED');
    expect((await statesEntered(client, r.arn)).slice(-2)).toStrictEqual(['CreateDownloadLink', 'DoneWithoutLink']);
    expect(r.output).toStrictEqual({ exportId: 'exp-2024-06-eeeeeeeeeeeeeeee', batchId: BATCH, state: 'new', format: 'csv' });
  });
});
