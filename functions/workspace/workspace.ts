/**
 * The workspace's sign-in, session and pages (issue 16), as one function of a plain request: the handler
 * (workspace.handler.ts) adapts API Gateway events to it, and tests call it directly.
 *
 * - GET /app/sign-in starts authorization code + PKCE: a random state, nonce and verifier, kept server-side for
 *   ten minutes; the state is also set in a short cookie, so a callback started in another browser is refused.
 * - GET /app/callback takes the pending sign-in once, exchanges the code, and opens a session: a random id in an
 *   HttpOnly, SameSite=Lax cookie (Secure, and `__Host-` named, whenever the workspace is served over https).
 * - POST /app/sign-out (CSRF token required) deletes the session and clears the cookie.
 * - Pages answer 303 to sign-in without a session and a 403 page to a role that may not use them.
 */
import type { ApiDeps } from '../api/deps.ts';
import type { DisputeDeps } from '../disputes/deps.ts';
import type { ExportApiDeps } from '../exports/deps.ts';
import type { RegisterDeps } from '../register/deps.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import { PAGES } from './all-pages.ts';
import { escapeHtml, page } from './html.ts';
import { loadStylesheet, nhsukFiles, STYLESHEET_PATH, type Stylesheet } from './nhsuk.ts';
import { matchPath, type WorkspacePage } from './pages.ts';
import { pkceChallenge, pkceVerifier, SignInRejected, type IdentityProvider } from './oidc.ts';
import type { Session, SessionStore } from '#domain/workspace/ports.ts';
import { randomToken, sameToken, SESSION_TTL_SECONDS, SIGN_IN_TTL_SECONDS } from './session.ts';

export interface WorkspaceRequest {
  method: string;
  /** The path, e.g. `/app/callback`. */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  /** Request cookies by name. */
  cookies: Readonly<Record<string, string>>;
  /** The url-encoded form of a POST; null otherwise. */
  form: URLSearchParams | null;
  /** Request headers, lower-case names (only those a page reads: `if-none-match`). */
  headers?: Readonly<Record<string, string>>;
}

export interface WorkspaceResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: string;
  /** A download: `body` is base64. */
  isBase64Encoded?: boolean;
}

export interface WorkspaceDeps {
  sessions: SessionStore;
  identity: IdentityProvider;
  /** The public origin the workspace is served from, e.g. `https://s117.example.org` (no trailing slash). */
  baseUrl: string;
  /** Epoch seconds. */
  now: () => number;
  /** The API's ports: the pages call the API's own use cases (functions/api/*.use-case.ts). */
  api: ApiDeps;
  /** The export API's ports (functions/exports/export-api.ts). */
  exports: ExportApiDeps;
  /** The register's ports (functions/register/*.use-case.ts). */
  register: RegisterDeps;
  /** The disputes' ports (functions/disputes/api.ts). */
  disputes: DisputeDeps;
}

/** Security headers of every page: no scripts, forms post only here, never framed, no referrer. */
export const WORKSPACE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

export interface CookieNames {
  session: string;
  signIn: string;
  secure: boolean;
}

export function cookieNames(baseUrl: string): CookieNames {
  const secure = new URL(baseUrl).protocol === 'https:';
  return secure
    ? { session: '__Host-s117-session', signIn: '__Host-s117-sign-in', secure }
    : { session: 's117-session', signIn: 's117-sign-in', secure };
}

