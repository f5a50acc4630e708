/**
 * Every route through its real handler (middy stack, auth, validation, problem answers) over the in-memory
 * ports: the happy paths, every 4xx, and cross-organisation access refused with 404.
 */
import './quiet-logs.ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { determine } from '#domain/responsibility/determine.ts';
import { applicationIdFor } from '#functions/api/create-application.use-case.ts';
import { toApplicationView } from '#functions/api/application-view.ts';
import { handler as createHandler } from '#functions/api/create-application.handler.ts';
import { handler as getHandler } from '#functions/api/get-application.handler.ts';
import { handler as listHandler } from '#functions/api/list-applications.handler.ts';
import { handler as respondHandler } from '#functions/api/record-response.handler.ts';
import { handler as chronologyHandler } from '#functions/api/get-chronology.handler.ts';
import { handler as determineHandler } from '#functions/api/determine.handler.ts';
import { handler as openApiHandler } from '#functions/api/openapi.handler.ts';
import { ItemTooLargeError } from '#functions/adapters/item-size.ts';
import { MAX_CASE_EVENTS } from '#functions/api/common.schema.ts';
import { MAX_JSON_BODY_BYTES } from '#functions/shared/middy.ts';
import { personRef } from '#functions/shared/person-ref.ts';
import { context } from '../../fixtures/context.ts';
import { inForceOn, partnershipPolicies } from '#domain/funding/ledger.ts';
import { application, partnership } from '../../support/application-builder.ts';
import {
  answer,
  createBody,
  event,
  fixture,
  installPorts,
  memoryDeps,
  PERSON_REF_KEY,
  STATE_MACHINE_ARN,
  type FixtureName,
  type TestDeps,
} from './support.ts';

let deps: TestDeps;
beforeEach(() => {
  deps = memoryDeps();
  installPorts(deps);
});

const PROBLEM_HEADERS = { 'content-type': 'application/problem+json', 'cache-control': 'no-store' };
const problem = (
  status: number,
  title: string,
  type: string,
  detail: string,
  instance: string,
  errors?: { field: string; message: string }[],
) => ({ type, title, status, detail, instance, ...(errors === undefined ? {} : { errors }) });
const APP_ID = applicationIdFor('LA-A', 'create-7d3f2a9c');

async function stored(app: Application): Promise<Application> {
  await deps.applications.create(app);
  return app;
}

const SUBMISSION_ARRANGEMENT = `arr_${APP_ID.replace(/^app_/, '')}_1`;
const SUBMISSION_SHARES = [
  { body: 'ICB-A', party: 'icb', percentage: 50, basisPoints: 5000 },
  { body: 'LA-A', party: 'la', percentage: 50, basisPoints: 5000 },
];
const SUBMISSION_BASIS =
  "The application was submitted and the bodies have not yet answered, so interim funding starts on 2024-06-10, without prejudice to who is finally responsible; care does not wait. LA-A leads. LA-A leads as the partnership's interim lead (the council) until the bodies answer (R-WP-DISP-2).";

