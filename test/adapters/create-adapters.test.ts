/** The composition root finds DynamoDB through the SDK's own AWS_ENDPOINT_URL_DYNAMODB, nothing local-specific. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAdapters } from '#functions/adapters/index.ts';
import { registerTable } from '#lib/app-manifest.ts';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '#local/dynamodb.ts';
import { toCreateTableInput } from '#local/manifest.ts';
import { application } from '../support/application-builder.ts';

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynamoDb();
  await ensureTables(dynamo.client, [toCreateTableInput({ ...registerTable, name: 'Register-root' })]);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await dynamo.close();
});

describe('createAdapters', () => {
  it('builds adapters that write and read the named table at the configured endpoint', async () => {
    const adapters = createAdapters({ tableName: 'Register-root', mailFrom: 'no-reply@s117.example', region: 'eu-west-2' });
    expect(await adapters.applications.create(application())).toBe('created');
    expect(await adapters.applications.get('app_1')).toStrictEqual(application());
    expect(await adapters.clients.dynamodb.config.region()).toBe('eu-west-2');
    adapters.clients.dynamodb.destroy();
  });
});
