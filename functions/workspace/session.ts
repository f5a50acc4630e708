/**
 * Workspace sessions (issue 16, item 1): kept on the server, referenced by an opaque random id in a cookie. The
 * register holds them under `SESSION#<sha256(id)>` (the id itself is never stored, so a table read cannot be
 * replayed as a cookie) with `expiresAt` in epoch seconds, the table's TTL attribute; reads also check the
 * expiry, since TTL deletion is lazy. A sign-in in progress (state, nonce, PKCE verifier) is kept the same way
 * under `SIGNIN#<sha256(state)>` for ten minutes and taken exactly once (a conditional delete).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../shared/auth.ts';

/** Eight hours, a working day; after it the person signs in again. */
export const SESSION_TTL_SECONDS = 8 * 3600;
/** How long a started sign-in may take at the provider. */
export const SIGN_IN_TTL_SECONDS = 600;

export interface Session {
  userId: string;
  org: string;
  role: Role;
  name?: string;
  /** The synchroniser token every state-changing form of this session carries. */
  csrf: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  /** A path under /app to return to. */
  returnTo: string;
  expiresAt: number;
}

/** The port the workspace needs; DynamoDB in AWS and locally, memory in unit tests. */
export interface SessionStore {
  create(id: string, session: Session): Promise<void>;
  get(id: string, nowSeconds: number): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  putSignIn(state: string, pending: PendingSignIn): Promise<void>;
  /** Returns and removes the pending sign-in; undefined if unknown, taken already or expired. */
  takeSignIn(state: string, nowSeconds: number): Promise<PendingSignIn | undefined>;
}

/** 32 random bytes, base64url: session ids, CSRF tokens, OAuth state. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** Constant-time comparison of two tokens. */
export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(digest(a));
  const right = Buffer.from(digest(b));
  return timingSafeEqual(left, right);
}

export class DynamoSessionStore implements SessionStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  constructor(documents: DynamoDBDocumentClient, table: string) {
    this.#documents = documents;
    this.#table = table;
  }

  async create(id: string, session: Session): Promise<void> {
    await this.#documents.send(
      new PutCommand({
        TableName: this.#table,
        Item: { pk: `SESSION#${digest(id)}`, sk: 'SESSION', ...session },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string, nowSeconds: number): Promise<Session | undefined> {
    const out = await this.#documents.send(new GetCommand({ TableName: this.#table, Key: { pk: `SESSION#${digest(id)}`, sk: 'SESSION' } }));
    const item = out.Item;
    if (item === undefined || typeof item['expiresAt'] !== 'number' || item['expiresAt'] <= nowSeconds) return undefined;
    const session: Session = {
      userId: String(item['userId']),
      org: String(item['org']),
      role: item['role'] as Role,
      csrf: String(item['csrf']),
      expiresAt: item['expiresAt'],
    };
    if (typeof item['name'] === 'string') session.name = item['name'];
    return session;
  }

  async delete(id: string): Promise<void> {
    await this.#documents.send(new DeleteCommand({ TableName: this.#table, Key: { pk: `SESSION#${digest(id)}`, sk: 'SESSION' } }));
  }

  async putSignIn(state: string, pending: PendingSignIn): Promise<void> {
    await this.#documents.send(
      new PutCommand({
        TableName: this.#table,
        Item: { pk: `SIGNIN#${digest(state)}`, sk: 'SIGNIN', ...pending },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async takeSignIn(state: string, nowSeconds: number): Promise<PendingSignIn | undefined> {
    const out = await this.#documents.send(
      new DeleteCommand({ TableName: this.#table, Key: { pk: `SIGNIN#${digest(state)}`, sk: 'SIGNIN' }, ReturnValues: 'ALL_OLD' }),
    );
    const item = out.Attributes;
    if (item === undefined || typeof item['expiresAt'] !== 'number' || item['expiresAt'] <= nowSeconds) return undefined;
    return {
      codeVerifier: String(item['codeVerifier']),
      nonce: String(item['nonce']),
      returnTo: String(item['returnTo']),
      expiresAt: item['expiresAt'],
    };
  }
}

/** The same contract in memory (unit tests). */
export class MemorySessionStore implements SessionStore {
  readonly sessions = new Map<string, Session>();
  readonly signIns = new Map<string, PendingSignIn>();
  async create(id: string, session: Session): Promise<void> {
    const key = digest(id);
    if (this.sessions.has(key)) throw new Error('session id collision');
    this.sessions.set(key, { ...session });
  }
  async get(id: string, nowSeconds: number): Promise<Session | undefined> {
    const session = this.sessions.get(digest(id));
    return session !== undefined && session.expiresAt > nowSeconds ? { ...session } : undefined;
  }
  async delete(id: string): Promise<void> {
    this.sessions.delete(digest(id));
  }
  async putSignIn(state: string, pending: PendingSignIn): Promise<void> {
    this.signIns.set(digest(state), { ...pending });
  }
  async takeSignIn(state: string, nowSeconds: number): Promise<PendingSignIn | undefined> {
    const key = digest(state);
    const pending = this.signIns.get(key);
    this.signIns.delete(key);
    return pending !== undefined && pending.expiresAt > nowSeconds ? pending : undefined;
  }
}
