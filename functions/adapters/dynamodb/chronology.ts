/**
 * The person's chronology in the Register table: `CHRON#<sequence>` entries appended with
 * `attribute_not_exists(sk)` on the next sequence (no transactions), made idempotent by a `CHRONKEY#<key>` guard.
 *
 * The guard records the last sequence seen before the attempt (`after`), so a retry that finds a pending guard
 * (an attempt died, or is still running) looks for its entry only among the later sequences. A pending guard
 * younger than `staleAfterMs` belongs to a live attempt: the retry waits for it (bounded backoff); an older one
 * is taken over with a conditional write on its attempt id, so two retries never both append.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Chronology, ChronologyEntry, NewChronologyEntry } from '#domain/ports.ts';
import { keys, SEQUENCE_DIGITS } from '../keys.ts';
import { asStored } from '../types.ts';
import { isConditionalCheckFailed } from './errors.ts';

const LAST_SEQUENCE = `CHRON#${'9'.repeat(SEQUENCE_DIGITS)}`;

export class ChronologyAppendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChronologyAppendError';
  }
}

interface Guard {
  status: 'pending' | 'done';
  attempt: string;
  startedAt: string;
  after: number;
  sequence?: number;
}

export interface DynamoChronologyOptions {
  /** Wall clock in epoch ms (guard ages); Date.now by default. */
  now?: () => number;
  /** Waits between looks at a pending guard; setTimeout by default. */
  sleep?: (ms: number) => Promise<void>;
  /** Age after which a pending guard's attempt is presumed dead. */
  staleAfterMs?: number;
  /** Conflicts on the next sequence tolerated before giving up. */
  maxConflicts?: number;
}

function toEntry(item: Record<string, unknown>): ChronologyEntry {
  return {
    sequence: item['sequence'] as number,
    at: item['at'] as string,
    type: item['type'] as string,
    actor: item['actor'] as ChronologyEntry['actor'],
    ...(item['applicationId'] === undefined ? {} : { applicationId: item['applicationId'] as string }),
    data: (item['data'] ?? {}) as Record<string, unknown>,
  };
}

export class DynamoChronology implements Chronology {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #staleAfterMs: number;
  readonly #maxConflicts: number;

  constructor(db: DynamoDBDocumentClient, tableName: string, options: DynamoChronologyOptions = {}) {
    this.#db = db;
    this.#table = tableName;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#staleAfterMs = options.staleAfterMs ?? 10_000;
    this.#maxConflicts = options.maxConflicts ?? 100;
  }

