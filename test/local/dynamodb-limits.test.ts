/** The local DynamoDB (dynalite) refuses an item over 400 KB as DynamoDB does (issue 15 item 2). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '#local/dynamodb.ts';

let db: LocalDynamoDb;

beforeAll(async () => {
  db = await startDynamoDb();
  await ensureTables(db.client, [
    {
      TableName: 'sized',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
  ]);
});

afterAll(async () => {
  await db.close();
});

// An item's size is its attribute names plus values in UTF-8: 'pk' + 'a' + 'v' + the string.
const put = (valueBytes: number) =>
  db.client.send(new PutItemCommand({ TableName: 'sized', Item: { pk: { S: 'a' }, v: { S: 'x'.repeat(valueBytes) } } }));

describe('item size quota', () => {
  it('stores an item of exactly 400 KB', async () => {
    await expect(put(400 * 1024 - 4)).resolves.toBeDefined();
  });

  it('refuses an item one byte over with ValidationException', async () => {
    await expect(put(400 * 1024 - 3)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Item size has exceeded the maximum allowed size',
    });
  });
});
