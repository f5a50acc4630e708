import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { orgsCommand } from '../../bin/commands/orgs.ts';
import { parseTtl, tokenCommand } from '../../bin/commands/token.ts';
import { authorizeRequest, loadOrCreateAuthKey, verifyToken } from '#local/auth.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { engineThatMustNotRun, runCommand, runS117 } from './helpers.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DEMO_ORGS = [
  { code: 'QGH', kind: 'icb', name: 'NHS Herefordshire and Worcestershire Integrated Care Board' },
  { code: 'QOX', kind: 'icb', name: 'NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board' },
  { code: 'QXU', kind: 'icb', name: 'NHS Surrey Heartlands Integrated Care Board' },
  { code: 'E10000034', kind: 'la', name: 'Worcestershire County Council' },
  { code: 'E06000030', kind: 'la', name: 'Swindon Borough Council' },
  { code: 'E06000054', kind: 'la', name: 'Wiltshire Council' },
  { code: 'E10000030', kind: 'la', name: 'Surrey County Council' },
  { code: 'NHSE', kind: 'nhs-england', name: 'NHS England' },
];

let dir: string;
let dataDir: string;
const saved: Record<string, string | undefined> = {};
const ENV = ['DATA_DIR', 'SEED_FILE', 'S117_LOCAL_AUTH_KEY_FILE'] as const;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's117-token-'));
  dataDir = join(dir, 'data');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  for (const name of ENV) saved[name] = process.env[name];
  process.env['DATA_DIR'] = dataDir;
  delete process.env['SEED_FILE'];
  delete process.env['S117_LOCAL_AUTH_KEY_FILE'];
});
afterEach(() => {
  for (const name of ENV) {
    const value = saved[name];
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
});

const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('s117 orgs', () => {
  it('prints the organisations of the demo seed file as JSON', async () => {
    const run = await runS117(['orgs'], engineThatMustNotRun);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toStrictEqual(DEMO_ORGS);
  });

  it('reads SEED_FILE, and refuses a broken one with exit 2 naming the path', async () => {
    const file = join(dir, 'seed.json');
    const seed = {
      partnerships: [
        { id: 'p', name: 'P', members: ['QGH', 'E10000034'], ruleConfig: { name: 'default', mha2025S46CommencementDate: null } },
      ],
      organisations: [
        { code: 'QGH', kind: 'icb', name: 'H&W ICB', email: 's117@qgh.example.nhs.uk' },
        { code: 'E10000034', kind: 'la', name: 'Worcestershire', email: 's117@worcestershire.example.gov.uk' },
      ],
      users: [],
    };
    writeFileSync(file, JSON.stringify(seed));
    process.env['SEED_FILE'] = file;
    expect(JSON.parse((await runCommand(orgsCommand, [], engineThatMustNotRun)).stdout)).toStrictEqual([
      { code: 'QGH', kind: 'icb', name: 'H&W ICB' },
      { code: 'E10000034', kind: 'la', name: 'Worcestershire' },
    ]);

    writeFileSync(
      file,
      JSON.stringify({ ...seed, users: [{ id: 'u', name: 'U', email: 'u@x.example.gov.uk', org: 'QXU', role: 'panel' }] }),
    );
    expect(await runCommand(orgsCommand, [], engineThatMustNotRun)).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: `s117 orgs: The seed file ${file} is not valid:\n  users[0].org: QXU is not one of the organisations\n`,
    });
  });
});

