/**
 * The composition root (functions/adapters/root.ts): the real adapters find DynamoDB through the SDK's own
 * AWS_ENDPOINT_URL_DYNAMODB, each port is built once and only when read, and the SES, Step Functions and S3
 * SDKs are loaded only when a port that needs them is first read. Vitest runs each file in its own process
 * (pool: forks), so nothing else has loaded those SDKs here.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsPorts, once, pick, ports, portsView, usePorts, type Ports } from '#functions/adapters/root.ts';
import { memoryPorts } from '#functions/adapters/memory/index.ts';
import { parseEnv } from '#functions/shared/env.ts';
import { registerTable } from '#lib/app-manifest.ts';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '#local/dynamodb.ts';
import { toCreateTableInput } from '#local/manifest.ts';
import { application } from '../support/application-builder.ts';

const require = createRequire(import.meta.url);
const loaded = (pkg: string): boolean => require.resolve(pkg) in require.cache;
const ENV = parseEnv({
  REGISTER_TABLE_NAME: 'Register-root',
  MAIL_FROM: 's117@example.test',
  APP_BASE_URL: 'https://s117.example.test',
  EXPORTS_BUCKET: 'exports',
});
const clock = { now: () => '2025-01-01T00:00:00.000Z', today: () => '2025-01-01' };

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynamoDb();
  await ensureTables(dynamo.client, [toCreateTableInput({ ...registerTable, name: 'Register-root' })]);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
  vi.stubEnv('AWS_REGION', 'eu-west-2');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  usePorts(undefined);
  await dynamo.close();
});

describe('awsPorts', () => {
  it('writes and reads the named table at the configured endpoint, through one port built once', async () => {
    const p = awsPorts(ENV);
    expect(p.applications).toBe(p.applications);
    expect(await p.applications.create(application())).toBe('created');
    expect(await p.applications.get('app_1')).toStrictEqual(application());
    expect(await p.chronology.list('p_nobody')).toStrictEqual([]);
  });

  it('loads the SES, Step Functions and S3 SDKs only when a port that needs them is first read', () => {
    const p = awsPorts(ENV);
    void p.applications;
    void p.panels;
    void p.register;
    void p.disputes;
    expect([loaded('@aws-sdk/client-sesv2'), loaded('@aws-sdk/client-sfn'), loaded('@aws-sdk/client-s3')]).toStrictEqual([
      false,
      false,
      false,
    ]);
    expect(p.mailer).toBe(p.mailer);
    expect([loaded('@aws-sdk/client-sesv2'), loaded('@aws-sdk/client-sfn'), loaded('@aws-sdk/client-s3')]).toStrictEqual([
      true,
      false,
      false,
    ]);
    expect(p.workflow).toBe(p.workflow);
    expect(loaded('@aws-sdk/client-sfn')).toBe(true);
    expect(p.objects).toBe(p.objects);
    expect(loaded('@aws-sdk/client-s3')).toBe(true);
  });
});

describe('ports, usePorts, views', () => {
  it('ports() is what usePorts installed, and is built again from the environment once forgotten', () => {
    const installed = memoryPorts(clock);
    usePorts(installed);
    expect(ports() === installed).toBe(true);
    usePorts(undefined);
    vi.stubEnv('REGISTER_TABLE_NAME', 'Register-root');
    vi.stubEnv('MAIL_FROM', 's117@example.test');
    vi.stubEnv('APP_BASE_URL', 'https://s117.example.test');
    const built = ports();
    // Identity compared by hand: a failing toBe would print the ports, reading (building) every one.
    expect(built === installed).toBe(false);
    expect(ports() === built).toBe(true);
    expect(built.applications).toBe(built.applications);
  });

  it('a view builds only the ports it is read for, and reads them through on each use', () => {
    const reads: string[] = [];
    const source = memoryPorts(clock);
    const counting = new Proxy(source, {
      get: (target, name, receiver) => {
        reads.push(String(name));
        return Reflect.get(target, name, receiver) as unknown;
      },
    }) as Ports;
    const view = pick(counting, 'applications', 'mailer');
    expect(reads).toStrictEqual([]);
    expect(view.applications).toBe(source.applications);
    expect(reads).toStrictEqual(['applications']);
    expect(Object.keys(view)).toStrictEqual(['applications', 'mailer']);
  });

  it('portsView keeps settings getters lazy: a missing setting throws only when read', () => {
    usePorts(memoryPorts(clock));
    let read = 0;
    const view = portsView(['clock'], {
      get secret(): string {
        read += 1;
        throw new Error('not configured');
      },
    });
    expect(read).toBe(0);
    expect(view.clock).toBe(clock);
    expect(() => view.secret).toThrow('not configured');
  });

  it('once builds its value on the first call only', () => {
    let made = 0;
    const get = once(() => ({ n: ++made }));
    expect(get()).toBe(get());
    expect(made).toBe(1);
  });
});
