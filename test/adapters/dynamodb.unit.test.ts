/** Every command the DynamoDB adapters send: keys, conditions, indexes and the handling of each error. */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import { DynamoApplicationStore } from '#functions/adapters/dynamodb/applications.ts';
import { DynamoChronology } from '#functions/adapters/dynamodb/chronology.ts';
import { DynamoDirectory } from '#functions/adapters/dynamodb/directory.ts';
import { DynamoIdempotencyStore } from '#functions/adapters/dynamodb/idempotency.ts';
import { DynamoMailLog } from '#functions/adapters/dynamodb/mail-log.ts';
import { DynamoTaskTokenStore } from '#functions/adapters/dynamodb/tokens.ts';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import { IdempotencyRecordNotFoundError, InvalidCursorError } from '#functions/adapters/types.ts';
import { application, partnership } from '../support/application-builder.ts';
import { sent } from './sent.ts';

const TABLE = 'Register-unit';
const ddb = mockClient(DynamoDBDocumentClient);
const db = documentClient(new DynamoDBClient({ region: 'eu-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const conflict = (): ConditionalCheckFailedException =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => ddb.reset());
afterEach(() => ddb.reset());

const app = application();
const summary = {
  id: 'app_1',
  status: 'awaiting-responses',
  personRef: 'p_test',
  requestedStartDate: '2024-06-10',
  createdAt: '2024-06-01T09:00:00.000Z',
  updatedAt: '2024-06-01T09:00:00.000Z',
};
const SORT = '2024-06-01T09:00:00.000Z#app_1';
const membershipPut = (org: string, version: number, status = 'awaiting-responses', s: Record<string, unknown> = summary) => ({
  command: 'PutCommand',
  input: {
    TableName: TABLE,
    Item: {
      pk: 'APP#app_1',
      sk: `PARTY#${org}`,
      gsi1pk: `ORG#${org}`,
      gsi1sk: SORT,
      gsi2pk: `ORG#${org}#STATUS#${status}`,
      gsi2sk: SORT,
      version,
      summary: s,
    },
    ConditionExpression: 'attribute_not_exists(sk) OR #version <= :version',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': version },
  },
});

describe('DynamoApplicationStore', () => {
  const store = new DynamoApplicationStore(db, TABLE);

  it('creates with attribute_not_exists(pk), then puts one membership per party', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await store.create(app)).toBe('created');
    expect(sent(ddb)).toStrictEqual([
      {
        command: 'PutCommand',
        input: {
          TableName: TABLE,
          Item: { pk: 'APP#app_1', sk: 'APPLICATION', version: 1, doc: app },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      membershipPut('LA-A', 1),
      membershipPut('ICB-A', 1),
    ]);
  });

  it("answers exists when the item is there, and re-puts the stored application's memberships", async () => {
    const stored = application({ version: 3, status: 'interim' });
    ddb.on(PutCommand, { ConditionExpression: 'attribute_not_exists(pk)' }).rejects(conflict());
    ddb.on(PutCommand, { ConditionExpression: 'attribute_not_exists(sk) OR #version <= :version' }).resolves({});
    ddb.on(GetCommand).resolves({ Item: { pk: 'APP#app_1', sk: 'APPLICATION', version: 3, doc: stored } });
    expect(await store.create(app)).toBe('exists');
    expect(sent(ddb).slice(1)).toStrictEqual([
      { command: 'GetCommand', input: { TableName: TABLE, Key: { pk: 'APP#app_1', sk: 'APPLICATION' }, ConsistentRead: true } },
      membershipPut('LA-A', 3, 'interim', { ...summary, status: 'interim' }),
      membershipPut('ICB-A', 3, 'interim', { ...summary, status: 'interim' }),
    ]);
  });

  it('gets the application strongly consistently', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'APP#app_1', sk: 'APPLICATION', version: 1, doc: app } });
    expect(await store.get('app_1')).toStrictEqual(app);
    expect(sent(ddb)).toStrictEqual([
      { command: 'GetCommand', input: { TableName: TABLE, Key: { pk: 'APP#app_1', sk: 'APPLICATION' }, ConsistentRead: true } },
    ]);
  });

  it('saves on condition that the stored version is the one before', async () => {
    ddb.on(PutCommand).resolves({});
    const next = application({ version: 2, status: 'agreed' });
    await store.save(next);
    expect(sent(ddb)).toStrictEqual([
      {
        command: 'PutCommand',
        input: {
          TableName: TABLE,
          Item: { pk: 'APP#app_1', sk: 'APPLICATION', version: 2, doc: next },
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': 1 },
        },
      },
      membershipPut('LA-A', 2, 'agreed', { ...summary, status: 'agreed' }),
      membershipPut('ICB-A', 2, 'agreed', { ...summary, status: 'agreed' }),
    ]);
  });

  it('turns a failed version condition into ConcurrentUpdateError and writes no membership', async () => {
    ddb.on(PutCommand).rejects(conflict());
    await expect(store.save(application({ version: 2 }))).rejects.toThrow(ConcurrentUpdateError);
    expect(sent(ddb).map((c) => c.command)).toStrictEqual(['PutCommand']);
  });

  it('leaves a newer membership alone (its condition fails quietly)', async () => {
    ddb.on(PutCommand, { ConditionExpression: '#version = :expected' }).resolves({});
    ddb.on(PutCommand, { ConditionExpression: 'attribute_not_exists(sk) OR #version <= :version' }).rejects(conflict());
    await expect(store.save(application({ version: 2 }))).resolves.toBeUndefined();
  });

  it('queries ByOrganisation newest first for one more than the page and returns a cursor that resumes after the page', async () => {
    const [A, B, C] = ['2024-06-01T09:00:01.000Z', '2024-06-01T09:00:02.000Z', '2024-06-01T09:00:03.000Z'];
    const item = (id: string, createdAt: string) => ({
      pk: `APP#${id}`,
      sk: 'PARTY#LA-A',
      gsi1pk: 'ORG#LA-A',
      gsi1sk: `${createdAt}#${id}`,
      summary: { ...summary, id, createdAt },
    });
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item('app_3', C), item('app_2', B), item('app_1', A)] })
      .resolvesOnce({ Items: [item('app_1', A)] });
    const first = await store.listForOrganisation('LA-A', { limit: 2 });
    expect(first.items).toStrictEqual([
      { ...summary, id: 'app_3', createdAt: C },
      { ...summary, id: 'app_2', createdAt: B },
    ]);
    const second = await store.listForOrganisation('LA-A', { limit: 2, cursor: first.cursor ?? '' });
    expect(second).toStrictEqual({ items: [{ ...summary, id: 'app_1', createdAt: A }] });
    const query = {
      TableName: TABLE,
      IndexName: 'ByOrganisation',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'gsi1pk' },
      ExpressionAttributeValues: { ':pk': 'ORG#LA-A' },
      ScanIndexForward: false,
      Limit: 3,
    };
    expect(sent(ddb)).toStrictEqual([
      { command: 'QueryCommand', input: query },
      {
        command: 'QueryCommand',
        input: { ...query, ExclusiveStartKey: { pk: 'APP#app_2', sk: 'PARTY#LA-A', gsi1pk: 'ORG#LA-A', gsi1sk: `${B}#app_2` } },
      },
    ]);
  });

  it('queries ByOrganisationStatus on the status partition', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect(await store.listForOrganisation('ICB-A', { status: 'interim', limit: 25 })).toStrictEqual({ items: [] });
    expect(sent(ddb)).toStrictEqual([
      {
        command: 'QueryCommand',
        input: {
          TableName: TABLE,
          IndexName: 'ByOrganisationStatus',
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'gsi2pk' },
          ExpressionAttributeValues: { ':pk': 'ORG#ICB-A#STATUS#interim' },
          ScanIndexForward: false,
          Limit: 26,
        },
      },
    ]);
  });

  it('rejects a bad cursor before querying', async () => {
    await expect(store.listForOrganisation('LA-A', { limit: 2, cursor: 'eyJ2IjoxfQ' })).rejects.toThrow(InvalidCursorError);
    expect(sent(ddb)).toStrictEqual([]);
  });
});

