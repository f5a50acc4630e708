/**
 * Workspace sessions in the register (functions/workspace/session.ts says why): `SESSION#<sha256(id)>` and
 * `SIGNIN#<sha256(state)>`, `expiresAt` the table's TTL attribute; reads check the expiry too (TTL is lazy).
 */
import type { Role } from '../../shared/auth.ts';
import type { PendingSignIn, Session, SessionStore } from '#domain/workspace/ports.ts';
import { digest } from '../../workspace/session.ts';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from './sdk.ts';

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
