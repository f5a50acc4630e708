/**
 * The create handler over the real DynamoDB and Step Functions adapters with the SDK mocked: every command
 * it sends, with keys and condition expressions, in order.
 */
import './quiet-logs.ts';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { applicationIdFor } from '#functions/api/create-application.use-case.ts';
import { handler } from '#functions/api/create-application.handler.ts';
import { resetEnv } from '#functions/shared/env.ts';
import { personRef } from '#functions/shared/person-ref.ts';
import { context } from '../../fixtures/context.ts';
import { partnership } from '../../support/application-builder.ts';
import { answer, createBody, event, PERSON_REF_KEY, servePersonRefKey, STATE_MACHINE_ARN } from './support.ts';

const TABLE = 'S117-test-Register-1ABCDEF';
const ENV = {
  REGISTER_TABLE_NAME: TABLE,
  FUNDING_STATE_MACHINE_ARN: STATE_MACHINE_ARN,
  MAIL_FROM: 's117@example.test',
  APP_BASE_URL: 'https://s117.example.test',
};
const NOW = '2024-06-01T09:00:00.000Z';
const KEY = 'create-7d3f2a9c';
const ID = applicationIdFor('LA-A', KEY);
const REF = personRef('9434765919', PERSON_REF_KEY, 'test');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  for (const [name, value] of Object.entries(ENV)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  servePersonRefKey(async () => PERSON_REF_KEY);
  resetEnv();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
});

afterAll(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
  resetEnv();
});

const ARRANGEMENT = `arr_${ID.replace(/^app_/, '')}_1`;
const BASIS =
  "The application was submitted and the bodies have not yet answered, so interim funding starts on 2024-06-10, without prejudice to who is finally responsible; care does not wait. LA-A leads. LA-A leads as the partnership's interim lead (the council) until the bodies answer (R-WP-DISP-2).";

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'DIRECTORY' } }).resolves({
    Items: [
      { pk: 'DIRECTORY', sk: 'ORG#LA-A', code: 'LA-A', kind: 'la', name: 'Council A', email: 'la-a@example.test', partnerships: ['test'] },
    ],
  });
  ddb.on(GetCommand).resolves({});
  ddb
    .on(GetCommand, { Key: { pk: 'PARTNERSHIP#test', sk: 'CONFIG' } })
    .resolves({ Item: { pk: 'PARTNERSHIP#test', sk: 'CONFIG', partnership } });
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb
    .on(UpdateCommand, { ReturnValues: 'ALL_NEW' })
    .callsFake((input: { ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> }) => {
      const names = input.ExpressionAttributeNames;
      return { Attributes: { last: 1, [names['#claim'] ?? '']: input.ExpressionAttributeValues[':claim'], [names['#slot'] ?? '']: 0 } };
    });
  sfn
    .on(StartExecutionCommand)
    .resolves({ executionArn: `arn:aws:states:eu-west-2:123456789012:execution:FundingApplication:${ID}`, startDate: new Date(NOW) });
});

const inputs = <T extends object>(calls: { args: [{ input: T }] }[]): T[] => calls.map((c) => c.args[0].input);

