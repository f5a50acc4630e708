/**
 * Local bearer tokens: what Cognito and the HTTP API JWT authorizer do in AWS, on one machine.
 *
 * A local RS256 key pair is created on first use in `<DATA_DIR>/local-auth-key.json` (mode 0600), or wherever
 * `S117_LOCAL_AUTH_KEY_FILE` says; `npm start` verifies with it and `npx s117 token` signs with it, whichever runs
 * first creates it. Tokens carry the claims a Cognito ID token of the s117 user pool would: `sub` (user id),
 * `org`, `role`, optional `name` and `email`, the `custom:org`/`custom:role` aliases, issuer `s117-local`,
 * audience `s117-api`. Only node:crypto; tokens and keys are never logged.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOCAL_ISSUER = 's117-local';
export const LOCAL_AUDIENCE = 's117-api';
export const AUTH_KEY_FILE_NAME = 'local-auth-key.json';
/** Eight hours, a working day: the default lifetime of `npx s117 token`. */
export const DEFAULT_TOKEN_TTL_SECONDS = 8 * 3600;

export const ROLES = ['commissioner', 'panel', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A loaded signing key. `privateKey` is absent for a verify-only key. */
export interface LocalAuthKey {
  kid: string;
  alg: 'RS256';
  publicKey: KeyObject;
  privateKey?: KeyObject;
  /** Where it was read from; undefined for an in-memory key. */
  file?: string;
}

/** Who a token speaks for. */
export interface TokenSubject {
  /** The user id (`sub`). */
  sub: string;
  /** The organisation code (ODS code), e.g. `E10000034`. */
  org: string;
  role: Role;
  name?: string;
  email?: string;
}

/** The payload of a local token. Numbers are seconds since the epoch. */
export interface LocalClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  token_use: 'id';
  org: string;
  role: string;
  'custom:org': string;
  'custom:role': string;
  name?: string;
  email?: string;
}

/** What the HTTP API JWT authorizer puts at `event.requestContext.authorizer`: every claim as a string. */
export interface JwtAuthorizerContext {
  jwt: { claims: Record<string, string>; scopes: string[] | null };
}

export type VerifyResult =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; error: 'missing' | 'malformed' | 'signature' | 'expired' | 'not-yet-valid' | 'issuer' | 'audience'; message: string };

// ---------------------------------------------------------------------------------------------- key files

/** `S117_LOCAL_AUTH_KEY_FILE`, else `<DATA_DIR or .data>/local-auth-key.json`; relative paths from the repository root. */
export function defaultAuthKeyFile(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const named = env['S117_LOCAL_AUTH_KEY_FILE'];
  if (named !== undefined && named !== '') return resolve(REPO_ROOT, named);
  return join(resolve(REPO_ROOT, env['DATA_DIR'] ?? '.data'), AUTH_KEY_FILE_NAME);
}

interface KeyFile {
  kid: string;
  alg: 'RS256';
  privateKey: string;
  publicKey: string;
  createdAt: string;
}

/** A fresh in-memory key (tests, and runtimes without a data folder). */
export function generateAuthKey(): LocalAuthKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(8).toString('hex'), alg: 'RS256', privateKey, publicKey };
}

function fromFile(text: string, file: string): LocalAuthKey {
  let parsed: Partial<KeyFile>;
  try {
    parsed = JSON.parse(text) as Partial<KeyFile>;
  } catch {
    throw new Error(`The local auth key file ${file} is not JSON; delete it to have a new key created`);
  }
  if (
    parsed.alg !== 'RS256' ||
    typeof parsed.kid !== 'string' ||
    typeof parsed.privateKey !== 'string' ||
    typeof parsed.publicKey !== 'string'
  ) {
    throw new Error(
      `The local auth key file ${file} is not a local auth key (kid, alg RS256, privateKey, publicKey); delete it to have a new key created`,
    );
  }
  try {
    return {
      kid: parsed.kid,
      alg: 'RS256',
      privateKey: createPrivateKey(parsed.privateKey),
      publicKey: createPublicKey(parsed.publicKey),
      file,
    };
  } catch {
    throw new Error(`The local auth key file ${file} holds keys that cannot be read; delete it to have a new key created`);
  }
}

/**
 * Reads the key file, or creates it (mode 0600) if absent. Safe when `npm start` and `npx s117 token` race:
 * the key is written to a temporary file and linked into place, so a reader never sees half a file and the
 * first writer wins.
 */
export async function loadOrCreateAuthKey(file: string = defaultAuthKeyFile()): Promise<LocalAuthKey> {
  try {
    return fromFile(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = generateAuthKey();
  const content: KeyFile = {
    kid: key.kid,
    alg: 'RS256',
    privateKey: key.privateKey?.export({ type: 'pkcs8', format: 'pem' }).toString() ?? '',
    publicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    createdAt: new Date().toISOString(),
  };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600);
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fromFile(await readFile(file, 'utf8'), file);
  } finally {
    await rm(temporary, { force: true });
  }
  return { ...key, file };
}

// ---------------------------------------------------------------------------------------------- JWT

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/** Signs any payload as an RS256 JWT with the key (tests use it to forge bad tokens). */
export function signJwt(key: LocalAuthKey, payload: Readonly<Record<string, unknown>>): string {
  if (key.privateKey === undefined) throw new Error('This local auth key can only verify');
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid }));
  const body = b64url(JSON.stringify(payload));
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), key.privateKey);
  return `${header}.${body}.${b64url(signature)}`;
}