describe('DynamoChronology', () => {
  const entry = {
    key: 'submitted:app_1',
    at: '2024-06-01T09:00:00.000Z',
    type: 'ApplicationSubmitted',
    actor: { userId: 'u-la', org: 'LA-A' },
    applicationId: 'app_1',
    data: { x: 1 },
  };
  const content = { at: entry.at, type: entry.type, actor: entry.actor, applicationId: entry.applicationId, data: entry.data };
  const appended = { sequence: 8, ...content };
  const now = Date.parse('2024-06-01T09:00:05.000Z');
  const chronology = new DynamoChronology(db, TABLE, { now: () => now, fillAfterMs: 2_000 });
  const counterKey = { pk: 'PERSON#p_1', sk: 'CHRONCOUNTER' };
  const guardKey = { pk: 'PERSON#p_1', sk: 'CHRONKEY#submitted:app_1' };
  const claimNames = { '#claim': 'claim:submitted:app_1', '#slot': 'slot:submitted:app_1' };
  const writes = (sequence: number, key = 'submitted:app_1', written = appended) => [
    {
      command: 'PutCommand',
      input: {
        TableName: TABLE,
        Item: { pk: 'PERSON#p_1', sk: `CHRON#000000000${sequence}`, ...written, key },
        ConditionExpression: 'attribute_not_exists(sk)',
      },
    },
    { command: 'PutCommand', input: { TableName: TABLE, Item: { pk: 'PERSON#p_1', sk: `CHRONKEY#${key}`, sequence } } },
    {
      command: 'UpdateCommand',
      input: {
        TableName: TABLE,
        Key: counterKey,
        UpdateExpression: 'REMOVE #claim, #slot',
        ConditionExpression: '#slot = :slot',
        ExpressionAttributeNames: { '#claim': `claim:${key}`, '#slot': `slot:${key}` },
        ExpressionAttributeValues: { ':slot': sequence - 1 },
      },
    },
  ];

  it('guards the key, claims the next sequence with one atomic add on the counter, then writes the entry, the key and clears the claim', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ddb.on(UpdateCommand, { Key: counterKey, ReturnValues: 'ALL_NEW' }).resolves({
      Attributes: { ...counterKey, last: 8, 'claim:submitted:app_1': { claimedAt: now, entry: content }, 'slot:submitted:app_1': 7 },
    });
    expect(await chronology.append('p_1', entry)).toStrictEqual(appended);
    const calls = sent(ddb);
    const attempt = (calls[0]?.input as { Item: { attempt: string } }).Item.attempt;
    expect(calls).toStrictEqual([
      {
        command: 'PutCommand',
        input: { TableName: TABLE, Item: { ...guardKey, attempt, startedAt: now }, ConditionExpression: 'attribute_not_exists(sk)' },
      },
      {
        command: 'UpdateCommand',
        input: {
          TableName: TABLE,
          Key: counterKey,
          UpdateExpression: 'SET #last = #last + :one, #claim = :claim, #slot = #last',
          ConditionExpression: 'attribute_exists(#last) AND attribute_not_exists(#claim)',
          ExpressionAttributeNames: { '#last': 'last', ...claimNames },
          ExpressionAttributeValues: { ':one': 1, ':claim': { claimedAt: now, entry: content } },
          ReturnValues: 'ALL_NEW',
        },
      },
      ...writes(8),
    ]);
  });

  it("writes another key's claim older than fillAfterMs that the counter returns, before its own", async () => {
    const other = { ...content, applicationId: 'app_2' };
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ddb.on(UpdateCommand, { Key: counterKey, ReturnValues: 'ALL_NEW' }).resolves({
      Attributes: {
        ...counterKey,
        last: 8,
        'claim:dead': { claimedAt: now - 2_000, entry: other },
        'slot:dead': 6,
        'claim:live': { claimedAt: now - 1_999, entry: other },
        'slot:live': 5,
        'claim:submitted:app_1': { claimedAt: now, entry: content },
        'slot:submitted:app_1': 7,
      },
    });
    expect(await chronology.append('p_1', entry)).toStrictEqual(appended);
    expect(sent(ddb).slice(2)).toStrictEqual([...writes(7, 'dead', { sequence: 7, ...other }), ...writes(8)]);
  });

  it('starts a missing counter at the last entry written, then claims', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ sequence: 7 }] });
    ddb
      .on(UpdateCommand, { Key: counterKey, ReturnValues: 'ALL_NEW' })
      .rejectsOnce(conflict())
      .resolves({
        Attributes: { ...counterKey, last: 8, 'claim:submitted:app_1': { claimedAt: now, entry: content }, 'slot:submitted:app_1': 7 },
      });
    ddb.on(UpdateCommand, { UpdateExpression: 'REMOVE #claim, #slot' }).resolves({});
    expect(await chronology.append('p_1', entry)).toStrictEqual(appended);
    expect(sent(ddb).slice(2, 5)).toStrictEqual([
      { command: 'GetCommand', input: { TableName: TABLE, Key: counterKey, ConsistentRead: true } },
      {
        command: 'QueryCommand',
        input: {
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': 'PERSON#p_1', ':prefix': 'CHRON#' },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        },
      },
      {
        command: 'PutCommand',
        input: { TableName: TABLE, Item: { ...counterKey, last: 7 }, ConditionExpression: 'attribute_not_exists(pk)' },
      },
    ]);
  });

  it('returns the first entry for a key already appended, reading it by the sequence on the key', async () => {
    ddb.on(PutCommand).rejects(conflict());
    ddb.on(GetCommand, { Key: guardKey }).resolves({ Item: { ...guardKey, sequence: 8 } });
    ddb
      .on(GetCommand, { Key: { pk: 'PERSON#p_1', sk: 'CHRON#0000000008' } })
      .resolves({ Item: { pk: 'PERSON#p_1', sk: 'CHRON#0000000008', ...appended, key: 'submitted:app_1' } });
    expect(await chronology.append('p_1', { ...entry, data: { other: true } })).toStrictEqual(appended);
    expect(sent(ddb).slice(1)).toStrictEqual([
      { command: 'GetCommand', input: { TableName: TABLE, Key: guardKey, ConsistentRead: true } },
      { command: 'GetCommand', input: { TableName: TABLE, Key: { pk: 'PERSON#p_1', sk: 'CHRON#0000000008' }, ConsistentRead: true } },
    ]);
  });

  it("lists a person's entries for one application, page after page, strongly consistent", async () => {
    const stored = (n: number) => ({ pk: 'PERSON#p_1', sk: `CHRON#000000000${n}`, ...appended, sequence: n, key: `k${n}` });
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [stored(1)], LastEvaluatedKey: { pk: 'PERSON#p_1', sk: 'CHRON#0000000001' } })
      .resolvesOnce({ Items: [stored(2)] });
    expect(await chronology.list('p_1', { applicationId: 'app_1' })).toStrictEqual([
      { ...appended, sequence: 1 },
      { ...appended, sequence: 2 },
    ]);
    const query = {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'applicationId = :applicationId',
      ExpressionAttributeValues: { ':pk': 'PERSON#p_1', ':prefix': 'CHRON#', ':applicationId': 'app_1' },
      ConsistentRead: true,
    };
    expect(sent(ddb)).toStrictEqual([
      { command: 'QueryCommand', input: query },
      { command: 'QueryCommand', input: { ...query, ExclusiveStartKey: { pk: 'PERSON#p_1', sk: 'CHRON#0000000001' } } },
    ]);
  });
});

