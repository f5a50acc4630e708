/** The composition root finds DynamoDB through the SDK's own AWS_ENDPOINT_URL_DYNAMODB, nothing local-specific. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapters } from '../../functions/adapters/index.ts';
import { registerTable } from '../../lib/app-manifest.ts';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '../../local/dynamodb.ts';
import { toCreateTableInput } from '../../local/manifest.ts';
import { application } from '../support/application-builder.ts';

const VARIABLES = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynamoDb();
  await ensureTables(dynamo.client, [toCreateTableInput({ ...registerTable, name: 'Register-root' })]);
  process.env['AWS_ENDPOINT_URL_DYNAMODB'] = dynamo.endpoint;
  process.env['AWS_ACCESS_KEY_ID'] = 'local';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'local';
});

afterAll(async () => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
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
