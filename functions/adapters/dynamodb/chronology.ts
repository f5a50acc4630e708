/**
 * The person's chronology in the Register table, without transactions.
 *
 * 1. The caller's key is guarded first (`CHRONKEY#<key>`, `attribute_not_exists`): one attempt per key at a time.
 * 2. The guard's holder takes the next sequence from the per-person counter (`CHRONCOUNTER`) with one atomic
 *    update that adds one to `last` and records the claim on the counter itself (`claim:<key>`: the entry;
 *    `slot:<key>`: the sequence before it). The update never conflicts with other keys, so no writer starves.
 * 3. The entry is written at the claimed sequence (`CHRON#<sequence>`), the guard gets the sequence, and the
 *    claim is removed from the counter.
 *
 * Sequences are unique (an atomic add) and leave no gap: a claim stays on the counter until its entry is
 * written, so if its writer dies after claiming, the retry with the same key fills the claimed slot (it finds
 * the claim through its guard), and any other writer for the person fills claims older than `fillAfterMs`
 * that its own update returns. A guard without a sequence or a claim belongs to an attempt still before step 2;
 * a retry waits for it (jittered, bounded) and takes it over once it is older than `staleAfterMs`.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Chronology, ChronologyEntry, NewChronologyEntry } from '#domain/ports.ts';
import { keys } from '../keys.ts';
import { asStored } from '../types.ts';
import { isConditionalCheckFailed } from './errors.ts';

export class ChronologyAppendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChronologyAppendError';
  }
}

const CLAIM = 'claim:';
const SLOT = 'slot:';

/** An entry claimed on the counter and not yet known to be written. */
interface Claim {
  key: string;
  sequence: number;
  /** Epoch ms of the claim, by the claimant's clock. */
  claimedAt: number;
  entry: Omit<ChronologyEntry, 'sequence'>;
}

interface Guard {
  attempt?: string;
  startedAt?: number;
  sequence?: number;
}

export interface DynamoChronologyOptions {
  /** Wall clock in epoch ms (claim and guard ages); Date.now by default. */
  now?: () => number;
  /** Waits while another attempt holds the key; setTimeout by default. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) for the jitter; Math.random by default. */
  random?: () => number;
  /** Looks at a held key before giving up. */
  maxWaits?: number;
  /** Wait n: a random time up to min(capMs, baseMs * 2^n). */
  backoff?: { baseMs: number; capMs: number };
  /** Age after which a guard with no claim is presumed dead and taken over. */
  staleAfterMs?: number;
  /** Age after which another writer's claim is presumed dead and written for it. */
  fillAfterMs?: number;
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

/** The claims recorded on a counter item. */
function claimsOn(counter: Record<string, unknown>): Claim[] {
  const claims: Claim[] = [];
  for (const [name, value] of Object.entries(counter)) {
    if (!name.startsWith(CLAIM)) continue;
    const key = name.slice(CLAIM.length);
    const slot = counter[`${SLOT}${key}`];
    const claim = value as { claimedAt: number; entry: Claim['entry'] };
    if (typeof slot === 'number') claims.push({ key, sequence: slot + 1, claimedAt: claim.claimedAt, entry: claim.entry });
  }
  return claims;
}

export class DynamoChronology implements Chronology {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #maxWaits: number;
  readonly #backoff: { baseMs: number; capMs: number };
  readonly #staleAfterMs: number;
  readonly #fillAfterMs: number;

  constructor(db: DynamoDBDocumentClient, tableName: string, options: DynamoChronologyOptions = {}) {
    this.#db = db;
    this.#table = tableName;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#maxWaits = options.maxWaits ?? 50;
    this.#backoff = options.backoff ?? { baseMs: 10, capMs: 1_000 };
    this.#staleAfterMs = options.staleAfterMs ?? 10_000;
    this.#fillAfterMs = options.fillAfterMs ?? 2_000;
  }