describe('DynamoIdempotencyStore', () => {
  const store = new DynamoIdempotencyStore(db, TABLE);
  const T = '2024-06-01T09:00:00.000Z';
  const epoch = Date.parse(T) / 1000;
  const key = { pk: 'IDEM#LA-A#key-1', sk: 'IDEM' };

  it('claims with a put that only replaces a missing or expired record', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await store.claim('LA-A', 'key-1', 'hash-1', T)).toStrictEqual({ claimed: true });
    expect(sent(ddb)).toStrictEqual([
      {
        command: 'PutCommand',
        input: {
          TableName: TABLE,
          Item: { ...key, requestHash: 'hash-1', status: 'in-progress', startedAt: T, expiresAt: epoch + 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':now': epoch },
        },
      },
    ]);
  });

  it('reads the existing record strongly consistently when the key is taken', async () => {
    ddb.on(PutCommand).rejects(conflict());
    ddb.on(GetCommand).resolves({
      Item: {
        ...key,
        requestHash: 'hash-0',
        status: 'completed',
        startedAt: T,
        response: { statusCode: 201, resourceId: 'a' },
      },
    });
    expect(await store.claim('LA-A', 'key-1', 'hash-1', T)).toStrictEqual({
      claimed: false,
      record: { requestHash: 'hash-0', status: 'completed', startedAt: T, response: { statusCode: 201, resourceId: 'a' } },
    });
    expect(sent(ddb)[1]).toStrictEqual({ command: 'GetCommand', input: { TableName: TABLE, Key: key, ConsistentRead: true } });
  });

  it('completes with an update conditional on the record existing, removing the expiry so the hash is kept', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.complete('LA-A', 'key-1', { statusCode: 201, resourceId: 'a' });
    expect(sent(ddb)).toStrictEqual([
      {
        command: 'UpdateCommand',
        input: {
          TableName: TABLE,
          Key: key,
          UpdateExpression: 'SET #status = :completed, #response = :response REMOVE #expiresAt',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status', '#response': 'response', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':completed': 'completed', ':response': { statusCode: 201, resourceId: 'a' } },
        },
      },
    ]);
  });

  it('raises IdempotencyRecordNotFoundError when completing a missing record', async () => {
    ddb.on(UpdateCommand).rejects(conflict());
    await expect(store.complete('LA-A', 'key-1', { statusCode: 201, resourceId: 'a' })).rejects.toThrow(IdempotencyRecordNotFoundError);
  });

  it('reclaims with an update conditional on the in-progress start time, false when it fails', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conflict());
    const later = '2024-06-01T09:05:00.000Z';
    expect(await store.reclaim('LA-A', 'key-1', T, later)).toBe(true);
    expect(await store.reclaim('LA-A', 'key-1', T, later)).toBe(false);
    expect(sent(ddb)[0]).toStrictEqual({
      command: 'UpdateCommand',
      input: {
        TableName: TABLE,
        Key: key,
        UpdateExpression: 'SET #startedAt = :at, #expiresAt = :expiresAt',
        ConditionExpression: '#status = :inProgress AND #startedAt = :startedAt',
        ExpressionAttributeNames: { '#status': 'status', '#startedAt': 'startedAt', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: {
          ':inProgress': 'in-progress',
          ':startedAt': T,
          ':at': later,
          ':expiresAt': Date.parse(later) / 1000 + 86_400,
        },
      },
    });
  });
});

