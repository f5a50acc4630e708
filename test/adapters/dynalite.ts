/** One dynalite per test file, a fresh Register table per test. */
import { afterAll, beforeAll } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { registerTable } from '#lib/app-manifest.ts';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '#local/dynamodb.ts';
import { toCreateTableInput } from '#local/manifest.ts';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';

export interface TestTable {
  db: DynamoDBDocumentClient;
  tableName: string;
}

export function useDynalite(): () => Promise<TestTable> {
  let dynamo: LocalDynamoDb | undefined;
  let db: DynamoDBDocumentClient | undefined;
  let tables = 0;
  beforeAll(async () => {
    dynamo = await startDynamoDb();
    db = documentClient(dynamo.client);
  });
  afterAll(async () => {
    await dynamo?.close();
  });
  return async () => {
    if (dynamo === undefined || db === undefined) throw new Error('dynalite is not running');
    const tableName = `Register-${++tables}`;
    await ensureTables(dynamo.client, [toCreateTableInput({ ...registerTable, name: tableName })]);
    return { db, tableName };
  };
}
