/** The outbox of hand-offs (`OUTBOX#HANDOFF` / `<applicationId>#<purpose>`): ids and dates only, no personal data. */
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Instant } from '#domain/applications/application.ts';
import type { HandOff, HandOffOutbox } from '#domain/ports.ts';
import { keys } from '../keys.ts';

export class DynamoHandOffOutbox implements HandOffOutbox {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async put(handOff: HandOff): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          ...keys.handOff(handOff.applicationId, handOff.purpose),
          applicationId: handOff.applicationId,
          purpose: handOff.purpose,
          at: handOff.at,
        },
      }),
    );
  }

  async list(limit: number): Promise<HandOff[]> {
    const result = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.handOffs },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => ({
      applicationId: String(item['applicationId']),
      purpose: String(item['purpose']),
      at: String(item['at']) as Instant,
    }));
  }

  async remove(ref: { applicationId: string; purpose: string }): Promise<void> {
    await this.#db.send(new DeleteCommand({ TableName: this.#table, Key: keys.handOff(ref.applicationId, ref.purpose) }));
  }
}