describe('DynamoDirectory', () => {
  let now = 0;
  const org = {
    pk: 'DIRECTORY',
    sk: 'ORG#LA-A',
    code: 'LA-A',
    kind: 'la',
    name: 'Council A',
    email: 'a@la.example',
    partnerships: ['test'],
  };
  const user = { pk: 'DIRECTORY', sk: 'USER#u1', id: 'u1', name: 'Sam', email: 's@la.example', org: 'LA-A', role: 'commissioner' };

  it('reads the directory partition once per 60 seconds', async () => {
    now = 1_000;
    const directory = new DynamoDirectory(db, TABLE, { now: () => now });
    ddb.on(QueryCommand).resolves({ Items: [org, user] });
    expect(await directory.organisation('LA-A')).toStrictEqual({ code: 'LA-A', kind: 'la', name: 'Council A', email: 'a@la.example' });
    expect(await directory.partnershipsOf('LA-A')).toStrictEqual(['test']);
    now += 59_999;
    expect(await directory.user('u1')).toStrictEqual({ id: 'u1', name: 'Sam', email: 's@la.example', org: 'LA-A', role: 'commissioner' });
    expect(sent(ddb)).toStrictEqual([
      {
        command: 'QueryCommand',
        input: { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'DIRECTORY' } },
      },
    ]);
    now += 1;
    await directory.organisations();
    expect(sent(ddb).map((c) => c.command)).toStrictEqual(['QueryCommand', 'QueryCommand']);
  });

  it('gets a partnership by key and caches it', async () => {
    const directory = new DynamoDirectory(db, TABLE, { now: () => 0 });
    ddb.on(GetCommand).resolves({ Item: { pk: 'PARTNERSHIP#test', sk: 'CONFIG', partnership } });
    expect(await directory.partnership('test')).toStrictEqual(partnership);
    expect(await directory.partnership('test')).toStrictEqual(partnership);
    expect(sent(ddb)).toStrictEqual([
      { command: 'GetCommand', input: { TableName: TABLE, Key: { pk: 'PARTNERSHIP#test', sk: 'CONFIG' } } },
    ]);
  });

  it('writes organisations, partnerships and users with plain puts', async () => {
    const directory = new DynamoDirectory(db, TABLE);
    ddb.on(PutCommand).resolves({});
    await directory.putOrganisation({ code: 'LA-A', kind: 'la', name: 'Council A', email: 'a@la.example', partnerships: ['test'] });
    await directory.putPartnership(partnership);
    await directory.putUser({ id: 'u1', name: 'Sam', email: 's@la.example', org: 'LA-A', role: 'commissioner' });
    expect(sent(ddb)).toStrictEqual([
      { command: 'PutCommand', input: { TableName: TABLE, Item: org } },
      { command: 'PutCommand', input: { TableName: TABLE, Item: { pk: 'PARTNERSHIP#test', sk: 'CONFIG', partnership } } },
      { command: 'PutCommand', input: { TableName: TABLE, Item: user } },
    ]);
  });
});

