/** Which notifications went out (`APP#<id>`/`MAIL#<purpose>#<recipient>`), written after a send succeeds. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Instant } from '#domain/applications/application.ts';
import { keys } from '../keys.ts';
import type { MailLog } from '#domain/ports.ts';

export class DynamoMailLog implements MailLog {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async wasSent(applicationId: string, purpose: string, recipient: string): Promise<boolean> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.mail(applicationId, purpose, recipient), ConsistentRead: true }),
    );
    return result.Item !== undefined;
  }

  async markSent(applicationId: string, purpose: string, recipient: string, at: Instant): Promise<void> {
    await this.#db.send(new PutCommand({ TableName: this.#table, Item: { ...keys.mail(applicationId, purpose, recipient), at } }));
  }
}
