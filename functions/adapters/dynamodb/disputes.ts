/**
 * The dispute store over the Register table (its in-memory twin: ../memory/disputes.ts, the same semantics)
 * (docs/data-model.md): the dispute `APP#<id>`/`DISPUTE#1` (versioned), the referral pack
 * `APP#<id>`/`REFERRAL#<packId>` and recharge entries `APP#<id>`/`RECHARGE#<settlementId>#<n>`, each
 * written once (`attribute_not_exists`). No transactions: single-item conditional writes.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Dispute } from '#domain/disputes/dispute.ts';
import type { DisputeStore, StoredRechargeEntry } from '#domain/disputes/ports.ts';
import type { ReferralPack } from '#domain/disputes/referral-pack.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import { disputeKeys } from '../keys.ts';
import { isConditionalCheckFailed } from './errors.ts';

export class DynamoDisputeStore implements DisputeStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async get(applicationId: string): Promise<Dispute | null> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: disputeKeys.dispute(applicationId), ConsistentRead: true }),
    );
    return (result.Item?.['doc'] as Dispute | undefined) ?? null;
  }

  async create(dispute: Dispute): Promise<'created' | 'exists'> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...disputeKeys.dispute(dispute.applicationId), version: dispute.version, doc: dispute },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async save(dispute: Dispute): Promise<void> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...disputeKeys.dispute(dispute.applicationId), version: dispute.version, doc: dispute },
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': dispute.version - 1 },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error))
        throw new ConcurrentUpdateError(`Dispute ${dispute.id} changed since version ${dispute.version - 1}`);
      throw error;
    }
  }

  async putReferralPack(pack: ReferralPack): Promise<'created' | 'exists'> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...disputeKeys.referralPack(pack.applicationId, pack.id), doc: pack },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async getReferralPack(applicationId: string, packId: string): Promise<ReferralPack | null> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: disputeKeys.referralPack(applicationId, packId), ConsistentRead: true }),
    );
    return (result.Item?.['doc'] as ReferralPack | undefined) ?? null;
  }

  async putRecharges(entries: readonly StoredRechargeEntry[]): Promise<void> {
    for (const entry of entries) {
      try {
        await this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: { ...disputeKeys.recharge(entry.applicationId, entry.settlementId, entry.n), ...entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
  }

  async listRecharges(applicationId: string): Promise<StoredRechargeEntry[]> {
    const out: StoredRechargeEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'RECHARGE#' },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of page.Items ?? []) {
        const entry: Record<string, unknown> = { ...item };
        delete entry['pk'];
        delete entry['sk'];
        out.push(entry as unknown as StoredRechargeEntry);
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }
}