describe('POST /v1/applications', () => {
  it('submits an application: 201 with the view and Location, and one application, chronology entry and workflow start', async () => {
    const result = answer(await createHandler(event('create-application'), context));

    const ref = personRef('9434765919', PERSON_REF_KEY, 'test');
    const body = createBody() as { facts: Application['facts'] };
    expect(result).toStrictEqual({
      statusCode: 201,
      headers: { 'cache-control': 'no-store', 'content-type': 'application/json', location: `/v1/applications/${APP_ID}` },
      body: {
        id: APP_ID,
        status: 'submitted',
        partnershipId: 'test',
        personRef: ref,
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
        submittedBy: { userId: '5f1c2b3a-8d9e-4f00-a1b2-c3d4e5f60718', org: 'LA-A' },
        parties: ['LA-A'],
        determination: null,
        responses: {},
        funding: {
          state: 'interim',
          startDate: '2024-06-10',
          lead: 'LA-A',
          shares: SUBMISSION_SHARES,
          withoutPrejudice: true,
          basis: SUBMISSION_BASIS,
          arrangementId: SUBMISSION_ARRANGEMENT,
        },
        arrangements: [
          {
            id: SUBMISSION_ARRANGEMENT,
            state: 'interim',
            withoutPrejudice: true,
            startDate: '2024-06-10',
            lead: 'LA-A',
            shares: SUBMISSION_SHARES,
            basis: SUBMISSION_BASIS,
            ruleIds: ['R-WP-GEN-5', 'R-DISP-LA-3', 'R-APP-1', 'R-WP-DISP-2'],
            createdAt: '2024-06-01T09:00:00.000Z',
          },
        ],
        createdAt: '2024-06-01T09:00:00.000Z',
        updatedAt: '2024-06-01T09:00:00.000Z',
        version: 1,
      },
    });
    expect(await deps.chronology.list(ref)).toStrictEqual([
      {
        sequence: 1,
        at: '2024-06-01T09:00:00.000Z',
        type: 'application-submitted',
        actor: { userId: '5f1c2b3a-8d9e-4f00-a1b2-c3d4e5f60718', org: 'LA-A' },
        applicationId: APP_ID,
        data: { partnershipId: 'test', serviceLineCount: 3, weeklyS117CostPence: 197000, requestedStartDate: '2024-06-10' },
      },
      {
        sequence: 2,
        at: '2024-06-01T09:00:00.000Z',
        type: 'interim-funding-started',
        actor: { system: 'funding-application/Submit' },
        applicationId: APP_ID,
        data: {
          arrangementId: SUBMISSION_ARRANGEMENT,
          state: 'interim',
          withoutPrejudice: true,
          startDate: '2024-06-10',
          lead: 'LA-A',
          shares: [
            { body: 'ICB-A', party: 'icb', percentage: 50 },
            { body: 'LA-A', party: 'la', percentage: 50 },
          ],
          basis: SUBMISSION_BASIS,
          ruleIds: ['R-WP-GEN-5', 'R-DISP-LA-3', 'R-APP-1', 'R-WP-DISP-2'],
        },
      },
    ]);
    expect(deps.memory.workflow.starts).toStrictEqual([
      {
        stateMachineArn: STATE_MACHINE_ARN,
        name: APP_ID,
        input: { applicationId: APP_ID },
        executionArn: `arn:aws:states:eu-west-2:123456789012:execution:FundingApplication:${APP_ID}`,
      },
    ]);
  });

  it('answers a replay with the identical response and creates nothing more', async () => {
    const first = await createHandler(event('create-application'), context);
    deps.clock.set('2024-06-01T09:05:00.000Z');

    const second = await createHandler(event('create-application'), context);

    expect(second).toStrictEqual(first);
    expect((await deps.applications.listForOrganisation('LA-A', { limit: 10 })).items).toHaveLength(1);
    expect(deps.memory.workflow.starts).toHaveLength(1);
    expect((await deps.chronology.list(personRef('9434765919', PERSON_REF_KEY, 'test'))).map((e) => e.type)).toStrictEqual([
      'application-submitted',
      'interim-funding-started',
    ]);
  });

  it('refuses the same key with a different body: 422 naming the header', async () => {
    await createHandler(event('create-application'), context);
    const changed = { ...createBody(), requestedStartDate: '2024-06-17' };

    const result = answer(await createHandler(event('create-application', { body: changed }), context));

    expect(result).toStrictEqual({
      statusCode: 422,
      headers: PROBLEM_HEADERS,
      body: problem(
        422,
        'Unprocessable Content',
        'urn:s117:problem:unprocessable',
        'This Idempotency-Key was already used with a different body; use a new key for a new application.',
        '/v1/applications',
        [{ field: 'headers.idempotency-key', message: 'was already used with a different body' }],
      ),
    });
    expect(deps.memory.workflow.starts).toHaveLength(1);
  });

  it('refuses a body over 256 KiB: 413 naming the limit, and records nothing', async () => {
    const body = createBody() as { person: { name: string } };
    body.person.name = 'x'.repeat(MAX_JSON_BODY_BYTES);

    const result = answer(await createHandler(event('create-application', { body }), context));

    expect(result).toStrictEqual({
      statusCode: 413,
      headers: PROBLEM_HEADERS,
      body: problem(
        413,
        'Content Too Large',
        'urn:s117:problem:too-large',
        'The request body is over the 262144-byte limit.',
        '/v1/applications',
        [{ field: 'body', message: 'must be at most 262144 bytes' }],
      ),
    });
    expect(deps.memory.workflow.starts).toStrictEqual([]);
    expect(await deps.applications.get(APP_ID)).toBeNull();
  });

  it('refuses a case with more than 500 events: 400 naming body.facts.events and the limit', async () => {
    const body = createBody() as { facts: { events: unknown[] } };
    const [first] = body.facts.events;
    body.facts.events = Array.from({ length: MAX_CASE_EVENTS + 1 }, () => first);

    const result = answer(await createHandler(event('create-application', { body }), context));

    expect(result.statusCode).toBe(400);
    expect((result.body as { errors: unknown }).errors).toStrictEqual([
      { field: 'body.facts.events', message: 'must list at most 500 events (the limit)' },
    ]);
    expect(deps.memory.workflow.starts).toStrictEqual([]);
  });

  it('answers 413 naming the item limit when the record would be too large, and releases the key for a retry', async () => {
    vi.spyOn(deps.applications, 'create').mockRejectedValueOnce(new ItemTooLargeError('application', 409_601));

    const refused = answer(await createHandler(event('create-application'), context));
    const retried = answer(await createHandler(event('create-application'), context));

    expect(refused).toStrictEqual({
      statusCode: 413,
      headers: PROBLEM_HEADERS,
      body: problem(
        413,
        'Content Too Large',
        'urn:s117:problem:too-large',
        "The record this request would write is over DynamoDB's 409600-byte (400 KB) item limit.",
        '/v1/applications',
        [{ field: 'body', message: 'makes a record over the 409600-byte item limit' }],
      ),
    });
    expect(retried.statusCode).toBe(201);
    expect(deps.memory.workflow.starts).toHaveLength(1);
  });

  it('refuses an invalid NHS number: 400 naming body.person.nhsNumber, and records nothing', async () => {
    const body = createBody() as { person: { nhsNumber: string } };
    body.person.nhsNumber = '943 476 5918';

    const result = answer(await createHandler(event('create-application', { body }), context));

    expect(result).toStrictEqual({
      statusCode: 400,
      headers: PROBLEM_HEADERS,
      body: problem(400, 'Bad Request', 'urn:s117:problem:invalid-request', 'The request has a problem; see errors.', '/v1/applications', [
        {
          field: 'body.person.nhsNumber',
          message: 'must be a valid NHS number: ten digits (spaces allowed) with a correct modulus 11 check digit',
        },
      ]),
    });
    expect(deps.memory.workflow.starts).toStrictEqual([]);
  });

  it('refuses a request without an Idempotency-Key: 400 naming the header', async () => {
    const result = answer(await createHandler(event('create-application', { headers: { 'idempotency-key': undefined } }), context));

    expect(result).toStrictEqual({
      statusCode: 400,
      headers: PROBLEM_HEADERS,
      body: problem(400, 'Bad Request', 'urn:s117:problem:invalid-request', 'The request has a problem; see errors.', '/v1/applications', [
        { field: 'headers.idempotency-key', message: 'is required (a string)' },
      ]),
    });
  });

  it('names every offending field at once, across headers and body', async () => {
    const body = createBody() as { carePlan: { serviceLines: Record<string, unknown>[] }; facts: { events: Record<string, unknown>[] } };
    const [line] = body.carePlan.serviceLines;
    if (line === undefined) throw new Error('fixture has no service line');
    line['endDate'] = '2024-06-01';
    line['weeklyCostPence'] = 10.5;
    body.facts.events[0] = { ...body.facts.events[0], from: '2023-02-30' };

    const result = answer(await createHandler(event('create-application', { body, headers: { 'idempotency-key': 'has space' } }), context));

    expect(result.statusCode).toBe(400);
    expect((result.body as { errors: unknown }).errors).toStrictEqual([
      { field: 'headers.idempotency-key', message: 'must be 1 to 128 letters, digits or _.:-' },
      { field: 'body.facts.events[0].from', message: '"2023-02-30" is not a real calendar date' },
      { field: 'body.carePlan.serviceLines[0].weeklyCostPence', message: 'must be an int, not a number' },
    ]);
  });

  it('refuses an end date before the start date, naming the line field', async () => {
    const body = createBody() as { carePlan: { serviceLines: Record<string, unknown>[] } };
    body.carePlan.serviceLines[2] = { ...body.carePlan.serviceLines[2], endDate: '2024-06-09' };

    const result = answer(await createHandler(event('create-application', { body }), context));

    expect((result.body as { errors: unknown }).errors).toStrictEqual([
      { field: 'body.carePlan.serviceLines[2].endDate', message: 'must not be before startDate' },
    ]);
  });

  it('refuses malformed JSON: 400 naming body', async () => {
    const result = answer(await createHandler(event('create-application', { body: '{"person": {' }), context));

    expect(result).toStrictEqual({
      statusCode: 400,
      headers: PROBLEM_HEADERS,
      body: problem(400, 'Bad Request', 'urn:s117:problem:invalid-request', 'The request body is not valid JSON.', '/v1/applications', [
        { field: 'body', message: 'is not valid JSON' },
      ]),
    });
  });

  it.each(['panel', 'finance'])('refuses the %s role: 403', async (role) => {
    const result = answer(await createHandler(event('create-application', { role }), context));

    expect(result).toStrictEqual({
      statusCode: 403,
      headers: PROBLEM_HEADERS,
      body: problem(
        403,
        'Forbidden',
        'urn:s117:problem:forbidden',
        `This action needs the role commissioner or admin; the caller is ${role}.`,
        '/v1/applications',
      ),
    });
    expect(deps.memory.workflow.starts).toStrictEqual([]);
  });

  it('refuses a request without authorizer claims: 401 with WWW-Authenticate: Bearer', async () => {
    const e = event('create-application');
    const { authorizer: _dropped, ...requestContext } = e.requestContext;
    void _dropped;

    const result = answer(await createHandler({ ...e, requestContext }, context));

    expect(result).toStrictEqual({
      statusCode: 401,
      headers: { 'www-authenticate': 'Bearer', ...PROBLEM_HEADERS },
      body: problem(401, 'Unauthorized', 'urn:s117:problem:unauthenticated', 'A bearer token is required.', '/v1/applications'),
    });
  });

  it('refuses claims without an organisation: 401', async () => {
    const e = event('create-application');
    delete e.requestContext.authorizer.jwt.claims['custom:org'];

    const result = answer(await createHandler(e, context));

    expect(result.statusCode).toBe(401);
    expect((result.body as { detail: string }).detail).toBe('The token does not name a user, an organisation and a role.');
  });

  it('uses the partnership the caller names when it belongs to several', async () => {
    const result = answer(
      await createHandler(event('create-application', { org: 'LA-TWO', body: { ...createBody(), partnershipId: 'north' } }), context),
    );

    expect(result.statusCode).toBe(201);
    expect((result.body as { partnershipId: string }).partnershipId).toBe('north');
  });

  it.each([
    {
      name: 'belongs to several and names none',
      org: 'LA-TWO',
      partnershipId: undefined,
      detail: 'LA-TWO belongs to 2 partnerships; say which one.',
      errors: [{ field: 'body.partnershipId', message: 'is required: one of test, north' }],
    },
    {
      name: 'names one it is not a member of',
      org: 'LA-A',
      partnershipId: 'north',
      detail: 'LA-A is not a member of that partnership.',
      errors: [{ field: 'body.partnershipId', message: 'is not a partnership LA-A belongs to' }],
    },
    {
      name: 'belongs to none',
      org: 'LA-NONE',
      partnershipId: undefined,
      detail: 'LA-NONE is not a member of any partnership, so there is no one to apply to.',
      errors: undefined,
    },
  ])('answers 422 when the caller $name, and records nothing', async ({ org, partnershipId, detail, errors }) => {
    const body = partnershipId === undefined ? createBody() : { ...createBody(), partnershipId };

    const result = answer(await createHandler(event('create-application', { org, body }), context));

    expect(result).toStrictEqual({
      statusCode: 422,
      headers: PROBLEM_HEADERS,
      body: problem(422, 'Unprocessable Content', 'urn:s117:problem:unprocessable', detail, '/v1/applications', errors),
    });
    expect(deps.memory.workflow.starts).toStrictEqual([]);
  });

  it('scopes Idempotency-Keys to the organisation: the same key from another organisation is another application', async () => {
    await createHandler(event('create-application'), context);

    const other = answer(await createHandler(event('create-application', { org: 'LA-B' }), context));

    expect(other.statusCode).toBe(201);
    expect((other.body as { id: string }).id).toBe(applicationIdFor('LA-B', 'create-7d3f2a9c'));
    expect(deps.memory.workflow.starts.map((s) => s.name)).toStrictEqual([APP_ID, applicationIdFor('LA-B', 'create-7d3f2a9c')]);
  });
});