describe('s117 token', () => {
  it('prints one token and a newline, signed with <DATA_DIR>/local-auth-key.json (created 0600 if absent)', async () => {
    const run = await runCommand(tokenCommand, ['--org', 'E10000034', '--role', 'commissioner'], engineThatMustNotRun);
    const keyFile = join(dataDir, 'local-auth-key.json');

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const verified = verifyToken(await loadOrCreateAuthKey(keyFile), run.stdout.trim());
    expect(verified.ok).toBe(true);
    const claims = claimsOf(run.stdout);
    expect(claims).toMatchObject({
      iss: 's117-local',
      aud: 's117-api',
      sub: 'e10000034-commissioner',
      org: 'E10000034',
      role: 'commissioner',
      'custom:org': 'E10000034',
      'custom:role': 'commissioner',
      name: 'Asha Patel',
      email: 'asha.patel@worcestershire.example.gov.uk',
    });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(8 * 3600);
  });

  it('takes --user, --name and --ttl, and S117_LOCAL_AUTH_KEY_FILE', async () => {
    const keyFile = join(dir, 'named-key.json');
    process.env['S117_LOCAL_AUTH_KEY_FILE'] = keyFile;
    const run = await runCommand(
      tokenCommand,
      ['--org', 'QGH', '--role', 'panel', '--user', 'dr-jones', '--name', 'Dr Jones', '--ttl', '30m'],
      engineThatMustNotRun,
    );
    const claims = claimsOf(run.stdout);

    expect(run.code).toBe(0);
    expect(verifyToken(await loadOrCreateAuthKey(keyFile), run.stdout.trim()).ok).toBe(true);
    expect(claims).toMatchObject({ sub: 'dr-jones', org: 'QGH', role: 'panel', name: 'Dr Jones' });
    expect(claims['email']).toBeUndefined();
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(1800);
  });

  it.each([
    [['--org', 'XYZ', '--role', 'commissioner'], 's117 token: unknown organisation "XYZ"; the organisations in'],
    [['--org', 'QGH', '--role', 'boss'], 's117 token: unknown role "boss"; the roles are commissioner, panel, finance, admin\n'],
    [['--role', 'panel'], 's117 token: --org CODE is required'],
    [['--org', 'QGH'], 's117 token: --role is required'],
    [['--org', 'QGH', '--role', 'panel', '--ttl', '90d'], 's117 token: --ttl "90d" is not a lifetime'],
    [
      ['--org', 'QGH', '--role', 'panel', '--user', 'e10000034-commissioner'],
      's117 token: user e10000034-commissioner is commissioner at E10000034 in the seed file, not panel at QGH.\n',
    ],
    [['--org', 'QGH', '--role', 'panel', '--colour', 'red'], "s117 token: Unknown option '--colour'"],
  ])('refuses %j with exit 2 and nothing on stdout', async (argv, message) => {
    const run = await runCommand(tokenCommand, argv, engineThatMustNotRun);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith(message)).toBe(true);
  });

  it('reads durations', () => {
    expect([parseTtl('45s'), parseTtl('30m'), parseTtl('8h'), parseTtl('2d'), parseTtl('600'), parseTtl('30d')]).toStrictEqual([
      45, 1800, 28_800, 172_800, 600, 2_592_000,
    ]);
    expect([parseTtl('0'), parseTtl('31d'), parseTtl('1w'), parseTtl('-5m'), parseTtl('')]).toStrictEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('npx s117 token against a runtime', () => {
  let runtime: RuntimeHandles;
  const calls: unknown[] = [];

  beforeAll(async () => {
    runtime = await startRuntime({
      manifest: { tables: [], functions: [], stateMachines: [], routes: [] },
      dataDir: join(mkdtempSync(join(tmpdir(), 's117-token-runtime-')), 'data'),
      setProcessEnv: false,
      routes: [
        {
          method: 'GET',
          path: '/v1/me',
          handler: async (event) => {
            calls.push(event);
            return {
              statusCode: 200,
              body: JSON.stringify((event as { requestContext: { authorizer: unknown } }).requestContext.authorizer),
            };
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await runtime.stop();
    if (runtime.dataDir !== undefined) rmSync(join(runtime.dataDir, '..'), { recursive: true, force: true });
  });

  it('spawns `npx s117 token`, whose token the runtime with the same DATA_DIR accepts', async () => {
    const { stdout } = await promisify(execFile)('npx', ['--no-install', 's117', 'token', '--org', 'E06000030', '--role', 'finance'], {
      cwd: REPO,
      env: { ...process.env, DATA_DIR: runtime.dataDir ?? '' },
    });
    const token = stdout.trim();
    expect(stdout).toBe(`${token}\n`);
    expect(readFileSync(join(runtime.dataDir ?? '', 'local-auth-key.json'), 'utf8')).toContain('"alg": "RS256"');

    const response = await fetch(`${runtime.api.url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    const authorizer = (await response.json()) as { jwt: { claims: Record<string, string>; scopes: null } };
    expect(response.status).toBe(200);
    expect(authorizer.jwt.claims).toMatchObject({
      sub: 'e06000030-finance',
      org: 'E06000030',
      role: 'finance',
      'custom:org': 'E06000030',
      name: 'Lewis Hammond',
    });
    expect(authorizer.jwt.scopes).toBeNull();
    expect(authorizeRequest(runtime.auth.key, `Bearer ${token}`).ok).toBe(true);
    expect(calls).toHaveLength(1);
  });
});
