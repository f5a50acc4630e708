/**
 * The dispute store over the Register table, and its in-memory twin with the same semantics
 * (docs/data-model.md): the dispute `APP#<id>`/`DISPUTE#1` (versioned), the referral pack
 * `APP#<id>`/`REFERRAL#<packId>` and recharge entries `APP#<id>`/`RECHARGE#<settlementId>#<n>`, each
 * written once (`attribute_not_exists`). No transactions: single-item conditional writes.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '../adapters/dynamodb/sdk.ts';
import type { Dispute } from '#domain/disputes/dispute.ts';
import type { DisputeStore, StoredRechargeEntry } from '#domain/disputes/ports.ts';
import type { ReferralPack } from '#domain/disputes/referral-pack.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import { isConditionalCheckFailed } from '../adapters/dynamodb/errors.ts';
import { asStored } from '../adapters/types.ts';

/** One dispute per application: the first (and so far only) one. */
const DISPUTE_NUMBER = 1;

export const disputeKeys = {
  dispute: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: `DISPUTE#${DISPUTE_NUMBER}` }),
  referralPack: (applicationId: string, packId: string) => ({ pk: `APP#${applicationId}`, sk: `REFERRAL#${packId}` }),
  /** `n` is zero-padded so entries list in order. */
  recharge: (applicationId: string, settlementId: string, n: number) => ({
    pk: `APP#${applicationId}`,
    sk: `RECHARGE#${settlementId}#${String(n).padStart(6, '0')}`,
  }),
} as const;

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

export class MemoryDisputeStore implements DisputeStore {
  readonly #disputes = new Map<string, Dispute>();
  readonly #packs = new Map<string, ReferralPack>();
  readonly #recharges = new Map<string, StoredRechargeEntry>();

  async get(applicationId: string): Promise<Dispute | null> {
    const d = this.#disputes.get(applicationId);
    return d === undefined ? null : asStored(d);
  }

  async create(dispute: Dispute): Promise<'created' | 'exists'> {
    if (this.#disputes.has(dispute.applicationId)) return 'exists';
    this.#disputes.set(dispute.applicationId, asStored(dispute));
    return 'created';
  }

  async save(dispute: Dispute): Promise<void> {
    const stored = this.#disputes.get(dispute.applicationId);
    if (stored?.version !== dispute.version - 1)
      throw new ConcurrentUpdateError(`Dispute ${dispute.id} changed since version ${dispute.version - 1}`);
    this.#disputes.set(dispute.applicationId, asStored(dispute));
  }

  async putReferralPack(pack: ReferralPack): Promise<'created' | 'exists'> {
    const key = `${pack.applicationId}|${pack.id}`;
    if (this.#packs.has(key)) return 'exists';
    this.#packs.set(key, asStored(pack));
    return 'created';
  }

  async getReferralPack(applicationId: string, packId: string): Promise<ReferralPack | null> {
    const pack = this.#packs.get(`${applicationId}|${packId}`);
    return pack === undefined ? null : asStored(pack);
  }

  async putRecharges(entries: readonly StoredRechargeEntry[]): Promise<void> {
    for (const e of entries) {
      const { sk } = disputeKeys.recharge(e.applicationId, e.settlementId, e.n);
      const key = `${e.applicationId}|${sk}`;
      if (!this.#recharges.has(key)) this.#recharges.set(key, asStored(e));
    }
  }

  async listRecharges(applicationId: string): Promise<StoredRechargeEntry[]> {
    return [...this.#recharges.entries()]
      .filter(([k]) => k.startsWith(`${applicationId}|`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, e]) => asStored(e));
  }
}
