/** Task tokens (`APP#<id>`/`TOKEN#<purpose>`): kept server-side, never logged or returned to a caller. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Instant } from '#domain/applications/application.ts';
import type { TaskTokenStore } from '#domain/ports.ts';
import { keys } from '../keys.ts';

type Ref = { applicationId: string; purpose: string };

export class DynamoTaskTokenStore implements TaskTokenStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async put(ref: Ref, token: string, at: Instant): Promise<void> {
    await this.#db.send(new PutCommand({ TableName: this.#table, Item: { ...keys.token(ref.applicationId, ref.purpose), token, at } }));
  }

  async get(ref: Ref): Promise<string | null> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.token(ref.applicationId, ref.purpose), ConsistentRead: true }),
    );
    return (result.Item?.['token'] as string | undefined) ?? null;
  }

  async remove(ref: Ref): Promise<void> {
    await this.#db.send(new DeleteCommand({ TableName: this.#table, Key: keys.token(ref.applicationId, ref.purpose) }));
  }
}
