/**
 * Signing in to the workspace through the local OpenID Connect stand-in (issue 16, item 1), over HTTP as a browser
 * without JavaScript would: a one-time link from `s117 sign-in-url`, authorization code + PKCE, a server-side session
 * in the register behind an HttpOnly SameSite=Lax cookie, CSRF on sign-out, and the session gone after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInUrlCommand } from '../../bin/commands/sign-in-url.ts';
import { signInTicket } from '#local/oidc-tickets.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { loadSeedFile } from '#local/seed-schema.ts';

let runtime: RuntimeHandles;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's117-e2e-workspace-'));
  runtime = await startRuntime({ dataDir, users: (await loadSeedFile()).users });
}, 60_000);

afterAll(async () => {
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A browser without JavaScript: cookies per origin, redirects followed by hand so each hop can be checked. */
class Browser {
  readonly jar = new Map<string, Map<string, string>>();
  readonly setCookies: string[] = [];

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ url: string; status: number; text: string; headers: Headers }> {
    const target = new URL(url);
    const cookies = this.jar.get(target.origin) ?? new Map<string, string>();
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers['cookie'] = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(target, {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.form === undefined ? {} : { body: new URLSearchParams(init.form).toString() }),
    });
    for (const line of response.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      const gone = /max-age=0/i.test(line) || value === '';
      if (gone) cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(target.origin, cookies);
    return { url: target.href, status: response.status, text: await response.text(), headers: response.headers };
  }

  /** Follows redirects to the final page. */
  async go(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ url: string; status: number; text: string; hops: string[] }> {
    const hops: string[] = [];
    let reply = await this.request(url, init);
    while (reply.status >= 300 && reply.status < 400) {
      const next = new URL(reply.headers.get('location') ?? '', reply.url).href;
      hops.push(next);
      if (hops.length > 10) throw new Error('too many redirects');
      reply = await this.request(next);
    }
    return { url: reply.url, status: reply.status, text: reply.text, hops };
  }
}

const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function signInUrl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const previous = process.env['S117_LOCAL_AUTH_KEY_FILE'];
  process.env['S117_LOCAL_AUTH_KEY_FILE'] = runtime.auth.keyFile ?? '';
  try {
    const code = await signInUrlCommand.run([...args, '--base-url', runtime.api.url], {
      io: { stdin: new PassThrough(), stdout, stderr },
      engine: {
        determine: () => {
          throw new Error('unused');
        },
        explainInPlainEnglish: () => '',
      },
    });
    return { code, out, err };
  } finally {
    if (previous === undefined) delete process.env['S117_LOCAL_AUTH_KEY_FILE'];
    else process.env['S117_LOCAL_AUTH_KEY_FILE'] = previous;
  }
}

describe('workspace sign-in through the local OpenID Connect stand-in', () => {
  it('serves discovery with authorization code and PKCE S256', async () => {
    const discovery = (await (await fetch(`${runtime.oidc.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery['issuer']).toBe(runtime.oidc.issuer);
    expect(discovery['code_challenge_methods_supported']).toContain('S256');
    expect(discovery['response_types_supported']).toContain('code');
  });

  it('signs a seeded user in with a one-time link, keeps a session, and ends it on sign-out', async () => {
    const printed = await signInUrl(['--org', 'QGH', '--role', 'finance']);
    expect(printed.code).toBe(0);
    const link = printed.out.trim();
    expect(link.startsWith(`${runtime.api.url}/app/sign-in?login_hint=`)).toBe(true);

    const browser = new Browser();
    const home = await browser.go(link);
    expect(home.status).toBe(200);
    expect(home.url).toBe(`${runtime.api.url}/app`);
    expect(home.hops.some((h) => h.startsWith(runtime.oidc.issuer))).toBe(true);
    expect(home.text).toContain('Claire Whitfield');
    expect(home.text).toContain('finance, QGH');
    expect(home.text).toContain('Skip to main content');

    const sessionCookie = browser.setCookies.find((c) => c.startsWith('s117-session=') && !/max-age=0/i.test(c)) ?? '';
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(sessionCookie).not.toMatch(/Secure/); // http://127.0.0.1: a Secure cookie would never come back
    const sessionId = sessionCookie.split(';')[0]?.split('=')[1] ?? '';
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The link works once: used again (in a fresh browser) the stand-in refuses it.
    const again = await new Browser().go(link);
    expect(again.status).toBe(400);
    expect(again.text).toContain('cannot be used');

    // Sign-out needs the session's CSRF token.
    const forged = await browser.request(`${runtime.api.url}/app/sign-out`, { method: 'POST', form: { csrf: 'not-the-token' } });
    expect(forged.status).toBe(403);
    expect((await browser.go(`${runtime.api.url}/app`)).status).toBe(200);

    const out = await browser.request(`${runtime.api.url}/app/sign-out`, { method: 'POST', form: { csrf: csrfOf(home.text) } });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/app/signed-out');

    // The session is gone on the server, not only from this browser: replaying the old cookie is sent to sign in.
    const replay = await fetch(`${runtime.api.url}/app`, { headers: { cookie: `s117-session=${sessionId}` }, redirect: 'manual' });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/app/sign-in?returnTo=%2Fapp');
  });

  it("signs in with the stand-in's own page when there is no link, and returns to the page asked for", async () => {
    const browser = new Browser();
    const picker = await browser.go(`${runtime.api.url}/app`);
    expect(picker.url.startsWith(`${runtime.oidc.issuer}/interaction/`)).toBe(true);
    expect(picker.text).toContain('Priya Raman');
    const action = /action="([^"]+)"/.exec(picker.text)?.[1] ?? '';
    const home = await browser.go(new URL(action, picker.url).href, { method: 'POST', form: { user: 'qgh-commissioner' } });
    expect(home.status).toBe(200);
    expect(home.url).toBe(`${runtime.api.url}/app`);
    expect(home.text).toContain('Priya Raman');
  });

  it('refuses a callback whose state was not started in this browser', async () => {
    const victim = new Browser();
    const started = await victim.request(`${runtime.api.url}/app/sign-in`);
    const authorize = new URL(started.headers.get('location') ?? '');
    const state = authorize.searchParams.get('state') ?? '';
    const attacker = new Browser();
    const reply = await attacker.request(`${runtime.api.url}/app/callback?code=abc&state=${encodeURIComponent(state)}`);
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('started in another browser');
    expect(reply.headers.getSetCookie().some((c) => c.startsWith('s117-session='))).toBe(false);
  });

  it('refuses a forged or expired ticket', async () => {
    const expired = signInTicket(runtime.auth.key, 'qgh-finance', { now: Date.now() - 3_600_000 });
    const reply = await new Browser().go(`${runtime.api.url}/app/sign-in?login_hint=${encodeURIComponent(expired)}`);
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('cannot be used');
    const unknown = await signInUrl(['--org', 'QGH', '--role', 'admin']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('has no user');
  });
});