describe('GET /v1/applications/{id}', () => {
  it('shows a party the application with the funding in force', async () => {
    const app = await stored(
      application({
        status: 'interim',
        arrangements: [
          {
            id: 'arr-1',
            state: 'interim',
            withoutPrejudice: true,
            startDate: '2024-06-10',
            lead: 'LA-A',
            shares: [
              { body: 'ICB-A', party: 'icb', basisPoints: 5000 },
              { body: 'LA-A', party: 'la', basisPoints: 5000 },
            ],
            basis: 'A body disputed the determination.',
            ruleIds: ['R-WP-GEN-5'],
            createdAt: '2024-06-05T10:00:00.000Z',
          },
        ],
      }),
    );

    const result = answer(await getHandler(event('get-application', { id: app.id, org: 'ICB-A', role: 'finance' }), context));

    expect(result.statusCode).toBe(200);
    // The ledger's day as read (the clock stands at 2024-06-01): before the arrangement starts nothing is in force.
    const ledger = inForceOn(app, partnershipPolicies(partnership), '2024-06-01');
    expect(ledger.decision).toBeNull();
    expect(result.body).toStrictEqual(JSON.parse(JSON.stringify(toApplicationView(app, ledger))));
    expect((result.body as { funding: unknown }).funding).toStrictEqual({
      state: 'interim',
      startDate: '2024-06-10',
      lead: 'LA-A',
      shares: [
        { body: 'ICB-A', party: 'icb', percentage: 50, basisPoints: 5000 },
        { body: 'LA-A', party: 'la', percentage: 50, basisPoints: 5000 },
      ],
      withoutPrejudice: true,
      basis: 'A body disputed the determination.',
      arrangementId: 'arr-1',
    });
  });

  it('answers a missing application with 404', async () => {
    const result = answer(await getHandler(event('get-application', { id: 'app_missing' }), context));

    expect(result).toStrictEqual({
      statusCode: 404,
      headers: PROBLEM_HEADERS,
      body: problem(404, 'Not Found', 'urn:s117:problem:not-found', 'No such application.', '/v1/applications/app_missing'),
    });
  });
});

