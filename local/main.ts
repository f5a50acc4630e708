/**
 * `npm start`: the whole s117 system on 127.0.0.1 with stand-ins that speak the AWS wire APIs.
 * Ports: PORT (API, 3000), SFN_PORT (8083), DYNAMODB_PORT (8000), SES_PORT (8005), S3_PORT (8006), OIDC_PORT (8007), SECRETS_PORT (8008); data in DATA_DIR (.data).
 * SIMULATED_CLOCK=true runs Step Functions timers on a clock moved by the S117Local.AdvanceClock call.
 * At start it seeds the register from SEED_FILE (default local/seed/demo-partnership.json); the API's JWT
 * authorizer uses the key in S117_LOCAL_AUTH_KEY_FILE (default <DATA_DIR>/local-auth-key.json).
 */
import './polyfills.ts';
import { resolve } from 'node:path';
import type { RuntimeHandles } from './runtime.ts';

const { startRuntime, REPO_ROOT } = await import('./runtime.ts');
const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
const { registerTable } = await import('#lib/app-manifest.ts');
const { defaultAuthKeyFile } = await import('./auth.ts');
const { defaultSeedFile, loadSeedFile } = await import('./seed-schema.ts');
const { sampleTokenCommand, seedDirectory } = await import('./seed.ts');
const { PRIVATE_UMASK } = await import('./private-fs.ts');

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${name} must be a port number, not '${raw}'`);
  return value;
}

function table(runtime: RuntimeHandles, startedMs: number, seeded: string[]): string {
  const rows: [string, string, string][] = [
    ['API (API Gateway HTTP API)', runtime.api.url, 'PORT'],
    ['Step Functions', runtime.sfn.url, 'AWS_ENDPOINT_URL_SFN'],
    ['DynamoDB (dynalite)', runtime.dynamodb.url, 'AWS_ENDPOINT_URL_DYNAMODB'],
    ['SES v1/v2', runtime.ses.url, 'AWS_ENDPOINT_URL_SESV2'],
    ['SES inbox page', `${runtime.ses.url}/`, ''],
    ['SES sent mail (JSON)', `${runtime.ses.url}/store`, ''],
    ['S3 (exports bucket)', runtime.s3.url, 'AWS_ENDPOINT_URL_S3'],
    ['Secrets Manager (GetSecretValue)', runtime.secretsManager.url, 'AWS_ENDPOINT_URL_SECRETS_MANAGER'],
    ['OpenID Connect (sign-in stand-in)', runtime.oidc.issuer, 'OIDC_PORT'],
    ['Workspace', `${runtime.api.url}/app`, ''],
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `s117 local runtime ready in ${startedMs} ms (data: ${runtime.dataDir ?? 'in memory'}, clock: ${runtime.clock.mode})`,
    '',
    line(['Service', 'URL', 'Variable']),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `State machines: ${
      runtime.engine
        .machines()
        .map((m) => m.name)
        .join(', ') || '(none)'
    }`,
    `Executions re-driven after restart: ${runtime.redriven}`,
    ...(runtime.redriveFailed.length === 0
      ? []
      : [`Executions that could not be re-driven, recorded as FAILED (S117.RedriveFailed): ${runtime.redriveFailed.join(', ')}`]),
    ...seeded,
    'Ctrl-C stops everything.',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  // Everything this process creates (dynalite's LevelDB files included) is for its owner only.
  process.umask(PRIVATE_UMASK);
  const handles: { runtime?: RuntimeHandles } = {};
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local runtime`);
    (handles.runtime?.stop() ?? Promise.resolve()).then(
      () => {
        console.log('s117 local runtime stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('could not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const seedFile = defaultSeedFile();
  const seed = await loadSeedFile(seedFile);
  const runtime = await startRuntime({
    dataDir: resolve(REPO_ROOT, process.env['DATA_DIR'] ?? '.data'),
    authKeyFile: defaultAuthKeyFile(),
    ports: {
      api: port('PORT', 3000),
      sfn: port('SFN_PORT', 8083),
      dynamodb: port('DYNAMODB_PORT', 8000),
      ses: port('SES_PORT', 8005),
      s3: port('S3_PORT', 8006),
      oidc: port('OIDC_PORT', 8007),
      secretsManager: port('SECRETS_PORT', 8008),
    },
    users: seed.users,
    clock: process.env['SIMULATED_CLOCK'] === 'true' ? 'virtual' : 'real',
    log: (line) => console.log(`[local] ${line}`),
    holdTraffic: true,
  });
  handles.runtime = runtime;
  if (stopping) {
    await runtime.stop();
    return;
  }
  const seeded = await seedDirectory(
    DynamoDBDocumentClient.from(runtime.dynamodb.client),
    runtime.resolve(`table:${registerTable.name}`),
    seed,
  );
  runtime.open();
  const lines = [
    `Seeded from ${seedFile}: ${seeded.partnerships} partnerships, ${seeded.organisations} organisations, ${seeded.users} users`,
    `Workspace sign-in: npx s117 sign-in-url --org ${seed.users[0]?.org ?? 'CODE'} --role ${seed.users[0]?.role ?? 'ROLE'}   (a one-time link)`,
    `API tokens (JWT authorizer key ${runtime.auth.keyFile ?? 'in memory'}): ${sampleTokenCommand(seed)}   (organisations: npx s117 orgs)`,
  ];
  console.log(table(runtime, Date.now() - started, lines));
}

main().catch((error: unknown) => {
  console.error('The local runtime could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
