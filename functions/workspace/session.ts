/**
 * Workspace sessions (issue 16, item 1): kept on the server, referenced by an opaque random id in a cookie. The
 * register holds them under `SESSION#<sha256(id)>` (the id itself is never stored, so a table read cannot be
 * replayed as a cookie) with `expiresAt` in epoch seconds, the table's TTL attribute; reads also check the
 * expiry, since TTL deletion is lazy. A sign-in in progress (state, nonce, PKCE verifier) is kept the same way
 * under `SIGNIN#<sha256(state)>` for ten minutes and taken exactly once (a conditional delete).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Eight hours, a working day; after it the person signs in again. */
export const SESSION_TTL_SECONDS = 8 * 3600;
/** How long a started sign-in may take at the provider. */
export const SIGN_IN_TTL_SECONDS = 600;

/** 32 random bytes, base64url: session ids, CSRF tokens, OAuth state. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** What the store keys a session or sign-in by: the secret's SHA-256 (base64url), never the secret. */
export const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** Constant-time comparison of two tokens. */
export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(digest(a));
  const right = Buffer.from(digest(b));
  return timingSafeEqual(left, right);
}