describe('cross-organisation access', () => {
  const routes: { name: string; fixture: FixtureName; handler: typeof getHandler; path: string }[] = [
    { name: 'GET /v1/applications/{id}', fixture: 'get-application', handler: getHandler, path: '' },
    { name: 'POST /v1/applications/{id}/responses', fixture: 'record-response', handler: respondHandler, path: '/responses' },
    { name: 'GET /v1/applications/{id}/chronology', fixture: 'get-chronology', handler: chronologyHandler, path: '/chronology' },
  ];

  it.each(routes)(
    '$name answers 404 to an organisation that is not a party, exactly as for a missing application',
    async ({ fixture: name, handler, path }) => {
      const app = await stored(application());

      const result = answer(await handler(event(name, { id: app.id, org: 'LA-B' }), context));

      expect(result).toStrictEqual({
        statusCode: 404,
        headers: PROBLEM_HEADERS,
        body: problem(404, 'Not Found', 'urn:s117:problem:not-found', 'No such application.', `/v1/applications/${app.id}${path}`),
      });
      expect(await deps.applications.get(app.id)).toStrictEqual(app);
    },
  );

  it("GET /v1/applications lists only the caller's organisation's applications", async () => {
    await stored(application({ id: 'app_a' }));
    await stored(application({ id: 'app_b', parties: ['LA-B', 'ICB-B'] }));

    const result = answer(await listHandler(event('list-applications', { org: 'LA-B', query: {} }), context));

    expect((result.body as { items: { id: string }[] }).items.map((i) => i.id)).toStrictEqual(['app_b']);
  });
});

