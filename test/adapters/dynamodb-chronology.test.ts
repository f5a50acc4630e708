/** Chronology recovery on dynalite: a pending key guard left by an attempt that died, or one still running. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoChronology } from '#functions/adapters/dynamodb/chronology.ts';
import { useDynalite } from './dynalite.ts';

const freshTable = useDynalite();
const NOW = Date.parse('2024-06-01T10:00:00.000Z');
const entry = {
  key: 'k1',
  at: '2024-06-01T09:00:00.000Z',
  type: 'Determined',
  actor: { system: 'Determine' },
  applicationId: 'app_1',
  data: { n: 1 },
};
const stored = { sequence: 2, at: entry.at, type: 'Determined', actor: { system: 'Determine' }, applicationId: 'app_1', data: { n: 1 } };

let db: DynamoDBDocumentClient;
let tableName: string;

async function put(item: Record<string, unknown>): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: item }));
}

async function guard(): Promise<Record<string, unknown> | undefined> {
  return (await db.send(new GetCommand({ TableName: tableName, Key: { pk: 'PERSON#p_1', sk: 'CHRONKEY#k1' }, ConsistentRead: true }))).Item;
}

const first = {
  pk: 'PERSON#p_1',
  sk: 'CHRON#0000000001',
  sequence: 1,
  at: entry.at,
  type: 'Submitted',
  actor: { userId: 'u' },
  data: {},
  key: 'k0',
};

beforeEach(async () => {
  ({ db, tableName } = await freshTable());
  await put(first);
});

describe('DynamoChronology recovery', () => {
  it('returns the entry a dead attempt appended and completes its guard', async () => {
    await put({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', status: 'pending', attempt: 'dead', startedAt: '2024-06-01T09:00:00.000Z', after: 1 });
    await put({ pk: 'PERSON#p_1', sk: 'CHRON#0000000002', ...stored, key: 'k1' });
    const chronology = new DynamoChronology(db, tableName, { now: () => NOW, sleep: () => Promise.reject(new Error('must not wait')) });
    expect(await chronology.append('p_1', { ...entry, data: { n: 2 } })).toStrictEqual(stored);
    expect((await chronology.list('p_1')).map((e) => e.sequence)).toStrictEqual([1, 2]);
    expect(await guard()).toStrictEqual({
      pk: 'PERSON#p_1',
      sk: 'CHRONKEY#k1',
      status: 'done',
      attempt: 'dead',
      startedAt: '2024-06-01T09:00:00.000Z',
      after: 1,
      sequence: 2,
    });
  });

  it('takes over a stale guard whose attempt died before appending, and appends once', async () => {
    await put({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', status: 'pending', attempt: 'dead', startedAt: '2024-06-01T09:59:49.999Z', after: 1 });
    const chronology = new DynamoChronology(db, tableName, {
      now: () => NOW,
      staleAfterMs: 10_000,
      sleep: () => Promise.reject(new Error('must not wait')),
    });
    expect(await chronology.append('p_1', entry)).toStrictEqual(stored);
    expect(await chronology.list('p_1')).toStrictEqual([
      { sequence: 1, at: entry.at, type: 'Submitted', actor: { userId: 'u' }, data: {} },
      stored,
    ]);
    expect(await guard()).toMatchObject({ status: 'done', sequence: 2, startedAt: '2024-06-01T10:00:00.000Z' });
  });

  it('waits for a live attempt to finish instead of appending a second entry', async () => {
    await put({ pk: 'PERSON#p_1', sk: 'CHRONKEY#k1', status: 'pending', attempt: 'live', startedAt: '2024-06-01T09:59:59.000Z', after: 1 });
    const waits: number[] = [];
    const chronology = new DynamoChronology(db, tableName, {
      now: () => NOW,
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 2) {
          await put({ pk: 'PERSON#p_1', sk: 'CHRON#0000000002', ...stored, key: 'k1' });
          await put({
            pk: 'PERSON#p_1',
            sk: 'CHRONKEY#k1',
            status: 'done',
            attempt: 'live',
            startedAt: '2024-06-01T09:59:59.000Z',
            after: 1,
            sequence: 2,
          });
        }
      },
    });
    expect(await chronology.append('p_1', entry)).toStrictEqual(stored);
    expect(waits).toStrictEqual([10, 20]);
    expect((await chronology.list('p_1')).map((e) => e.sequence)).toStrictEqual([1, 2]);
  });
});