describe('POST /v1/applications handler over DynamoDB and Step Functions', () => {
  it('sends exactly the claim, create, membership, chronology, start and complete commands', async () => {
    const result = answer(await handler(event('create-application'), context));

    expect(result.statusCode).toBe(201);
    const body = createBody() as { facts: Application['facts'] };
    const app: Application = {
      id: ID,
      partnershipId: 'test',
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
      submittedBy: { userId: '5f1c2b3a-8d9e-4f00-a1b2-c3d4e5f60718', org: 'LA-A', orgKind: 'la' },
      personRef: REF,
      person: { nhsNumber: '9434765919', name: 'Alex Example' },
      facts: body.facts,
      carePlan: {
        serviceLines: [
          {
            id: 'line-1',
            description: 'Supported living, 24-hour staffed',
            provider: 'Riverside Care Ltd',
            category: 'accommodation',
            s117: true,
            weeklyCostPence: 185000,
            startDate: '2024-06-10',
          },
          {
            id: 'cpn',
            description: 'Community psychiatric nurse, weekly visit',
            provider: 'County NHS Trust',
            category: 'health',
            s117: true,
            weeklyCostPence: 12000,
            startDate: '2024-06-10',
          },
          {
            id: 'line-2',
            description: 'Day centre lunch club',
            provider: 'Riverside Care Ltd',
            category: 'social-care',
            s117: false,
            weeklyCostPence: 2500,
            startDate: '2024-06-10',
            endDate: '2024-12-31',
          },
        ],
      },
      requestedStartDate: '2024-06-10',
      status: 'submitted',
      determination: null,
      parties: ['LA-A'],
      responses: {},
      arrangements: [
        {
          id: ARRANGEMENT,
          state: 'interim',
          withoutPrejudice: true,
          startDate: '2024-06-10',
          lead: 'LA-A',
          shares: [
            { body: 'ICB-A', party: 'icb', basisPoints: 5000 },
            { body: 'LA-A', party: 'la', basisPoints: 5000 },
          ],
          basis: BASIS,
          ruleIds: ['R-WP-GEN-5', 'R-DISP-LA-3', 'R-APP-1', 'R-WP-DISP-2'],
          cause: 'submission',
          createdAt: NOW,
        },
      ],
    };
    const expiresAt = Math.floor(Date.parse(NOW) / 1000) + 86_400;
    const entry = {
      sequence: 1,
      at: NOW,
      type: 'application-submitted',
      actor: { userId: '5f1c2b3a-8d9e-4f00-a1b2-c3d4e5f60718', org: 'LA-A' },
      applicationId: ID,
      data: { partnershipId: 'test', serviceLineCount: 3, weeklyS117CostPence: 197000, requestedStartDate: '2024-06-10' },
    };
    // The mocked Query finds no earlier entry, so the interim funding entry also takes sequence 1 here.
    const interimKey = `interim-funding-started:${ID}:${ARRANGEMENT}`;
    const interimEntry = {
      sequence: 1,
      at: NOW,
      type: 'interim-funding-started',
      actor: { system: 'funding-application/Submit' },
      applicationId: ID,
      data: {
        arrangementId: ARRANGEMENT,
        state: 'interim',
        withoutPrejudice: true,
        startDate: '2024-06-10',
        lead: 'LA-A',
        shares: [
          { body: 'ICB-A', party: 'icb', percentage: 50 },
          { body: 'LA-A', party: 'la', percentage: 50 },
        ],
        basis: BASIS,
        ruleIds: ['R-WP-GEN-5', 'R-DISP-LA-3', 'R-APP-1', 'R-WP-DISP-2'],
      },
    };

    expect(inputs(ddb.commandCalls(PutCommand))).toStrictEqual([
      {
        TableName: TABLE,
        Item: {
          pk: `IDEM#LA-A#${KEY}`,
          sk: 'IDEM',
          requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
          status: 'in-progress',
          startedAt: NOW,
          expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt <= :now',
        ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':now': expiresAt - 86_400 },
      },
      {
        TableName: TABLE,
        Item: { pk: `APP#${ID}`, sk: 'APPLICATION', version: 1, doc: app },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      {
        TableName: TABLE,
        Item: {
          pk: `APP#${ID}`,
          sk: 'PARTY#LA-A',
          gsi1pk: 'ORG#LA-A',
          gsi1sk: `${NOW}#${ID}`,
          gsi2pk: 'ORG#LA-A#STATUS#submitted',
          gsi2sk: `${NOW}#${ID}`,
          version: 1,
          summary: { id: ID, status: 'submitted', personRef: REF, requestedStartDate: '2024-06-10', createdAt: NOW, updatedAt: NOW },
        },
        ConditionExpression: 'attribute_not_exists(sk) OR #version <= :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': 1 },
      },
      {
        TableName: TABLE,
        Item: { pk: `PERSON#${REF}`, sk: `CHRONKEY#submitted:${ID}`, attempt: expect.any(String), startedAt: Date.parse(NOW) },
        ConditionExpression: 'attribute_not_exists(sk)',
      },
      {
        TableName: TABLE,
        Item: { pk: `PERSON#${REF}`, sk: 'CHRON#0000000001', ...entry, key: `submitted:${ID}` },
        ConditionExpression: 'attribute_not_exists(sk)',
      },
      { TableName: TABLE, Item: { pk: `PERSON#${REF}`, sk: `CHRONKEY#submitted:${ID}`, sequence: 1 } },
      {
        TableName: TABLE,
        Item: { pk: `PERSON#${REF}`, sk: `CHRONKEY#${interimKey}`, attempt: expect.any(String), startedAt: Date.parse(NOW) },
        ConditionExpression: 'attribute_not_exists(sk)',
      },
      {
        TableName: TABLE,
        Item: { pk: `PERSON#${REF}`, sk: 'CHRON#0000000001', ...interimEntry, key: interimKey },
        ConditionExpression: 'attribute_not_exists(sk)',
      },
      { TableName: TABLE, Item: { pk: `PERSON#${REF}`, sk: `CHRONKEY#${interimKey}`, sequence: 1 } },
    ]);
    const claimed = { at: entry.at, type: entry.type, actor: entry.actor, applicationId: ID, data: entry.data };
    const interimClaimed = {
      at: interimEntry.at,
      type: interimEntry.type,
      actor: interimEntry.actor,
      applicationId: ID,
      data: interimEntry.data,
    };
    expect(inputs(ddb.commandCalls(UpdateCommand))).toStrictEqual([
      {
        TableName: TABLE,
        Key: { pk: `PERSON#${REF}`, sk: 'CHRONCOUNTER' },
        UpdateExpression: 'SET #last = #last + :one, #claim = :claim, #slot = #last',
        ConditionExpression: 'attribute_exists(#last) AND attribute_not_exists(#claim)',
        ExpressionAttributeNames: { '#last': 'last', '#claim': `claim:submitted:${ID}`, '#slot': `slot:submitted:${ID}` },
        ExpressionAttributeValues: { ':one': 1, ':claim': { claimedAt: Date.parse(NOW), entry: claimed } },
        ReturnValues: 'ALL_NEW',
      },
      {
        TableName: TABLE,
        Key: { pk: `PERSON#${REF}`, sk: 'CHRONCOUNTER' },
        UpdateExpression: 'REMOVE #claim, #slot',
        ConditionExpression: '#slot = :slot',
        ExpressionAttributeNames: { '#claim': `claim:submitted:${ID}`, '#slot': `slot:submitted:${ID}` },
        ExpressionAttributeValues: { ':slot': 0 },
      },
      {
        TableName: TABLE,
        Key: { pk: `PERSON#${REF}`, sk: 'CHRONCOUNTER' },
        UpdateExpression: 'SET #last = #last + :one, #claim = :claim, #slot = #last',
        ConditionExpression: 'attribute_exists(#last) AND attribute_not_exists(#claim)',
        ExpressionAttributeNames: { '#last': 'last', '#claim': `claim:${interimKey}`, '#slot': `slot:${interimKey}` },
        ExpressionAttributeValues: { ':one': 1, ':claim': { claimedAt: Date.parse(NOW), entry: interimClaimed } },
        ReturnValues: 'ALL_NEW',
      },
      {
        TableName: TABLE,
        Key: { pk: `PERSON#${REF}`, sk: 'CHRONCOUNTER' },
        UpdateExpression: 'REMOVE #claim, #slot',
        ConditionExpression: '#slot = :slot',
        ExpressionAttributeNames: { '#claim': `claim:${interimKey}`, '#slot': `slot:${interimKey}` },
        ExpressionAttributeValues: { ':slot': 0 },
      },
      {
        TableName: TABLE,
        Key: { pk: `IDEM#LA-A#${KEY}`, sk: 'IDEM' },
        UpdateExpression: 'SET #status = :completed, #response = :response REMOVE #expiresAt',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status', '#response': 'response', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':completed': 'completed', ':response': { statusCode: 201, resourceId: ID } },
      },
    ]);
    expect(inputs(ddb.commandCalls(GetCommand))).toStrictEqual([{ TableName: TABLE, Key: { pk: 'PARTNERSHIP#test', sk: 'CONFIG' } }]);
    expect(inputs(ddb.commandCalls(QueryCommand))).toStrictEqual([
      { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'DIRECTORY' } },
    ]);
    expect(inputs(sfn.commandCalls(StartExecutionCommand))).toStrictEqual([
      { stateMachineArn: STATE_MACHINE_ARN, name: ID, input: JSON.stringify({ applicationId: ID }) },
    ]);
  });

  it('answers a completed key from the application it names without writing anything else', async () => {
    const first = answer(await handler(event('create-application'), context));
    const [idem, created] = inputs(ddb.commandCalls(PutCommand)) as { Item: Record<string, unknown> }[];
    ddb.reset();
    sfn.reset();
    ddb.on(PutCommand).rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
    ddb
      .on(GetCommand, { Key: { pk: `IDEM#LA-A#${KEY}`, sk: 'IDEM' } })
      .resolves({ Item: { ...idem?.Item, status: 'completed', response: { statusCode: 201, resourceId: ID } } });
    ddb.on(GetCommand, { Key: { pk: `APP#${ID}`, sk: 'APPLICATION' } }).resolves({ Item: created?.Item });

    const replay = answer(await handler(event('create-application'), context));

    expect(replay).toStrictEqual(first);
    expect(inputs(ddb.commandCalls(PutCommand))).toHaveLength(1);
    expect(inputs(ddb.commandCalls(GetCommand))).toStrictEqual([
      { TableName: TABLE, Key: { pk: `IDEM#LA-A#${KEY}`, sk: 'IDEM' }, ConsistentRead: true },
      { TableName: TABLE, Key: { pk: `APP#${ID}`, sk: 'APPLICATION' }, ConsistentRead: true },
    ]);
    expect(ddb.commandCalls(UpdateCommand)).toStrictEqual([]);
    expect(sfn.commandCalls(StartExecutionCommand)).toStrictEqual([]);
  });

  it('sends nothing to the table or the state machine for an invalid body', async () => {
    const result = answer(
      await handler(event('create-application', { body: { ...createBody(), requestedStartDate: '10/06/2024' } }), context),
    );

    expect(result.statusCode).toBe(400);
    expect(ddb.calls()).toStrictEqual([]);
    expect(sfn.calls()).toStrictEqual([]);
  });

  it('answers a bare 500, without internals, when the table fails', async () => {
    ddb.on(PutCommand).rejects(
      Object.assign(new Error(`Throughput exceeded for ${TABLE} key IDEM#LA-A#${KEY}`), {
        name: 'ProvisionedThroughputExceededException',
      }),
    );

    const result = answer(await handler(event('create-application'), context));

    expect(result).toStrictEqual({
      statusCode: 500,
      headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
      body: {
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'The server could not complete the request.',
        instance: '/v1/applications',
      },
    });
  });
});
