/**
 * The Secrets Manager stand-in, through the real SDK client and through the functions' own path (Powertools
 * Parameters, functions/adapters/secrets): what AWS answers, it answers; what it refuses, it refuses as AWS does.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { personRefKey, resetSecrets, secretString } from '#functions/adapters/secrets/secrets.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb.ts';
import { loadOrCreateSecrets, localSecretArn, SECRETS_FILE_NAME, startSecretsManager, type LocalSecretsManager } from '#local/secrets.ts';

let dir: string;
let server: LocalSecretsManager;
let client: SecretsManagerClient;
let values: (name: string) => string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 's117-secrets-'));
  values = await loadOrCreateSecrets(join(dir, SECRETS_FILE_NAME));
  server = await startSecretsManager({ names: ['person-ref-key', 'short'], value: (n) => (n === 'short' ? 'too-short' : values(n)) });
  client = new SecretsManagerClient({ endpoint: server.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});

afterAll(async () => {
  client.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
  resetSecrets();
});

describe('the Secrets Manager stand-in', () => {
  it('answers GetSecretValue by name and by ARN with the value kept in the data folder (0600)', async () => {
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'person-ref-key' }));
    expect(byName).toMatchObject({ Name: 'person-ref-key', ARN: localSecretArn('person-ref-key'), VersionStages: ['AWSCURRENT'] });
    const file = join(dir, SECRETS_FILE_NAME);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)['person-ref-key']).toBe(byName.SecretString);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: localSecretArn('person-ref-key') }));
    expect(byArn.SecretString).toBe(byName.SecretString);
  });

  it('refuses an unknown secret, another version stage and an unsupported action with the errors AWS gives', async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'person-ref-key', VersionStage: 'AWSPREVIOUS' }))).rejects.toMatchObject(
      {
        name: 'ResourceNotFoundException',
      },
    );
    await expect(client.send(new ListSecretsCommand({}))).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });
});

describe('the functions read secrets through Powertools Parameters', () => {
  it('from the endpoint the runtime sets (AWS_ENDPOINT_URL_SECRETS_MANAGER), once per container', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', server.url);
    vi.stubEnv('AWS_REGION', LOCAL_REGION);
    vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
    const first = secretString('person-ref-key');
    expect(secretString('person-ref-key')).toBe(first);
    await expect(personRefKey('person-ref-key')).resolves.toBe(values('person-ref-key'));
  });

  it('a failed read is not kept, and a key under 32 characters is refused without its value', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', server.url);
    vi.stubEnv('AWS_REGION', LOCAL_REGION);
    vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
    const missing = secretString('nope');
    await expect(missing).rejects.toThrow();
    expect(secretString('nope')).not.toBe(missing);
    await expect(secretString('nope')).rejects.toThrow();
    await expect(personRefKey('short')).rejects.toThrow(/^The person-reference key is shorter than 32 characters$/);
  });
});
