/**
 * Conformance of the DynamoDB stand-in (dynalite behind local/dynamodb.ts) for time to live, through the real
 * `@aws-sdk/client-dynamodb` and, where it is on PATH, the AWS CLI: DescribeTimeToLive answers as the deployed
 * table has it (lib/app-manifest.ts: `timeToLiveAttribute`), UpdateTimeToLive enables and disables it with
 * DynamoDB's errors. Known not copied (local/README.md): ENABLING/DISABLING take no time, and expired items are
 * never deleted (the app filters them on read).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DeleteTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appManifest } from '#lib/app-manifest.ts';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '#local/dynamodb.ts';
import { toCreateTableInput } from '#local/manifest.ts';

const deployed = appManifest.tables.find((t) => t.timeToLiveAttribute !== undefined);
if (deployed?.timeToLiveAttribute === undefined) throw new Error('the app manifest has no table with TTL');
const attribute = deployed.timeToLiveAttribute;
const tableName = toCreateTableInput(deployed).TableName ?? '';
const plain: CreateTableCommandInput = {
  TableName: 'no-ttl',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

let dataDir: string;
let db: LocalDynamoDb;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's117-ddb-ttl-'));
  db = await startDynamoDb({ dataDir });
  await ensureTables(db.client, [toCreateTableInput(deployed), plain], { [tableName]: attribute });
});

afterAll(async () => {
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const refusal = async (promise: Promise<unknown>): Promise<{ name: string; message: string }> => {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected the request to be refused');
};

describe('time to live', () => {
  it('describes the deployed table’s TTL as ENABLED on its attribute, and a table without as DISABLED', async () => {
    expect((await db.client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription).toStrictEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: attribute,
    });
    expect((await db.client.send(new DescribeTimeToLiveCommand({ TableName: 'no-ttl' }))).TimeToLiveDescription).toStrictEqual({
      TimeToLiveStatus: 'DISABLED',
    });
  });

  it('ensureTables is idempotent (TTL already on is no error), and the setting survives a restart, owner-only', async () => {
    await ensureTables(db.client, [toCreateTableInput(deployed)], { [tableName]: attribute });
    await db.close();
    db = await startDynamoDb({ dataDir });
    const described = await db.client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(described.TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
    expect(statSync(join(dataDir, 'dynamodb-ttl.json')).mode & 0o777).toBe(0o600);
  });

  it('UpdateTimeToLive enables and disables, refusing what DynamoDB refuses', async () => {
    const update = (Enabled: boolean, AttributeName = 'expiresAt', TableName = 'no-ttl') =>
      db.client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled, AttributeName } }));
    expect((await update(true)).TimeToLiveSpecification).toStrictEqual({ Enabled: true, AttributeName: 'expiresAt' });
    expect(await refusal(update(true))).toStrictEqual({ name: 'ValidationException', message: 'TimeToLive is already enabled' });
    expect((await refusal(update(false, 'other'))).name).toBe('ValidationException');
    await update(false);
    expect(await refusal(update(false))).toStrictEqual({ name: 'ValidationException', message: 'TimeToLive is already disabled' });
    expect((await refusal(update(true, 'x', 'missing-table'))).name).toBe('ResourceNotFoundException');
    expect((await refusal(db.client.send(new DescribeTimeToLiveCommand({ TableName: 'missing-table' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('a table deleted and created again starts with TTL off, as a new DynamoDB table does', async () => {
    await db.client.send(
      new UpdateTimeToLiveCommand({ TableName: 'no-ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }),
    );
    await db.client.send(new DeleteTableCommand({ TableName: 'no-ttl' }));
    await new Promise((resolve) => setTimeout(resolve, 5)); // a distinct CreationDateTime
    await ensureTables(db.client, [plain]);
    expect((await db.client.send(new DescribeTimeToLiveCommand({ TableName: 'no-ttl' }))).TimeToLiveDescription?.TimeToLiveStatus).toBe(
      'DISABLED',
    );
  });

  it('leaves every other operation to dynalite', async () => {
    await db.client.send(new PutItemCommand({ TableName: 'no-ttl', Item: { pk: { S: 'a' }, n: { N: '1' } } }));
    expect((await db.client.send(new GetItemCommand({ TableName: 'no-ttl', Key: { pk: { S: 'a' } } }))).Item?.['n']).toStrictEqual({
      N: '1',
    });
  });
});

const run = promisify(execFile);
const awsCli = await run('aws', ['--version']).then(
  () => true,
  () => false,
);
if (!awsCli) console.log('Skipping the AWS CLI check: `aws` is not on PATH.');

describe.skipIf(!awsCli)('the AWS CLI against the stand-in', () => {
  it('aws dynamodb describe-time-to-live says ENABLED on the deployed attribute', async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'eu-west-2' };
    const out = await run('aws', ['--endpoint-url', db.endpoint, 'dynamodb', 'describe-time-to-live', '--table-name', tableName], { env });
    expect(JSON.parse(out.stdout)).toStrictEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: attribute } });
  }, 60_000);
});