export interface SignOptions {
  /** Lifetime in seconds (default 8 hours). */
  ttlSeconds?: number;
  /** Issue time in milliseconds (default now). */
  now?: number;
}

/** The claims of a token for SUBJECT, as `signToken` signs them. */
export function tokenClaims(subject: TokenSubject, options: SignOptions = {}): LocalClaims {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const ttl = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1) throw new Error('The token lifetime must be a whole number of seconds, at least 1');
  return {
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    sub: subject.sub,
    iat,
    nbf: iat,
    exp: iat + ttl,
    jti: randomUUID(),
    token_use: 'id',
    org: subject.org,
    role: subject.role,
    'custom:org': subject.org,
    'custom:role': subject.role,
    ...(subject.name === undefined ? {} : { name: subject.name }),
    ...(subject.email === undefined ? {} : { email: subject.email }),
  };
}

/** A signed local token for SUBJECT. */
export function signToken(key: LocalAuthKey, subject: TokenSubject, options: SignOptions = {}): string {
  return signJwt(key, { ...tokenClaims(subject, options) });
}

/**
 * A token for a runtime that is running elsewhere (`npm start`, or a runtime with a data folder): reads, or
 * creates, the same key file it uses (`defaultAuthKeyFile()` unless `keyFile` is given).
 */
export async function localToken(subject: TokenSubject, options: SignOptions & { keyFile?: string } = {}): Promise<string> {
  return signToken(await loadOrCreateAuthKey(options.keyFile ?? defaultAuthKeyFile()), subject, options);
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isNumericDate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Verifies a token as the HTTP API JWT authorizer does: RS256 signature by this key (and its `kid`, if the
 * header names one), `exp` present and in the future, `nbf` and `iat` (if present) not in the future, `iss`
 * equal to `s117-local` and `aud` containing `s117-api`.
 */
export function verifyToken(key: LocalAuthKey, token: string, options: { now?: number } = {}): VerifyResult {
  const malformed = (message: string): VerifyResult => ({ ok: false, error: 'malformed', message });
  const parts = token.split('.');
  if (parts.length !== 3) return malformed('The bearer token is not a JWT (three dot-separated parts)');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = decodeSegment(headerPart);
  const claims = decodeSegment(payloadPart);
  if (header === undefined || claims === undefined || !/^[A-Za-z0-9_-]+$/.test(signaturePart))
    return malformed('The bearer token is not a well-formed JWT');
  if (header['alg'] !== 'RS256') return { ok: false, error: 'signature', message: 'The bearer token is not signed with RS256' };
  if (header['kid'] !== undefined && header['kid'] !== key.kid)
    return { ok: false, error: 'signature', message: 'The bearer token was signed by an unknown key' };
  const signed = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), key.publicKey, Buffer.from(signaturePart, 'base64url'));
  if (!signed) return { ok: false, error: 'signature', message: 'The bearer token signature is not valid' };
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (!isNumericDate(claims['exp'])) return malformed('The bearer token has no expiry (exp)');
  if (claims['exp'] <= now) return { ok: false, error: 'expired', message: 'The bearer token has expired' };
  if (claims['nbf'] !== undefined && (!isNumericDate(claims['nbf']) || claims['nbf'] > now))
    return { ok: false, error: 'not-yet-valid', message: 'The bearer token is not valid yet (nbf)' };
  if (claims['iat'] !== undefined && (!isNumericDate(claims['iat']) || claims['iat'] > now))
    return { ok: false, error: 'not-yet-valid', message: 'The bearer token was issued in the future (iat)' };
  if (claims['iss'] !== LOCAL_ISSUER) return { ok: false, error: 'issuer', message: `The bearer token was not issued by ${LOCAL_ISSUER}` };
  const aud = claims['aud'];
  if (!(aud === LOCAL_AUDIENCE || (Array.isArray(aud) && aud.includes(LOCAL_AUDIENCE)))) {
    return { ok: false, error: 'audience', message: `The bearer token is not meant for ${LOCAL_AUDIENCE}` };
  }
  return { ok: true, claims };
}

/** API Gateway passes every claim as a string: numbers and booleans printed, arrays as `[a b]`, objects as JSON. */
export function stringifyClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value))
      out[name] = `[${value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(' ')}]`;
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}

export type AuthorizeResult = { ok: true; authorizer: JwtAuthorizerContext } | { ok: false; message: string; wwwAuthenticate: string };

/** The JWT authorizer on one request's `Authorization` header. */
export function authorizeRequest(key: LocalAuthKey, authorization: string | undefined, options: { now?: number } = {}): AuthorizeResult {
  const challenge = `Bearer realm="${LOCAL_AUDIENCE}"`;
  if (authorization === undefined || authorization.trim() === '') {
    return {
      ok: false,
      message: 'The request has no Authorization header; send "Authorization: Bearer <token>"',
      wwwAuthenticate: challenge,
    };
  }
  const bearer = /^Bearer +([^ ]+) *$/i.exec(authorization.trim());
  if (bearer?.[1] === undefined) {
    return {
      ok: false,
      message: 'The Authorization header is not "Bearer <token>"',
      wwwAuthenticate: `${challenge}, error="invalid_request"`,
    };
  }
  const verified = verifyToken(key, bearer[1], options);
  if (!verified.ok) {
    return {
      ok: false,
      message: verified.message,
      wwwAuthenticate: `${challenge}, error="invalid_token", error_description="${verified.message}"`,
    };
  }
  return { ok: true, authorizer: { jwt: { claims: stringifyClaims(verified.claims), scopes: null } } };
}