describe('GET /v1/applications', () => {
  it('filters by status and pages with a cursor', async () => {
    await stored(application({ id: 'app_1', createdAt: '2024-06-01T09:00:00.000Z', status: 'submitted' }));
    await stored(application({ id: 'app_2', createdAt: '2024-06-02T09:00:00.000Z', status: 'submitted' }));
    await stored(application({ id: 'app_3', createdAt: '2024-06-03T09:00:00.000Z', status: 'interim' }));

    const first = answer(await listHandler(event('list-applications', { query: { status: 'submitted', limit: '1' } }), context));
    const cursor = (first.body as { cursor: string }).cursor;
    const second = answer(await listHandler(event('list-applications', { query: { status: 'submitted', limit: '1', cursor } }), context));

    expect((first.body as { items: { id: string }[] }).items.map((i) => i.id)).toStrictEqual(['app_2']);
    expect(second.body).toStrictEqual({
      items: [
        {
          id: 'app_1',
          status: 'submitted',
          personRef: 'p_test',
          requestedStartDate: '2024-06-10',
          createdAt: '2024-06-01T09:00:00.000Z',
          updatedAt: '2024-06-01T09:00:00.000Z',
        },
      ],
    });
  });

  it.each([
    { query: { limit: '0' }, errors: [{ field: 'query.limit', message: 'must be a whole number from 1 to 100' }] },
    { query: { limit: '101' }, errors: [{ field: 'query.limit', message: 'must be a whole number from 1 to 100' }] },
    { query: { limit: 'ten' }, errors: [{ field: 'query.limit', message: 'must be a whole number from 1 to 100' }] },
    {
      query: { status: 'lost' },
      errors: [
        {
          field: 'query.status',
          message:
            'must be one of "submitted", "awaiting-responses", "agreed", "interim", "in-dispute", "settled", "not-eligible", "withdrawn", not "lost"',
        },
      ],
    },
    { query: { cursor: 'not-a-cursor' }, errors: [{ field: 'query.cursor', message: 'is not a cursor this list issued' }] },
    {
      query: {
        cursor: Buffer.from(JSON.stringify({ v: 1, i: 'ByOrganisation', p: 'ORG#LA-A', s: '', pk: 'APP#', sk: 'PARTY#LA-A' })).toString(
          'base64url',
        ),
      },
      errors: [{ field: 'query.cursor', message: 'is not a cursor this list issued' }],
    },
  ])('refuses $query with 400 naming the parameter', async ({ query, errors }) => {
    const result = answer(await listHandler(event('list-applications', { query }), context));

    expect(result.statusCode).toBe(400);
    expect((result.body as { errors: unknown }).errors).toStrictEqual(errors);
  });
});