  async append(personRef: string, entry: NewChronologyEntry): Promise<ChronologyEntry> {
    const attempt = randomUUID();
    if (await this.#guard(personRef, entry.key, attempt)) return this.#claimAndWrite(personRef, entry);
    for (let waits = 0; ; waits++) {
      const guard = await this.#readGuard(personRef, entry.key);
      if (guard === null) {
        if (await this.#guard(personRef, entry.key, attempt)) return this.#claimAndWrite(personRef, entry);
        continue;
      }
      if (guard.sequence !== undefined) return this.#entryAt(personRef, guard.sequence);
      const counter = await this.#readCounter(personRef);
      const claimed = claimsOn(counter ?? {}).find((c) => c.key === entry.key);
      if (claimed !== undefined) return this.#write(personRef, claimed);
      if (guard.attempt !== undefined && this.#now() - (guard.startedAt ?? 0) >= this.#staleAfterMs) {
        if (await this.#takeOver(personRef, entry.key, guard.attempt, attempt)) return this.#claimAndWrite(personRef, entry);
        continue;
      }
      if (waits >= this.#maxWaits) throw new ChronologyAppendError(`The chronology key stayed held through ${waits} waits`);
      const { baseMs, capMs } = this.#backoff;
      await this.#sleep(Math.floor(this.#random() * Math.min(capMs, baseMs * 2 ** Math.min(waits, 16))));
    }
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

  /** Holding the key's guard: claim the next sequence on the counter, then write the entry there. */
  async #claimAndWrite(personRef: string, entry: NewChronologyEntry): Promise<ChronologyEntry> {
    const recorded = {
      claimedAt: this.#now(),
      entry: asStored({
        at: entry.at,
        type: entry.type,
        actor: entry.actor,
        ...(entry.applicationId === undefined ? {} : { applicationId: entry.applicationId }),
        data: entry.data,
      }),
    };
    for (;;) {
      let counter: Record<string, unknown>;
      try {
        const result = await this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: keys.chronologyCounter(personRef),
            UpdateExpression: 'SET #last = #last + :one, #claim = :claim, #slot = #last',
            ConditionExpression: 'attribute_exists(#last) AND attribute_not_exists(#claim)',
            ExpressionAttributeNames: { '#last': 'last', '#claim': `${CLAIM}${entry.key}`, '#slot': `${SLOT}${entry.key}` },
            ExpressionAttributeValues: { ':one': 1, ':claim': recorded },
            ReturnValues: 'ALL_NEW',
          }),
        );
        counter = result.Attributes ?? {};
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const current = await this.#readCounter(personRef);
        if (current === null) {
          await this.#startCounter(personRef);
          continue;
        }
        // A claim for this key is already on the counter: an attempt this one took over got that far.
        const earlier = claimsOn(current).find((c) => c.key === entry.key);
        if (earlier !== undefined) return this.#write(personRef, earlier);
        continue;
      }
      const claims = claimsOn(counter);
      const mine = claims.find((c) => c.key === entry.key);
      if (mine === undefined) throw new ChronologyAppendError('The counter did not return the claim it recorded');
      const now = this.#now();
      for (const dead of claims)
        if (dead.key !== entry.key && now - dead.claimedAt >= this.#fillAfterMs) await this.#write(personRef, dead);
      return this.#write(personRef, mine);
    }
  }

  /** Writes a claimed entry, gives its guard the sequence, and removes the claim; safe to repeat and to race. */
  async #write(personRef: string, claim: Claim): Promise<ChronologyEntry> {
    const entry: ChronologyEntry = asStored({ sequence: claim.sequence, ...claim.entry });
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.chronologyEntry(personRef, claim.sequence), ...entry, key: claim.key },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    await this.#db.send(
      new PutCommand({ TableName: this.#table, Item: { ...keys.chronologyKey(personRef, claim.key), sequence: claim.sequence } }),
    );
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.chronologyCounter(personRef),
          UpdateExpression: 'REMOVE #claim, #slot',
          ConditionExpression: '#slot = :slot',
          ExpressionAttributeNames: { '#claim': `${CLAIM}${claim.key}`, '#slot': `${SLOT}${claim.key}` },
          ExpressionAttributeValues: { ':slot': claim.sequence - 1 },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return entry;
  }

  async #guard(personRef: string, key: string, attempt: string): Promise<boolean> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.chronologyKey(personRef, key), attempt, startedAt: this.#now() },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async #takeOver(personRef: string, key: string, from: string, to: string): Promise<boolean> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.chronologyKey(personRef, key),
          UpdateExpression: 'SET #attempt = :to, #startedAt = :now',
          ConditionExpression: '#attempt = :from AND attribute_not_exists(#sequence)',
          ExpressionAttributeNames: { '#attempt': 'attempt', '#startedAt': 'startedAt', '#sequence': 'sequence' },
          ExpressionAttributeValues: { ':from': from, ':to': to, ':now': this.#now() },
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
    if (result.Item === undefined) return null;
    const { attempt, startedAt, sequence } = result.Item;
    return {
      ...(typeof attempt === 'string' ? { attempt } : {}),
      ...(typeof startedAt === 'number' ? { startedAt } : {}),
      ...(typeof sequence === 'number' ? { sequence } : {}),
    };
  }

  async #readCounter(personRef: string): Promise<Record<string, unknown> | null> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.chronologyCounter(personRef), ConsistentRead: true }),
    );
    return result.Item ?? null;
  }

  /** The counter starts at the last sequence written (0, or the last entry of a chronology older than counters). */
  async #startCounter(personRef: string): Promise<void> {
    const last = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.person(personRef), ':prefix': 'CHRON#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const sequence = last.Items?.[0]?.['sequence'];
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.chronologyCounter(personRef), last: typeof sequence === 'number' ? sequence : 0 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async #entryAt(personRef: string, sequence: number): Promise<ChronologyEntry> {
    const result = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.chronologyEntry(personRef, sequence), ConsistentRead: true }),
    );
    if (result.Item === undefined) throw new ChronologyAppendError(`Chronology key names sequence ${sequence}, which is missing`);
    return toEntry(result.Item);
  }
}
