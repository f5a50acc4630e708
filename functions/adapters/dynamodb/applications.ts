/**
 * Applications in the Register table: the application item holds the truth (`doc`, `version`); one party
 * membership per organisation carries the list indexes and a summary (docs/data-model.md).
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Application, ApplicationStatus, Instant } from '#domain/applications/application.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import type { OrgCode } from '#domain/facts.ts';
import type { ApplicationStore, ApplicationSummary, Page } from '#domain/ports.ts';
import { checkLimit, decodeCursor, encodeCursor, INDEX, keys, type IndexName } from '../keys.ts';
import { listSortKey, summarise, listEntriesUnchanged } from '../types.ts';
import { applicationItem, checkItemSize } from '../item-size.ts';
import { isConditionalCheckFailed } from './errors.ts';

const INDEX_KEYS: Record<IndexName, { pk: 'gsi1pk' | 'gsi2pk'; sk: 'gsi1sk' | 'gsi2sk' }> = {
  [INDEX.byOrganisation]: { pk: 'gsi1pk', sk: 'gsi1sk' },
  [INDEX.byOrganisationStatus]: { pk: 'gsi2pk', sk: 'gsi2sk' },
};

export class DynamoApplicationStore implements ApplicationStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async create(app: Application): Promise<'created' | 'exists'> {
    checkItemSize(applicationItem(app), 'application');
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: applicationItem(app),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const stored = await this.get(app.id);
      if (stored !== null) await this.#putMemberships(stored);
      return 'exists';
    }
    await this.#putMemberships(app);
    return 'created';
  }

  async get(id: string): Promise<Application | null> {
    const result = await this.#db.send(new GetCommand({ TableName: this.#table, Key: keys.application(id), ConsistentRead: true }));
    return (result.Item?.['doc'] as Application | undefined) ?? null;
  }

  async save(app: Application, previous?: Application, condition?: { answeredAt: Instant }): Promise<void> {
    checkItemSize(applicationItem(app), 'application');
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: applicationItem(app),
          ...(condition === undefined
            ? {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': app.version - 1 },
              }
            : {
                // ISO-8601 instants of one format order as strings.
                ConditionExpression: '#version = :expected AND (attribute_not_exists(#deadline) OR #deadline > :at)',
                ExpressionAttributeNames: { '#version': 'version', '#deadline': 'responseDeadline' },
                ExpressionAttributeValues: { ':expected': app.version - 1, ':at': condition.answeredAt },
              }),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error))
        throw new ConcurrentUpdateError(`Application ${app.id} changed since version ${app.version - 1}`);
      throw error;
    }
    if (listEntriesUnchanged(previous, app)) return;
    await this.#putMemberships(app);
  }

  async listForOrganisation(
    org: OrgCode,
    options: { status?: ApplicationStatus; limit: number; cursor?: string },
  ): Promise<Page<ApplicationSummary>> {
    checkLimit(options.limit);
    const index: IndexName = options.status === undefined ? INDEX.byOrganisation : INDEX.byOrganisationStatus;
    const partition = options.status === undefined ? keys.byOrganisation(org) : keys.byOrganisationStatus(org, options.status);
    const names = INDEX_KEYS[index];
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, index, partition);
    const result = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': names.pk },
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: options.limit + 1,
        ...(after === undefined
          ? {}
          : { ExclusiveStartKey: { pk: after.pk, sk: after.sk, [names.pk]: partition, [names.sk]: after.sort } }),
      }),
    );
    const found = result.Items ?? [];
    const page = found.slice(0, options.limit);
    const items = page.map((item) => item['summary'] as ApplicationSummary);
    const last = page.at(-1);
    const more = found.length > options.limit || result.LastEvaluatedKey !== undefined;
    if (!more || last === undefined) return { items };
    return {
      items,
      cursor: encodeCursor({ index, partition, sort: String(last[names.sk]), pk: String(last['pk']), sk: String(last['sk']) }),
    };
  }

  /** Derived list entries; a membership never goes back to an older version of the application. */
  async #putMemberships(app: Application): Promise<void> {
    const sort = listSortKey(app.createdAt, app.id);
    await Promise.all(
      app.parties.map(async (org) => {
        try {
          await this.#db.send(
            new PutCommand({
              TableName: this.#table,
              Item: {
                ...keys.party(app.id, org),
                gsi1pk: keys.byOrganisation(org),
                gsi1sk: sort,
                gsi2pk: keys.byOrganisationStatus(org, app.status),
                gsi2sk: sort,
                version: app.version,
                summary: summarise(app),
              },
              ConditionExpression: 'attribute_not_exists(sk) OR #version <= :version',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': app.version },
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }),
    );
  }
}
