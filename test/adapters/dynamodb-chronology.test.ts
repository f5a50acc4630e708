/** The chronology counter on dynalite: contention, and recovery from attempts that died part-way. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoChronology } from '#functions/adapters/dynamodb/chronology.ts';
import { useDynalite } from './dynalite.ts';

const freshTable = useDynalite();
const NOW = Date.parse('2024-06-01T10:00:00.000Z');
const AT = '2024-06-01T09:00:00.000Z';
const entry = { key: 'k1', at: AT, type: 'Determined', actor: { system: 'Determine' }, applicationId: 'app_1', data: { n: 1 } };
const content = { at: AT, type: 'Determined', actor: { system: 'Determine' }, applicationId: 'app_1', data: { n: 1 } };
const claimed = { sequence: 2, ...content };
const first = { sequence: 1, at: AT, type: 'Submitted', actor: { userId: 'u' }, data: {} };

let db: DynamoDBDocumentClient;
let tableName: string;

async function put(item: Record<string, unknown>): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: item }));
}

async function get(sk: string): Promise<Record<string, unknown> | undefined> {
  return (await db.send(new GetCommand({ TableName: tableName, Key: { pk: 'PERSON#p_1', sk }, ConsistentRead: true }))).Item;
}

/** The counter as a writer leaves it when it dies right after claiming sequence 2 for k1 at `claimedAt`. */
async function deadClaim(claimedAt: number): Promise<void> {
  await put({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', attempt: 'dead', startedAt: claimedAt });
  await put({ pk: 'PERSON#p_1', sk: 'CHRONCOUNTER', last: 2, 'claim:k1': { claimedAt, entry: content }, 'slot:k1': 1 });
}

const noWaiting = { now: () => NOW, sleep: () => Promise.reject(new Error('must not wait')) };
const cleanCounter = (last: number) => ({ pk: 'PERSON#p_1', sk: 'CHRONCOUNTER', last });

beforeEach(async () => {
  ({ db, tableName } = await freshTable());
  await put({ pk: 'PERSON#p_1', sk: 'CHRON#0000000001', ...first, key: 'k0' });
  await put({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k0', sequence: 1 });
  await put(cleanCounter(1));
});

describe('DynamoChronology recovery from an attempt that died', () => {
  it('fills the claimed slot when the same key is retried, with the entry as first claimed', async () => {
    await deadClaim(NOW - 1);
    const chronology = new DynamoChronology(db, tableName, noWaiting);
    expect(await chronology.append('p_1', { ...entry, data: { n: 2 } })).toStrictEqual(claimed);
    expect(await chronology.list('p_1')).toStrictEqual([first, claimed]);
    expect(await get('CHRONCOUNTER')).toStrictEqual(cleanCounter(2));
    expect(await get('CHRONKEY#k1')).toStrictEqual({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', sequence: 2 });
  });

  it('lets another key fill a claim older than fillAfterMs, leaving no gap', async () => {
    await deadClaim(NOW - 2_000);
    const chronology = new DynamoChronology(db, tableName, { ...noWaiting, fillAfterMs: 2_000 });
    const next = await chronology.append('p_1', { ...entry, key: 'k2', data: { n: 3 } });
    expect(next).toStrictEqual({ ...claimed, sequence: 3, data: { n: 3 } });
    expect(await chronology.list('p_1')).toStrictEqual([first, claimed, next]);
    expect(await get('CHRONCOUNTER')).toStrictEqual(cleanCounter(3));
    expect(await chronology.append('p_1', entry)).toStrictEqual(claimed);
  });

  it('leaves a claim younger than fillAfterMs to its writer', async () => {
    await deadClaim(NOW - 1_999);
    const chronology = new DynamoChronology(db, tableName, { ...noWaiting, fillAfterMs: 2_000 });
    const next = await chronology.append('p_1', { ...entry, key: 'k2' });
    expect(next.sequence).toBe(3);
    expect((await chronology.list('p_1')).map((e) => e.sequence)).toStrictEqual([1, 3]);
    expect(await chronology.append('p_1', entry)).toStrictEqual(claimed);
    expect((await chronology.list('p_1')).map((e) => e.sequence)).toStrictEqual([1, 2, 3]);
  });

  it('returns the entry a writer wrote before dying, without writing it twice', async () => {
    await deadClaim(NOW - 1);
    await put({ pk: 'PERSON#p_1', sk: 'CHRON#0000000002', ...claimed, key: 'k1' });
    const chronology = new DynamoChronology(db, tableName, noWaiting);
    expect(await chronology.append('p_1', { ...entry, data: { n: 2 } })).toStrictEqual(claimed);
    expect(await chronology.list('p_1')).toStrictEqual([first, claimed]);
    expect(await get('CHRONCOUNTER')).toStrictEqual(cleanCounter(2));
  });

  it('takes over a stale guard whose attempt died before claiming, and appends once', async () => {
    await put({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', attempt: 'dead', startedAt: NOW - 10_000 });
    const chronology = new DynamoChronology(db, tableName, { ...noWaiting, staleAfterMs: 10_000 });
    expect(await chronology.append('p_1', entry)).toStrictEqual(claimed);
    expect(await chronology.list('p_1')).toStrictEqual([first, claimed]);
    expect(await get('CHRONKEY#k1')).toStrictEqual({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', sequence: 2 });
  });

  it('waits, with growing jittered pauses, for a live attempt instead of appending a second entry', async () => {
    await put({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', attempt: 'live', startedAt: NOW - 9_999 });
    const waits: number[] = [];
    const chronology = new DynamoChronology(db, tableName, {
      now: () => NOW,
      random: () => 0.5,
      backoff: { baseMs: 10, capMs: 30 },
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 3) {
          await put({ pk: 'PERSON#p_1', sk: 'CHRON#0000000002', ...claimed, key: 'k1' });
          await put({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', sequence: 2 });
        }
      },
    });
    expect(await chronology.append('p_1', { ...entry, data: { n: 9 } })).toStrictEqual(claimed);
    expect(waits).toStrictEqual([5, 10, 15]);
    expect((await chronology.list('p_1')).map((e) => e.sequence)).toStrictEqual([1, 2]);
  });

  it('gives up with ChronologyAppendError when a live attempt holds the key through every wait', async () => {
    await put({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', attempt: 'live', startedAt: NOW });
    const chronology = new DynamoChronology(db, tableName, { now: () => NOW, maxWaits: 3, sleep: async () => undefined });
    await expect(chronology.append('p_1', entry)).rejects.toThrow(/stayed held through 3 waits/);
    expect((await chronology.list('p_1')).map((e) => e.sequence)).toStrictEqual([1]);
  });

  it('starts the counter after the last entry of a chronology written before counters existed', async () => {
    await db.send(new PutCommand({ TableName: tableName, Item: { pk: 'PERSON#p_2', sk: 'CHRON#0000000007', ...first, sequence: 7 } }));
    const chronology = new DynamoChronology(db, tableName, noWaiting);
    expect(await chronology.append('p_2', entry)).toStrictEqual({ ...claimed, sequence: 8 });
  });
});

describe('DynamoChronology under contention', () => {
  it('gives 40 parallel appends for one person the sequences 2 to 41, each once', async () => {
    const chronology = new DynamoChronology(db, tableName);
    const appended = await Promise.all(
      Array.from({ length: 40 }, (_, i) => chronology.append('p_1', { ...entry, key: `k${i + 1}`, data: { i } })),
    );
    const listed = await chronology.list('p_1');
    expect(listed.map((e) => e.sequence)).toStrictEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(new Set(appended.map((e) => e.data['i'])).size).toBe(40);
    expect(listed.slice(1)).toStrictEqual([...appended].sort((a, b) => a.sequence - b.sequence));
    expect(await get('CHRONCOUNTER')).toStrictEqual(cleanCounter(41));
  });

  it('appends once when the same key is retried in parallel with other keys', async () => {
    const chronology = new DynamoChronology(db, tableName);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => chronology.append('p_1', i % 2 === 0 ? entry : { ...entry, key: `other-${i}` })),
    );
    const listed = await chronology.list('p_1');
    expect(listed.map((e) => e.sequence)).toStrictEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const same = results.filter((_, i) => i % 2 === 0);
    expect(new Set(same.map((e) => e.sequence)).size).toBe(1);
  });
});