describe('POST /v1/applications/{id}/responses', () => {
  it("records a determined body's answer, writes the chronology and resumes the waiting task", async () => {
    const app = await stored(application());
    await deps.tokens.put({ applicationId: app.id, purpose: 'response-icb' }, 'token-icb', '2024-06-01T09:00:00.000Z');

    const result = answer(
      await respondHandler(event('record-response', { id: app.id, org: 'ICB-A', sub: 'u-icb', body: { decision: 'accept' } }), context),
    );

    const expected = { party: 'icb', body: 'ICB-A', decision: 'accept', at: '2024-06-01T09:00:00.000Z', by: 'u-icb' };
    expect(result).toStrictEqual({
      statusCode: 201,
      headers: { 'cache-control': 'no-store', 'content-type': 'application/json' },
      body: expected,
    });
    expect((await deps.applications.get(app.id))?.responses).toStrictEqual({ icb: expected });
    expect(await deps.chronology.list(app.personRef, { applicationId: app.id })).toStrictEqual([
      {
        sequence: 1,
        at: '2024-06-01T09:00:00.000Z',
        type: 'response-recorded',
        actor: { userId: 'u-icb', org: 'ICB-A' },
        applicationId: app.id,
        data: { party: 'icb', body: 'ICB-A', decision: 'accept', about: 'responsibility' },
      },
    ]);
    expect(deps.memory.workflow.succeeded).toStrictEqual([{ token: 'token-icb', output: { decision: 'accept', about: 'responsibility' } }]);
  });

  it('still records the answer when the workflow has moved on (token gone)', async () => {
    const app = await stored(application());
    await deps.tokens.put({ applicationId: app.id, purpose: 'response-la' }, 'token-la', '2024-06-01T09:00:00.000Z');
    deps.memory.workflow.markGone('token-la');

    const result = answer(await respondHandler(event('record-response', { id: app.id }), context));

    expect(result.statusCode).toBe(201);
    expect((await deps.applications.get(app.id))?.responses.la?.decision).toBe('dispute');
  });

  it('answers the same answer again with 200 and the first response', async () => {
    const app = await stored(application());
    const first = answer(await respondHandler(event('record-response', { id: app.id }), context));
    deps.clock.set('2024-06-02T09:00:00.000Z');

    const again = answer(await respondHandler(event('record-response', { id: app.id }), context));

    expect(again).toStrictEqual({ ...first, statusCode: 200 });
    expect((await deps.applications.get(app.id))?.version).toBe(2);
  });

  it('refuses a different second answer with 409', async () => {
    const app = await stored(application());
    await respondHandler(event('record-response', { id: app.id }), context);

    const result = answer(await respondHandler(event('record-response', { id: app.id, body: { decision: 'accept' } }), context));

    expect(result).toStrictEqual({
      statusCode: 409,
      headers: PROBLEM_HEADERS,
      body: problem(
        409,
        'Conflict',
        'urn:s117:problem:conflict',
        'LA-A already answered "dispute" on 2024-06-01T09:00:00.000Z; an answer cannot be changed, but the dispute process can settle it.',
        `/v1/applications/${app.id}/responses`,
      ),
    });
  });

  it.each([
    ['interim', 'The response deadline has passed and the application is on interim funding'],
    ['in-dispute', 'The application is in dispute; answers are now recorded as dispute outcomes'],
  ] as const)('refuses a late answer once the application is %s: 409, nothing saved, nothing resumed', async (status, says) => {
    // The deadline moved the application on (the workflow resumed without this body): a late answer changes nothing.
    const app = await stored(application({ status }));
    await deps.tokens.put({ applicationId: app.id, purpose: 'response-la' }, 'token-la', '2024-06-01T09:00:00.000Z');

    const result = answer(await respondHandler(event('record-response', { id: app.id }), context));

    expect(result.statusCode).toBe(409);
    expect(result.headers).toStrictEqual(PROBLEM_HEADERS);
    expect((result.body as { detail: string }).detail).toContain(says);
    const after = await deps.applications.get(app.id);
    expect([after?.responses, after?.version]).toStrictEqual([{}, app.version]);
    expect(await deps.chronology.list(app.personRef, { applicationId: app.id })).toStrictEqual([]);
    expect(deps.memory.workflow.succeeded).toStrictEqual([]);
  });

  it('refuses a party that is not a determined body with 403', async () => {
    const app = await stored(application({ parties: ['LA-A', 'ICB-A', 'ICB-B'] }));

    const result = answer(
      await respondHandler(event('record-response', { id: app.id, org: 'ICB-B', body: { decision: 'accept' } }), context),
    );

    expect(result).toStrictEqual({
      statusCode: 403,
      headers: PROBLEM_HEADERS,
      body: problem(
        403,
        'Forbidden',
        'urn:s117:problem:forbidden',
        'Only a user of the ICB or the local authority named in the determination can answer for it.',
        `/v1/applications/${app.id}/responses`,
      ),
    });
    expect((await deps.applications.get(app.id))?.responses).toStrictEqual({});
  });

  it('refuses a dispute without a reason: 400 naming body.reason', async () => {
    const app = await stored(application());

    const result = answer(await respondHandler(event('record-response', { id: app.id, body: { decision: 'dispute' } }), context));

    expect((result.body as { errors: unknown }).errors).toStrictEqual([
      { field: 'body.reason', message: 'is required when the decision is dispute' },
    ]);
  });

  it.each(['panel', 'finance'])('refuses the %s role: 403', async (role) => {
    const app = await stored(application());

    const result = answer(await respondHandler(event('record-response', { id: app.id, role }), context));

    expect(result.statusCode).toBe(403);
    expect((await deps.applications.get(app.id))?.responses).toStrictEqual({});
  });
});

