import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeRequest,
  generateAuthKey,
  loadOrCreateAuthKey,
  localToken,
  signJwt,
  signToken,
  stringifyClaims,
  tokenClaims,
  verifyToken,
} from '#local/auth.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { testManifest } from '../fixtures/local/manifest.ts';

let runtime: RuntimeHandles;
const calls: unknown[] = [];
const gatewayLog: string[] = [];
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 's117-auth-'));
  runtime = await startRuntime({
    manifest: testManifest,
    log: (line) => {
      if (line.startsWith('gateway ')) gatewayLog.push(line);
    },
    routes: [
      {
        method: 'GET',
        path: '/v1/whoami',
        functionName: 'whoami',
        handler: async (event) => {
          calls.push(event);
          return {
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify((event as { requestContext: unknown }).requestContext),
          };
        },
      },
      {
        method: 'GET',
        path: '/v1/public',
        functionName: 'public',
        auth: 'none',
        handler: async (event) => {
          calls.push(event);
          return {
            statusCode: 200,
            body: JSON.stringify({
              authorizer: (event as { requestContext: Record<string, unknown> }).requestContext['authorizer'] ?? null,
            }),
          };
        },
      },
    ],
  });
});

afterAll(async () => {
  await runtime.stop();
  rmSync(dir, { recursive: true, force: true });
});

const payloadOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${runtime.api.url}${path}`, { headers });
const subject = {
  sub: 'e10000034-commissioner',
  org: 'E10000034',
  role: 'commissioner',
  name: 'Asha Patel',
  email: 'asha.patel@worcestershire.example.gov.uk',
} as const;

describe('the JWT authorizer of the API Gateway stand-in', () => {
  it("passes a valid token's claims to the handler as strings, as API Gateway shapes them", async () => {
    const token = runtime.auth.token(subject);
    const response = await get('/v1/whoami', { Authorization: `Bearer ${token}` });
    const context = (await response.json()) as Record<string, unknown>;
    const p = payloadOf(token);

    expect(response.status).toBe(200);
    expect(context['authorizer']).toStrictEqual({
      jwt: {
        claims: {
          iss: 's117-local',
          aud: 's117-api',
          sub: 'e10000034-commissioner',
          iat: String(p['iat']),
          nbf: String(p['iat']),
          exp: String(Number(p['iat']) + 8 * 3600),
          jti: p['jti'],
          token_use: 'id',
          org: 'E10000034',
          role: 'commissioner',
          'custom:org': 'E10000034',
          'custom:role': 'commissioner',
          name: 'Asha Patel',
          email: 'asha.patel@worcestershire.example.gov.uk',
        },
        scopes: null,
      },
    });
    expect((calls.at(-1) as { headers: Record<string, string> }).headers['authorization']).toBe(`Bearer ${token}`);
  });

  it('applies the authorizer to manifest routes that do not say otherwise', async () => {
    const refused = await fetch(`${runtime.api.url}/v1/secure/A-1`);
    const allowed = await fetch(`${runtime.api.url}/v1/secure/A-1`, {
      headers: { Authorization: `bearer ${runtime.auth.token(subject)}` },
    });
    const echo = (await allowed.json()) as { event: { requestContext: { authorizer: { jwt: { claims: Record<string, string> } } } } };

    expect(refused.status).toBe(401);
    expect(allowed.status).toBe(201);
    expect(echo.event.requestContext.authorizer.jwt.claims['custom:org']).toBe('E10000034');
  });

  const other = generateAuthKey();
  const now = Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown>) => ({ ...tokenClaims(subject), ...overrides });
  const cases: [string, () => Record<string, string>, string, string][] = [
    [
      'no Authorization header',
      () => ({}),
      'The request has no Authorization header; send "Authorization: Bearer <token>"',
      'Bearer realm="s117-api"',
    ],
    [
      'a Basic header',
      () => ({ Authorization: 'Basic dXNlcjpwYXNz' }),
      'The Authorization header is not "Bearer <token>"',
      'Bearer realm="s117-api", error="invalid_request"',
    ],
    [
      'a malformed token',
      () => ({ Authorization: 'Bearer not-a-jwt' }),
      'The bearer token is not a JWT (three dot-separated parts)',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
    [
      'garbage in three parts',
      () => ({ Authorization: 'Bearer a.b.c' }),
      'The bearer token is not a well-formed JWT',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
    [
      'a token signed by another key',
      () => ({ Authorization: `Bearer ${signToken({ ...other, kid: runtime.auth.key.kid }, subject)}` }),
      'The bearer token signature is not valid',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
    [
      'a token of an unknown key id',
      () => ({ Authorization: `Bearer ${signToken(other, subject)}` }),
      'The bearer token was signed by an unknown key',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
    [
      'a token whose claims were changed',
      () => {
        const [h, , s] = runtime.auth.token(subject).split('.');
        const forged = Buffer.from(JSON.stringify(claims({ role: 'admin', 'custom:role': 'admin' }))).toString('base64url');
        return { Authorization: `Bearer ${h}.${forged}.${s}` };
      },
      'The bearer token signature is not valid',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
    [
      'an expired token',
      () => ({ Authorization: `Bearer ${signJwt(runtime.auth.key, claims({ iat: now - 7200, nbf: now - 7200, exp: now - 1 }))}` }),
      'The bearer token has expired',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
    [
      'a token without exp',
      () => ({ Authorization: `Bearer ${signJwt(runtime.auth.key, claims({ exp: undefined }))}` }),
      'The bearer token has no expiry (exp)',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
    [
      'a token not valid yet',
      () => ({ Authorization: `Bearer ${signJwt(runtime.auth.key, claims({ nbf: now + 600 }))}` }),
      'The bearer token is not valid yet (nbf)',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
    [
      'a token for another audience',
      () => ({ Authorization: `Bearer ${signJwt(runtime.auth.key, claims({ aud: 'another-api' }))}` }),
      'The bearer token is not meant for s117-api',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
    [
      'a token from another issuer',
      () => ({ Authorization: `Bearer ${signJwt(runtime.auth.key, claims({ iss: 'https://cognito-idp.eu-west-2.amazonaws.com/x' }))}` }),
      'The bearer token was not issued by s117-local',
      'Bearer realm="s117-api", error="invalid_token"',
    ],
  ];

  it.each(cases)('refuses %s with the HTTP API 401 and never calls the handler', async (_label, headers, detail, challenge) => {
    const before = calls.length;
    const sent = headers();
    const response = await get('/v1/whoami', sent);
    const text = await response.text();

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('www-authenticate')?.startsWith(challenge)).toBe(true);
    expect(JSON.parse(text)).toStrictEqual({ message: 'Unauthorized' });
    expect(gatewayLog.at(-1)).toBe(`gateway 401: ${detail}`);
    expect(calls.length).toBe(before);
    const token = sent['Authorization']?.split(' ')[1];
    if (token !== undefined && token.length > 20) expect(text).not.toContain(token);
  });

  it('lets a request through to an auth: none route without a token, and without an authorizer context', async () => {
    const response = await get('/v1/public');
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({ authorizer: null });
    expect((await get('/health')).status).toBe(200);
  });

  it('answers 404 for an unknown route before any authorizer', async () => {
    expect((await get('/v1/nowhere')).status).toBe(404);
  });
});

describe('local auth keys and tokens', () => {
  it('creates the key file once, mode 0600, and every later load (even concurrent) reads the same key', async () => {
    const file = join(dir, 'nested', 'local-auth-key.json');
    const keys = await Promise.all([1, 2, 3, 4, 5].map(() => loadOrCreateAuthKey(file)));
    const again = await loadOrCreateAuthKey(file);

    expect(new Set([...keys, again].map((k) => k.kid)).size).toBe(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = signToken(keys[0] ?? again, subject);
    expect(verifyToken(again, token)).toMatchObject({ ok: true, claims: { sub: subject.sub, org: 'E10000034' } });
  });

  it('refuses a key file that is not a key, naming the file', async () => {
    const file = join(dir, 'broken-key.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '{"alg":"none"}');
    await expect(loadOrCreateAuthKey(file)).rejects.toThrow(`The local auth key file ${file} is not a local auth key`);
  });

  it('issues, through localToken, tokens a runtime with the same data folder accepts', async () => {
    const dataDir = join(dir, 'data');
    const token = await localToken(
      { sub: 'qgh-panel', org: 'QGH', role: 'panel' },
      { keyFile: join(dataDir, 'local-auth-key.json'), ttlSeconds: 60 },
    );
    const second = await startRuntime({
      manifest: { tables: [], functions: [], stateMachines: [], routes: [] },
      dataDir,
      setProcessEnv: false,
    });
    try {
      expect(second.auth.keyFile).toBe(join(dataDir, 'local-auth-key.json'));
      expect(authorizeRequest(second.auth.key, `Bearer ${token}`)).toMatchObject({
        ok: true,
        authorizer: { jwt: { claims: { org: 'QGH', role: 'panel', sub: 'qgh-panel' } } },
      });
      const p = payloadOf(token);
      expect(Number(p['exp']) - Number(p['iat'])).toBe(60);
    } finally {
      await second.stop();
    }
  });

  it('prints claims as API Gateway does', () => {
    expect(stringifyClaims({ a: 'x', n: 12, b: true, list: ['admin', 'panel'], obj: { k: 1 }, none: null })).toStrictEqual({
      a: 'x',
      n: '12',
      b: 'true',
      list: '[admin panel]',
      obj: '{"k":1}',
    });
  });
});
