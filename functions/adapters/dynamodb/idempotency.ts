/**
 * Idempotency records (`IDEM#<scope>#<key>`/`IDEM`): an in-progress claim expires after 24 hours (an expired one
 * counts as absent; TTL is lazy); completing removes `expiresAt`, so the request hash of a completed key is kept.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Instant } from '#domain/applications/application.ts';
import type { IdempotencyRecord, IdempotencyStore, IdempotentResult } from '#domain/ports.ts';
import { keys } from '../keys.ts';
import { idempotencyExpiry, IdempotencyRecordNotFoundError, isExpired } from '../types.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import { withOptimisticRetry } from '../../shared/optimistic-update.ts';
import { isConditionalCheckFailed } from './errors.ts';

export class DynamoIdempotencyStore implements IdempotencyStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async claim(
    scope: string,
    key: string,
    requestHash: string,
    at: Instant,
  ): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }> {
    const now = Math.floor(Date.parse(at) / 1000);
    return withOptimisticRetry(async () => {
      try {
        await this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: { ...keys.idempotency(scope, key), requestHash, status: 'in-progress', startedAt: at, expiresAt: idempotencyExpiry(at) },
            ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt <= :now',
            ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
      const result = await this.#db.send(
        new GetCommand({ TableName: this.#table, Key: keys.idempotency(scope, key), ConsistentRead: true }),
      );
      const item = result.Item;
      const expiresAt = item?.['expiresAt'];
      if (item !== undefined && (typeof expiresAt !== 'number' || !isExpired(expiresAt, at))) {
        const record: IdempotencyRecord = {
          requestHash: item['requestHash'] as string,
          status: item['status'] as IdempotencyRecord['status'],
          startedAt: item['startedAt'] as string,
          ...(item['response'] === undefined ? {} : { response: item['response'] as NonNullable<IdempotencyRecord['response']> }),
        };
        return { claimed: false, record };
      }
      // Refused, yet absent or expired when read: a record came and went meanwhile; claim again.
      throw new ConcurrentUpdateError('The idempotency record changed while it was claimed');
    });
  }

  async complete(scope: string, key: string, response: IdempotentResult): Promise<void> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.idempotency(scope, key),
          UpdateExpression: 'SET #status = :completed, #response = :response REMOVE #expiresAt',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status', '#response': 'response', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':completed': 'completed', ':response': response },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new IdempotencyRecordNotFoundError();
      throw error;
    }
  }

  async reclaim(scope: string, key: string, startedAt: Instant, at: Instant): Promise<boolean> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.idempotency(scope, key),
          UpdateExpression: 'SET #startedAt = :at, #expiresAt = :expiresAt',
          ConditionExpression: '#status = :inProgress AND #startedAt = :startedAt',
          ExpressionAttributeNames: { '#status': 'status', '#startedAt': 'startedAt', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: {
            ':inProgress': 'in-progress',
            ':startedAt': startedAt,
            ':at': at,
            ':expiresAt': idempotencyExpiry(at),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async release(scope: string, key: string, startedAt: Instant): Promise<void> {
    try {
      await this.#db.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: keys.idempotency(scope, key),
          ConditionExpression: '#status = :inProgress AND #startedAt = :startedAt',
          ExpressionAttributeNames: { '#status': 'status', '#startedAt': 'startedAt' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress', ':startedAt': startedAt },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