describe('GET /v1/applications/{id}/chronology', () => {
  it("lists this application's entries only", async () => {
    const app = await stored(application());
    await deps.chronology.append(app.personRef, {
      key: 'k1',
      at: '2024-06-01T09:00:00.000Z',
      type: 'application-submitted',
      actor: { userId: 'u-la', org: 'LA-A' },
      applicationId: app.id,
      data: { serviceLineCount: 1 },
    });
    await deps.chronology.append(app.personRef, {
      key: 'k2',
      at: '2024-06-01T10:00:00.000Z',
      type: 'application-submitted',
      actor: { userId: 'u-la', org: 'LA-A' },
      applicationId: 'app_other',
      data: {},
    });
    await deps.chronology.append(app.personRef, {
      key: 'k3',
      at: '2024-06-01T11:00:00.000Z',
      type: 'determined',
      actor: { system: 'funding-application/Determine' },
      applicationId: app.id,
      data: { icb: 'ICB-A' },
    });

    const result = answer(await chronologyHandler(event('get-chronology', { id: app.id, org: 'ICB-A', role: 'finance' }), context));

    expect(result.body).toStrictEqual({
      entries: [
        {
          sequence: 1,
          at: '2024-06-01T09:00:00.000Z',
          type: 'application-submitted',
          actor: { userId: 'u-la', org: 'LA-A' },
          data: { serviceLineCount: 1 },
        },
        {
          sequence: 3,
          at: '2024-06-01T11:00:00.000Z',
          type: 'determined',
          actor: { system: 'funding-application/Determine' },
          data: { icb: 'ICB-A' },
        },
      ],
    });
  });
});