function cookie(names: CookieNames, name: string, value: string, maxAgeSeconds: number): string {
  return [`${name}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(names.secure ? ['Secure'] : [])].join(
    '; ',
  );
}

const respond = (statusCode: number, body: string, cookies: string[] = [], headers: Record<string, string> = {}): WorkspaceResponse => ({
  statusCode,
  headers: { ...WORKSPACE_HEADERS, ...headers },
  cookies,
  body,
});

const redirect = (location: string, cookies: string[] = []): WorkspaceResponse => respond(303, '', cookies, { location });

/** A path under /app to come back to after sign-in; anything else (another origin, `//host`) becomes /app. */
export function safeReturnPath(value: string | null): string {
  if (value === null || !/^\/app(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9._~\-=&%]*)?$/.test(value) || value.includes('//')) return '/app';
  return value;
}

let stylesheet: Stylesheet | undefined;

/** nhsuk-frontend's compiled stylesheet: public, cached a day, 304 for a matching ETag. */
function serveStylesheet(request: WorkspaceRequest): WorkspaceResponse {
  stylesheet ??= loadStylesheet(nhsukFiles(new URL(import.meta.url)).stylesheet);
  const headers = {
    'content-type': 'text/css; charset=utf-8',
    'cache-control': 'public, max-age=86400',
    etag: stylesheet.etag,
    'x-content-type-options': 'nosniff',
  };
  if (request.headers?.['if-none-match'] === stylesheet.etag) return { statusCode: 304, headers, cookies: [], body: '' };
  return { statusCode: 200, headers, cookies: [], body: request.method === 'HEAD' ? '' : stylesheet.text };
}

export async function handleWorkspace(
  deps: WorkspaceDeps,
  request: WorkspaceRequest,
  pages: readonly WorkspacePage[] = PAGES,
): Promise<WorkspaceResponse> {
  const names = cookieNames(deps.baseUrl);
  const method = request.method.toUpperCase();
  if (request.path === STYLESHEET_PATH && (method === 'GET' || method === 'HEAD')) return serveStylesheet(request);
  const query = new URLSearchParams(request.query);
  const sessionId = request.cookies[names.session];
  const session = sessionId === undefined || sessionId === '' ? undefined : await deps.sessions.get(sessionId, deps.now());

  if (request.path === '/app/sign-in' && (method === 'GET' || method === 'HEAD')) {
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = pkceVerifier();
    const returnTo = safeReturnPath(query.get('returnTo'));
    await deps.sessions.putSignIn(state, { codeVerifier, nonce, returnTo, expiresAt: deps.now() + SIGN_IN_TTL_SECONDS });
    const hint = query.get('login_hint');
    const url = await deps.identity.authorizationUrl({
      state,
      nonce,
      codeChallenge: await pkceChallenge(codeVerifier),
      ...(hint === null || hint === '' ? {} : { loginHint: hint }),
    });
    return redirect(url.href, [cookie(names, names.signIn, state, SIGN_IN_TTL_SECONDS)]);
  }

  if (request.path === '/app/callback' && method === 'GET') {
    const state = query.get('state') ?? '';
    const bound = request.cookies[names.signIn] ?? '';
    const clearSignIn = cookie(names, names.signIn, '', 0);
    if (state === '' || bound === '' || !sameToken(state, bound)) {
      return respond(
        400,
        page(
          'Sign-in could not be completed',
          '<p>This sign-in was started in another browser or has expired. <a href="/app/sign-in">Sign in again</a>.</p>',
        ),
        [clearSignIn],
      );
    }
    const pending = await deps.sessions.takeSignIn(state, deps.now());
    if (pending === undefined) {
      return respond(
        400,
        page(
          'Sign-in could not be completed',
          '<p>This sign-in link has been used or has expired. <a href="/app/sign-in">Sign in again</a>.</p>',
        ),
        [clearSignIn],
      );
    }
    let user;
    try {
      user = await deps.identity.callback(new URL(`${deps.baseUrl}/app/callback?${request.query}`), {
        state,
        nonce: pending.nonce,
        codeVerifier: pending.codeVerifier,
      });
    } catch (error) {
      if (!(error instanceof SignInRejected)) throw error;
      return respond(
        400,
        page('Sign-in could not be completed', '<p>The sign-in was refused. <a href="/app/sign-in">Sign in again</a>.</p>'),
        [clearSignIn],
      );
    }
    const id = randomToken();
    const opened: Session = {
      userId: user.userId,
      org: user.org,
      role: user.role,
      csrf: randomToken(),
      expiresAt: deps.now() + SESSION_TTL_SECONDS,
    };
    if (user.name !== undefined) opened.name = user.name;
    await deps.sessions.create(id, opened);
    return redirect(pending.returnTo, [clearSignIn, cookie(names, names.session, id, SESSION_TTL_SECONDS)]);
  }

  if (request.path === '/app/sign-out') {
    if (method !== 'POST')
      return respond(405, page('Use the sign-out button', '<p>Sign out with the button at the top of the page.</p>'), [], {
        allow: 'POST',
      });
    const token = request.form?.get('csrf') ?? '';
    if (session === undefined || sessionId === undefined) return redirect('/app/signed-out', [cookie(names, names.session, '', 0)]);
    if (token === '' || !sameToken(token, session.csrf)) {
      return respond(403, page('This form has expired', '<p>Go back, reload the page and try again.</p>', session));
    }
    await deps.sessions.delete(sessionId);
    return redirect('/app/signed-out', [cookie(names, names.session, '', 0)]);
  }

  if (request.path === '/app/signed-out' && (method === 'GET' || method === 'HEAD')) {
    return respond(200, page('You have signed out', '<p><a href="/app/sign-in">Sign in again</a></p>'));
  }

  const found = findPage(pages, request.path, method);
  if (found === undefined)
    return respond(
      404,
      page('Page not found', '<p>There is no page at this address. <a href="/app">Go to your workspace</a>.</p>', session),
    );
  if (found.page === undefined) {
    return respond(405, page('Not allowed', '<p>This page cannot be changed this way.</p>', session), [], { allow: found.allow });
  }
  const target = found.page;
  if (session === undefined) {
    const back = method !== 'GET' && method !== 'HEAD' ? '/app' : request.query === '' ? request.path : `${request.path}?${request.query}`;
    return redirect(`/app/sign-in?returnTo=${encodeURIComponent(safeReturnPath(back))}`);
  }
  const roles = target.route.roles ?? [];
  if (!roles.includes(session.role)) {
    return respond(
      403,
      page(
        'You cannot use this page',
        `<p>This page is for ${escapeHtml(roles.join(' or '))} users. You are signed in as ${escapeHtml(session.role)}.</p><p><a href="/app">Go to your workspace</a></p>`,
        session,
      ),
    );
  }
  if (method === 'POST') {
    const token = request.form?.get('csrf') ?? '';
    if (token === '' || !sameToken(token, session.csrf)) {
      return respond(403, page('This form has expired', '<p>Go back, reload the page and try again.</p>', session));
    }
  }
  const caller: Caller = { userId: session.userId, org: session.org, role: session.role };
  if (session.name !== undefined) caller.name = session.name;
  let result;
  try {
    result = await target.handle({ session, caller, request, params: found.params, query, deps });
  } catch (error) {
    // The API's use cases answer "not a party" as 404 (never 403, so existence is not disclosed); a page does too.
    if (error instanceof ProblemError && error.status === 404)
      return respond(
        404,
        page('Page not found', '<p>There is no page at this address. <a href="/app">Go to your workspace</a>.</p>', session),
      );
    if (error instanceof ProblemError && error.status < 500)
      return respond(error.status, page('This could not be done', `<p>${escapeHtml(error.message)}</p>`, session));
    throw error;
  }
  if (result.kind === 'redirect') return redirect(result.location);
  if (result.kind === 'file') {
    return {
      statusCode: 200,
      headers: {
        ...WORKSPACE_HEADERS,
        'content-type': result.contentType,
        'content-disposition': `attachment; filename="${result.fileName.replace(/[^\w.-]/g, '_')}"`,
      },
      cookies: [],
      body: result.body.toString('base64'),
      isBase64Encoded: true,
    };
  }
  return respond(result.statusCode ?? 200, method === 'HEAD' ? '' : page(result.title, result.body, session, result.errors));
}

/** The page for a path and method; `page` undefined (with the methods allowed) when the path has pages but not this method. */
function findPage(
  pages: readonly WorkspacePage[],
  path: string,
  method: string,
): { page?: WorkspacePage; params: Record<string, string>; allow: string } | undefined {
  const asked = method === 'HEAD' ? 'GET' : method;
  const matching = pages.flatMap((p) => {
    const params = matchPath(p.route.path, path);
    return params === null ? [] : [{ page: p, params }];
  });
  if (matching.length === 0) return undefined;
  const allow = matching.map((m) => (m.page.route.method === 'GET' ? 'GET, HEAD' : m.page.route.method)).join(', ');
  const hit = matching.find((m) => m.page.route.method === asked);
  return hit === undefined ? { params: {}, allow } : { page: hit.page, params: hit.params, allow };
}