describe('DynamoTaskTokenStore and DynamoMailLog', () => {
  it('puts, reads consistently and deletes the token item', async () => {
    const tokens = new DynamoTaskTokenStore(db, TABLE);
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { token: 'tok' } });
    ddb.on(DeleteCommand).resolves({});
    const ref = { applicationId: 'app_1', purpose: 'response-la' };
    await tokens.put(ref, 'tok', '2024-06-01T09:00:00.000Z');
    expect(await tokens.get(ref)).toBe('tok');
    await tokens.remove(ref);
    const Key = { pk: 'APP#app_1', sk: 'TOKEN#response-la' };
    expect(sent(ddb)).toStrictEqual([
      { command: 'PutCommand', input: { TableName: TABLE, Item: { ...Key, token: 'tok', at: '2024-06-01T09:00:00.000Z' } } },
      { command: 'GetCommand', input: { TableName: TABLE, Key, ConsistentRead: true } },
      { command: 'DeleteCommand', input: { TableName: TABLE, Key } },
    ]);
  });

  it('checks and records a sent mail under MAIL#<purpose>#<recipient>', async () => {
    const log = new DynamoMailLog(db, TABLE);
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    expect(await log.wasSent('app_1', 'request-response', 'a@la.example')).toBe(false);
    await log.markSent('app_1', 'request-response', 'a@la.example', '2024-06-01T09:00:00.000Z');
    const Key = { pk: 'APP#app_1', sk: 'MAIL#request-response#a@la.example' };
    expect(sent(ddb)).toStrictEqual([
      { command: 'GetCommand', input: { TableName: TABLE, Key, ConsistentRead: true } },
      { command: 'PutCommand', input: { TableName: TABLE, Item: { ...Key, at: '2024-06-01T09:00:00.000Z' } } },
    ]);
  });
});
