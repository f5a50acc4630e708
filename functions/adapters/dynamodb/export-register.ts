/**
 * What the exports read and write in the register (docs/data-model.md):
 *   Export batch      `EXPORT#<partnership>#<period>` / `BATCH#<n, 4 digits>`   attribute_not_exists
 *   Batch by id       `EXPORTBATCH#<batchId>` / `BATCH`                         attribute_not_exists
 *   Export job        `EXPORTJOB#<exportId>` / `JOB`                            put once; status set by the workflow
 *   Settlement entry  `APP#<id>` / `RECHARGE#<settlement>#<n>`                  written by issue 5, read here
 * A partnership's applications are found through the `ByOrganisation` index (one Query per member
 * organisation: the submitting organisation is always a member and a party), never a Scan.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Application } from '#domain/applications/application.ts';
import type { OrgCode } from '#domain/facts.ts';
import type { PeriodKey } from '#domain/apportionment/periods.ts';
import type { BatchRecord, ExportJob, ExportRegister, StoredRechargeEntry } from '#domain/exports/ports.ts';
import { toExportCase, type ExportCase } from '#domain/exports/rows.ts';

export const exportKeys = {
  batch: (partnershipId: string, period: PeriodKey, n: number) => ({
    pk: `EXPORT#${partnershipId}#${period}`,
    sk: `BATCH#${String(n).padStart(4, '0')}`,
  }),
  batchPartition: (partnershipId: string, period: PeriodKey) => `EXPORT#${partnershipId}#${period}`,
  batchById: (batchId: string) => ({ pk: `EXPORTBATCH#${batchId}`, sk: 'BATCH' }),
  job: (exportId: string) => ({ pk: `EXPORTJOB#${exportId}`, sk: 'JOB' }),
} as const;

const isConditionalCheckFailed = (error: unknown): boolean => error instanceof Error && error.name === 'ConditionalCheckFailedException';

export class DynamoExportRegister implements ExportRegister {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async candidateIds(members: readonly OrgCode[]): Promise<string[]> {
    const ids = new Set<string>();
    await Promise.all(
      members.map(async (org) => {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.#db.send(
            new QueryCommand({
              TableName: this.#table,
              IndexName: 'ByOrganisation',
              KeyConditionExpression: 'gsi1pk = :pk',
              ExpressionAttributeValues: { ':pk': `ORG#${org}` },
              ProjectionExpression: 'pk',
              ...(start === undefined ? {} : { ExclusiveStartKey: start }),
            }),
          );
          for (const item of page.Items ?? []) {
            const pk = String(item['pk']);
            if (pk.startsWith('APP#')) ids.add(pk.slice(4));
          }
          start = page.LastEvaluatedKey;
        } while (start !== undefined);
      }),
    );
    return [...ids].sort();
  }

  async getCase(id: string): Promise<ExportCase | null> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: { pk: `APP#${id}`, sk: 'APPLICATION' }, ConsistentRead: true }),
    );
    const app = result.Item?.['doc'] as Application | undefined;
    return app === undefined ? null : toExportCase(app);
  }

  async batches(partnershipId: string, periods: readonly PeriodKey[]): Promise<BatchRecord[]> {
    const found = await Promise.all(
      periods.map(async (period) => {
        const out: BatchRecord[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.#db.send(
            new QueryCommand({
              TableName: this.#table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :batch)',
              ExpressionAttributeValues: { ':pk': exportKeys.batchPartition(partnershipId, period), ':batch': 'BATCH#' },
              ConsistentRead: true,
              ...(start === undefined ? {} : { ExclusiveStartKey: start }),
            }),
          );
          for (const item of page.Items ?? []) out.push(item['batch'] as BatchRecord);
          start = page.LastEvaluatedKey;
        } while (start !== undefined);
        return out;
      }),
    );
    return found.flat().sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.n - b.n));
  }

  async batchById(batchId: string): Promise<BatchRecord | null> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: exportKeys.batchById(batchId), ConsistentRead: true }),
    );
    return (result.Item?.['batch'] as BatchRecord | undefined) ?? null;
  }

  async recordBatch(record: BatchRecord): Promise<'created' | 'exists'> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...exportKeys.batch(record.partnershipId, record.period, record.n), batchId: record.batchId, batch: record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return 'exists';
    }
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...exportKeys.batchById(record.batchId), batch: record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return 'created';
  }

  async putJob(job: ExportJob): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: { ...exportKeys.job(job.exportId), ...job },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getJob(exportId: string): Promise<ExportJob | null> {
    const result = await this.#db.send(new GetCommand({ TableName: this.#table, Key: exportKeys.job(exportId), ConsistentRead: true }));
    if (result.Item === undefined) return null;
    const job = { ...result.Item };
    delete job['pk'];
    delete job['sk'];
    return job as ExportJob;
  }

  async markJob(
    exportId: string,
    outcome: { status: 'succeeded'; batchId: string } | { status: 'failed'; error: string },
  ): Promise<boolean> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: exportKeys.job(exportId),
          ConditionExpression: 'attribute_exists(pk)',
          UpdateExpression:
            outcome.status === 'succeeded' ? 'SET #status = :status, batchId = :detail' : 'SET #status = :status, #error = :detail',
          ExpressionAttributeNames: outcome.status === 'succeeded' ? { '#status': 'status' } : { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':detail': outcome.status === 'succeeded' ? outcome.batchId : outcome.error,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async settlementEntries(applicationId: string): Promise<StoredRechargeEntry[]> {
    const out: StoredRechargeEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
          ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':r': 'RECHARGE#' },
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of page.Items ?? []) {
        const entry = { ...item };
        delete entry['pk'];
        delete entry['sk'];
        out.push(entry as StoredRechargeEntry);
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }
}
