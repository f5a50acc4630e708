/**
 * The directory in the Register table: organisations and users under `DIRECTORY`, partnerships under
 * `PARTNERSHIP#<id>`/`CONFIG`. Reads are cached per instance for at most `cacheMs` (60 s); this instance's writes
 * clear the cache.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { OrgCode } from '#domain/facts.ts';
import type { Organisation, Partnership } from '#domain/partnership.ts';
import type { Directory } from '#domain/ports.ts';
import { keys } from '../keys.ts';
import type { DirectoryOrganisation, DirectoryUser, DirectoryWriter } from '#domain/ports.ts';
import { toOrganisation } from '../types.ts';

export const DIRECTORY_CACHE_MS = 60_000;

interface Snapshot {
  loadedAt: number;
  organisations: Map<OrgCode, DirectoryOrganisation>;
  users: Map<string, DirectoryUser>;
}

export interface DynamoDirectoryOptions {
  now?: () => number;
  cacheMs?: number;
}

export class DynamoDirectory implements Directory, DirectoryWriter {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => number;
  readonly #cacheMs: number;
  #snapshot: Promise<Snapshot> | undefined;
  readonly #partnerships = new Map<string, { loadedAt: number; value: Promise<Partnership | null> }>();

  constructor(db: DynamoDBDocumentClient, tableName: string, options: DynamoDirectoryOptions = {}) {
    this.#db = db;
    this.#table = tableName;
    this.#now = options.now ?? Date.now;
    this.#cacheMs = Math.min(options.cacheMs ?? DIRECTORY_CACHE_MS, DIRECTORY_CACHE_MS);
  }

  async partnership(id: string): Promise<Partnership | null> {
    const now = this.#now();
    const cached = this.#partnerships.get(id);
    if (cached !== undefined && now - cached.loadedAt < this.#cacheMs) return structuredClone(await cached.value);
    const value = this.#db
      .send(new GetCommand({ TableName: this.#table, Key: keys.partnership(id) }))
      .then((result) => (result.Item?.['partnership'] as Partnership | undefined) ?? null);
    this.#partnerships.set(id, { loadedAt: now, value });
    value.catch(() => this.#partnerships.delete(id));
    return structuredClone(await value);
  }

  async organisation(code: OrgCode): Promise<Organisation | null> {
    const found = (await this.#load()).organisations.get(code);
    return found === undefined ? null : toOrganisation(found);
  }

  /** Every organisation, ordered by code (the sort key order). */
  async organisations(): Promise<Organisation[]> {
    return [...(await this.#load()).organisations.values()].map(toOrganisation);
  }

  async partnershipsOf(org: OrgCode): Promise<string[]> {
    return [...((await this.#load()).organisations.get(org)?.partnerships ?? [])];
  }

  async user(id: string): Promise<DirectoryUser | null> {
    const found = (await this.#load()).users.get(id);
    return found === undefined ? null : { ...found };
  }

  async putOrganisation(org: DirectoryOrganisation): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          ...keys.organisation(org.code),
          code: org.code,
          kind: org.kind,
          name: org.name,
          email: org.email,
          partnerships: org.partnerships,
        },
      }),
    );
    this.#snapshot = undefined;
  }

  async putPartnership(partnership: Partnership): Promise<void> {
    await this.#db.send(new PutCommand({ TableName: this.#table, Item: { ...keys.partnership(partnership.id), partnership } }));
    this.#partnerships.delete(partnership.id);
  }

  async putUser(user: DirectoryUser): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: { ...keys.user(user.id), id: user.id, name: user.name, email: user.email, org: user.org, role: user.role },
      }),
    );
    this.#snapshot = undefined;
  }

  #load(): Promise<Snapshot> {
    const now = this.#now();
    const current = this.#snapshot;
    if (current !== undefined) {
      return current.then((snapshot) => (now - snapshot.loadedAt < this.#cacheMs ? snapshot : this.#reload(now)));
    }
    return this.#reload(now);
  }

  #reload(now: number): Promise<Snapshot> {
    const loading = this.#query(now);
    this.#snapshot = loading;
    loading.catch(() => {
      if (this.#snapshot === loading) this.#snapshot = undefined;
    });
    return loading;
  }

  async #query(loadedAt: number): Promise<Snapshot> {
    const snapshot: Snapshot = { loadedAt, organisations: new Map(), users: new Map() };
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.directory },
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of result.Items ?? []) {
        const sk = String(item['sk']);
        if (sk.startsWith('ORG#')) {
          const org = item as unknown as DirectoryOrganisation;
          snapshot.organisations.set(org.code, {
            code: org.code,
            kind: org.kind,
            name: org.name,
            email: org.email,
            partnerships: [...(org.partnerships ?? [])],
          });
        } else if (sk.startsWith('USER#')) {
          const user = item as unknown as DirectoryUser;
          snapshot.users.set(user.id, { id: user.id, name: user.name, email: user.email, org: user.org, role: user.role });
        }
      }
      start = result.LastEvaluatedKey;
    } while (start !== undefined);
    return snapshot;
  }
}
