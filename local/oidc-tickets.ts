/**
 * One-time sign-in links for the local OpenID Connect stand-in (`npx s117 sign-in-url`): a ticket is an RS256
 * JWT signed with the local auth key (local/auth.ts, the file `npm start` uses) for audience `s117-sign-in`,
 * so it is never accepted as an API token, and the stand-in accepts each ticket id once and before it expires.
 */
import { randomUUID, verify } from 'node:crypto';
import { LOCAL_ISSUER, signJwt, type LocalAuthKey } from './auth.ts';

export const SIGN_IN_AUDIENCE = 's117-sign-in';
/** Five minutes: long enough to paste the link into a browser. */
export const SIGN_IN_TICKET_TTL_SECONDS = 300;

export function signInTicket(key: LocalAuthKey, userId: string, options: { now?: number; ttlSeconds?: number } = {}): string {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return signJwt(key, {
    iss: LOCAL_ISSUER,
    aud: SIGN_IN_AUDIENCE,
    sub: userId,
    iat,
    exp: iat + (options.ttlSeconds ?? SIGN_IN_TICKET_TTL_SECONDS),
    jti: randomUUID(),
  });
}

/** The ticket's user and id if it is signed by KEY for sign-in and unexpired; undefined otherwise. */
export function readSignInTicket(
  key: LocalAuthKey,
  ticket: string,
  nowMs: number = Date.now(),
): { userId: string; ticketId: string; expiresAt: number } | undefined {
  const [header, payload, signature, ...rest] = ticket.split('.');
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) return undefined;
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), key.publicKey, Buffer.from(signature, 'base64url'))) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { iss, aud, sub, exp, jti } = claims as Record<string, unknown>;
  if (iss !== LOCAL_ISSUER || aud !== SIGN_IN_AUDIENCE || typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number')
    return undefined;
  if (exp <= Math.floor(nowMs / 1000)) return undefined;
  return { userId: sub, ticketId: jti, expiresAt: exp };
}