describe('POST /v1/determinations', () => {
  it('answers the determination for a commissioner and records nothing', async () => {
    const facts = (JSON.parse(fixture('determine').body ?? '{}') as { facts: Application['facts'] }).facts;

    const result = answer(await determineHandler(event('determine', { role: 'commissioner' }), context));

    expect(result).toStrictEqual({
      statusCode: 200,
      headers: { 'cache-control': 'no-store', 'content-type': 'application/json' },
      body: JSON.parse(JSON.stringify(determine(facts))),
    });
    expect(deps.memory.workflow.starts).toStrictEqual([]);
    expect((await deps.applications.listForOrganisation('LA-A', { limit: 10 })).items).toStrictEqual([]);
  });

  it('refuses facts that are not case facts v1, naming the field', async () => {
    const result = answer(
      await determineHandler(
        event('determine', {
          body: { facts: { id: 'X', evaluationDate: '2024-06-01', events: [{ type: 'detention', from: '2024-01-01', section: '99' }] } },
        }),
        context,
      ),
    );

    expect(result.statusCode).toBe(400);
    expect((result.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toStrictEqual(['body.facts.events[0].section']);
  });

  it('refuses a caller without a token: 401', async () => {
    const e = event('determine');
    const { authorizer: _dropped, ...requestContext } = e.requestContext;
    void _dropped;

    expect(answer(await determineHandler({ ...e, requestContext }, context)).statusCode).toBe(401);
  });
});

describe('GET /v1/openapi.json', () => {
  it('serves the document without a token', async () => {
    const result = answer(await openApiHandler(fixture('openapi'), context));

    expect(result.statusCode).toBe(200);
    expect((result.body as { openapi: string }).openapi).toBe('3.1.0');
  });
});
