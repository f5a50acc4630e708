/**
 * A real OpenID Connect provider on its own port (the `oidc-provider` package), standing in for the Cognito
 * user pool's hosted sign-in: discovery, authorization code with PKCE (required), a token endpoint and ID tokens
 * that carry `custom:org`, `custom:role` and `name` of the seeded users, as Cognito's do.
 *
 * Who signs in: a one-time link from `npx s117 sign-in-url` carries a ticket (local/oidc-tickets.ts) as the
 * `login_hint`, and the stand-in signs that user in; without one, its sign-in page lists the seeded users
 * (this is a stand-in: no passwords). Consent is implied for the workspace, a first-party client.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { LocalAuthKey } from './auth.ts';
import { readSignInTicket } from './oidc-tickets.ts';

export const WORKSPACE_CLIENT_ID = 's117-workspace';

export interface OidcUser {
  id: string;
  name: string;
  email?: string;
  org: string;
  role: string;
}

export interface OidcOptions {
  /** 0 picks a free port. */
  port?: number;
  users: readonly OidcUser[];
  /** The workspace's public base URL (its callback is `<base>/app/callback`). */
  workspaceBaseUrl: string;
  /** The local auth key: it signs the one-time sign-in tickets. */
  ticketKey: LocalAuthKey;
}

export interface OidcHandles {
  port: number;
  issuer: string;
  clientId: string;
  close(): Promise<void>;
}

const esc = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function html(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
  res.end(
    `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcProvider(options: OidcOptions): Promise<OidcHandles> {
  const users = new Map(options.users.map((u) => [u.id, u]));
  const usedTickets = new Map<string, number>();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const base = options.workspaceBaseUrl.replace(/\/+$/, '');

  // Its own signing key, made at start and kept in memory: ID tokens live an hour, and the workspace keeps its session.
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const configuration: Configuration = {
    jwks: { keys: [{ ...signing, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }] },
    clients: [
      {
        client_id: WORKSPACE_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${base}/app/callback`],
        post_logout_redirect_uris: [`${base}/app/signed-out`],
      },
    ],
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name', 'email', 'custom:org', 'custom:role'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const user = users.get(id);
      if (user === undefined) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          name: user.name,
          ...(user.email === undefined ? {} : { email: user.email }),
          'custom:org': user.org,
          'custom:role': user.role,
        }),
      };
    },
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (accountId === undefined || clientId === undefined) return undefined;
      const existing = ctx.oidc.session?.grantIdFor(clientId);
      if (existing !== undefined) {
        const found = await ctx.oidc.provider.Grant.find(existing);
        if (found !== undefined) return found;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    ttl: { Session: 8 * 3600, Interaction: 600, AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600, Grant: 8 * 3600 },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return html(res, 400, 'This sign-in has expired', '<p>Start again from the workspace.</p>');
    if (details.prompt.name !== 'login') {
      // Consent is implied by loadExistingGrant; anything else is finished with what the session has.
      return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    }
    const hint = typeof details.params['login_hint'] === 'string' ? details.params['login_hint'] : undefined;
    const now = Date.now();
    for (const [id, expiresAt] of usedTickets) if (expiresAt * 1000 <= now) usedTickets.delete(id);
    if (req.method === 'GET' && hint !== undefined) {
      const ticket = readSignInTicket(options.ticketKey, hint, now);
      if (ticket === undefined || usedTickets.has(ticket.ticketId) || !users.has(ticket.userId)) {
        return html(
          res,
          400,
          'This sign-in link cannot be used',
          '<p>It has been used already, has expired or names no seeded user. Print a new one with <code>npx s117 sign-in-url</code>.</p>',
        );
      }
      usedTickets.set(ticket.ticketId, ticket.expiresAt);
      return provider.interactionFinished(req, res, { login: { accountId: ticket.userId } }, { mergeWithLastSubmission: false });
    }
    if (req.method === 'POST' && action === 'login') {
      const form = await readForm(req);
      const userId = form.get('user') ?? '';
      if (!users.has(userId)) return html(res, 400, 'Choose a user', '<p>That user is not one of the seeded users.</p>');
      return provider.interactionFinished(req, res, { login: { accountId: userId } }, { mergeWithLastSubmission: false });
    }
    const choices = [...users.values()]
      .map((u) => `<option value="${esc(u.id)}">${esc(u.name)} (${esc(u.role)}, ${esc(u.org)})</option>`)
      .join('');
    return html(
      res,
      200,
      'Sign in (local stand-in)',
      `<form method="post" action="/interaction/${esc(uid)}/login"><label for="user">Seeded user</label> <select id="user" name="user">${choices}</select> <button type="submit">Sign in</button></form>`,
    );
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/([a-z]+))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (match?.[1] === undefined) {
      void callback(req, res);
      return;
    }
    interaction(req, res, match[1], match[2]).catch(() => {
      if (!res.headersSent) html(res, 400, 'This sign-in has expired', '<p>Start again from the workspace.</p>');
      else res.end();
    });
  });

  return {
    port,
    issuer,
    clientId: WORKSPACE_CLIENT_ID,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