  async append(personRef: string, entry: NewChronologyEntry): Promise<ChronologyEntry> {
    const last = await this.#lastSequence(personRef);
    const attempt = randomUUID();
    const claimed = await this.#claimGuard(personRef, entry.key, {
      status: 'pending',
      attempt,
      startedAt: new Date(this.#now()).toISOString(),
      after: last,
    });
    if (claimed) return this.#appendAfter(personRef, entry, attempt, last);
    return this.#resume(personRef, entry, attempt);
  }

  async list(personRef: string, options: { applicationId?: string } = {}): Promise<ChronologyEntry[]> {
    const entries: ChronologyEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ...(options.applicationId === undefined
            ? { ExpressionAttributeValues: { ':pk': keys.person(personRef), ':prefix': 'CHRON#' } }
            : {
                FilterExpression: 'applicationId = :applicationId',
                ExpressionAttributeValues: { ':pk': keys.person(personRef), ':prefix': 'CHRON#', ':applicationId': options.applicationId },
              }),
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of result.Items ?? []) entries.push(toEntry(item));
      start = result.LastEvaluatedKey;
    } while (start !== undefined);
    return entries;
  }

  /** A pending or done guard already exists for this key: return its entry, wait for it, or take over. */
  async #resume(personRef: string, entry: NewChronologyEntry, attempt: string): Promise<ChronologyEntry> {
    let delay = 10;
    for (;;) {
      const guard = await this.#readGuard(personRef, entry.key);
      if (guard === null) {
        const last = await this.#lastSequence(personRef);
        const fresh: Guard = { status: 'pending', attempt, startedAt: new Date(this.#now()).toISOString(), after: last };
        if (await this.#claimGuard(personRef, entry.key, fresh)) return this.#appendAfter(personRef, entry, attempt, last);
        continue;
      }
      if (guard.sequence !== undefined) return this.#entryAt(personRef, guard.sequence);
      const found = await this.#findKeyed(personRef, entry.key, guard.after);
      if (found !== null) {
        await this.#completeGuard(personRef, entry.key, guard.attempt, found.sequence);
        return found;
      }
      if (this.#now() - Date.parse(guard.startedAt) >= this.#staleAfterMs) {
        if (await this.#takeOver(personRef, entry.key, guard.attempt, attempt)) {
          return this.#appendAfter(personRef, entry, attempt, guard.after);
        }
        continue;
      }
      await this.#sleep(delay);
      delay = Math.min(delay * 2, 500);
    }
  }

  async #appendAfter(personRef: string, entry: NewChronologyEntry, attempt: string, last: number): Promise<ChronologyEntry> {
    let next = last + 1;
    for (let conflicts = 0; ; conflicts++) {
      const appended: ChronologyEntry = {
        sequence: next,
        at: entry.at,
        type: entry.type,
        actor: entry.actor,
        ...(entry.applicationId === undefined ? {} : { applicationId: entry.applicationId }),
        data: entry.data,
      };
      try {
        await this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: { ...keys.chronologyEntry(personRef, next), ...appended, key: entry.key },
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        if (conflicts + 1 >= this.#maxConflicts) throw new ChronologyAppendError(`No free sequence after ${conflicts + 1} attempts`);
        next += 1;
        continue;
      }
      await this.#completeGuard(personRef, entry.key, attempt, next);
      return asStored(appended);
    }
  }

  async #lastSequence(personRef: string): Promise<number> {
    const result = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.person(personRef), ':prefix': 'CHRON#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const sequence = result.Items?.[0]?.['sequence'];
    return typeof sequence === 'number' ? sequence : 0;
  }

  async #claimGuard(personRef: string, key: string, guard: Guard): Promise<boolean> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.chronologyKey(personRef, key), ...guard },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async #readGuard(personRef: string, key: string): Promise<Guard | null> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.chronologyKey(personRef, key), ConsistentRead: true }),
    );
    return (result.Item as Guard | undefined) ?? null;
  }

  async #completeGuard(personRef: string, key: string, attempt: string, sequence: number): Promise<void> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.chronologyKey(personRef, key),
          UpdateExpression: 'SET #status = :done, #sequence = :sequence',
          ConditionExpression: '#attempt = :attempt',
          ExpressionAttributeNames: { '#status': 'status', '#sequence': 'sequence', '#attempt': 'attempt' },
          ExpressionAttributeValues: { ':done': 'done', ':sequence': sequence, ':attempt': attempt },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async #takeOver(personRef: string, key: string, from: string, to: string): Promise<boolean> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.chronologyKey(personRef, key),
          UpdateExpression: 'SET #attempt = :to, #startedAt = :startedAt',
          ConditionExpression: '#attempt = :from AND #status = :pending',
          ExpressionAttributeNames: { '#attempt': 'attempt', '#startedAt': 'startedAt', '#status': 'status' },
          ExpressionAttributeValues: { ':from': from, ':to': to, ':startedAt': new Date(this.#now()).toISOString(), ':pending': 'pending' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** The entry appended under `key` after sequence `after`, newest first, if an earlier attempt got that far. */
  async #findKeyed(personRef: string, key: string, after: number): Promise<ChronologyEntry | null> {
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          FilterExpression: '#key = :key',
          ExpressionAttributeNames: { '#key': 'key' },
          ExpressionAttributeValues: {
            ':pk': keys.person(personRef),
            ':from': keys.chronologyEntry(personRef, after + 1).sk,
            ':to': LAST_SEQUENCE,
            ':key': key,
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      const item = result.Items?.[0];
      if (item !== undefined) return toEntry(item);
      start = result.LastEvaluatedKey;
    } while (start !== undefined);
    return null;
  }

  async #entryAt(personRef: string, sequence: number): Promise<ChronologyEntry> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.chronologyEntry(personRef, sequence), ConsistentRead: true }),
    );
    if (result.Item === undefined) throw new ChronologyAppendError(`Chronology guard names sequence ${sequence}, which is missing`);
    return toEntry(result.Item);
  }
}
