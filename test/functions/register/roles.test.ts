/**
 * Roles on every register route: commissioners and admins of a party change the register; finance reads it; panel
 * members act only through their approval links. A refused role gets 403 problem+json naming the roles allowed, before
 * the request is read or any store is touched.
 */
import '../api/quiet-logs.ts';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { context } from '../../fixtures/context.ts';
import { EPISODE_CARE_FUNCTION, REGISTER_ROUTES } from '#functions/register/routes.ts';
import type { RouteSpec } from '#functions/shared/route-spec.ts';
import { answer, event } from '../api/support.ts';

type Handler = (e: APIGatewayProxyEventV2WithJWTAuthorizer, c: Context) => Promise<APIGatewayProxyStructuredResultV2 | string>;

const load = async (name: string): Promise<Handler> =>
  ((await import(`#functions/register/${name}.handler.ts`)) as { handler: Handler }).handler;

const WRITES = [
  'create-person',
  'record-batch',
  'record-event',
  'record-charge',
  'record-review',
  'recommend-ending',
  'record-ending-decision',
  'reinstate',
  'set-practitioner',
] as const;
const READS = [
  'get-person',
  'get-person-chronology',
  'get-episode',
  'list-episodes',
  'get-letter',
  'maturity-report',
  'maturity-page',
] as const;

const refused = (name: string, role: string, allowed: string) => ({
  statusCode: 403,
  body: {
    type: 'urn:s117:problem:forbidden',
    title: 'Forbidden',
    status: 403,
    detail: `This action needs the role ${allowed}; the caller is ${role}.`,
    instance: `/v1/register/${name}`,
  },
});

async function call(name: string, role: string, route?: RouteSpec): Promise<{ statusCode: number | undefined; body: unknown }> {
  const e = event('get-application', { role, org: 'QXU' });
  // A function serving several routes picks the route by its key, as API Gateway sets it.
  const spec = route ?? REGISTER_ROUTES.find((r) => r.function === name);
  if (spec !== undefined) e.routeKey = `${spec.method} ${spec.path}`;
  e.rawPath = `/v1/register/${name}`;
  e.requestContext.http.path = e.rawPath;
  const { statusCode, body } = answer(await (await load(name))(e, context));
  return { statusCode, body };
}

describe('register routes refuse the roles that must not use them', () => {
  it.each(WRITES.flatMap((name) => (['panel', 'finance'] as const).map((role) => [name, role] as const)))(
    '%s refuses %s: 403 naming commissioner or admin',
    async (name, role) => {
      expect(await call(name, role)).toStrictEqual(refused(name, role, 'commissioner or admin'));
    },
  );

  it.each(READS)('%s refuses panel: 403 naming commissioner, finance or admin', async (name) => {
    expect(await call(name, 'panel')).toStrictEqual(refused(name, 'panel', 'commissioner or finance or admin'));
  });

  // The episode-care function serves five routes (issue 17): each refuses by its own roles.
  const careRoutes = REGISTER_ROUTES.filter((r) => r.function === EPISODE_CARE_FUNCTION);
  it('the episode-care function serves the practitioner, plan and contacts routes', () => {
    expect(careRoutes.map((r) => r.operationId)).toStrictEqual([
      'setPractitioner',
      'recordAftercarePlan',
      'getAftercarePlan',
      'listAftercarePlans',
      'recordContacts',
    ]);
  });
  it.each(careRoutes.map((r) => [r.operationId, r] as const))('%s refuses panel with its own roles', async (_id, route) => {
    const allowed = route.method === 'GET' ? 'commissioner or finance or admin' : 'commissioner or admin';
    expect(await call(EPISODE_CARE_FUNCTION, 'panel', route)).toStrictEqual(refused(EPISODE_CARE_FUNCTION, 'panel', allowed));
  });
  it('a route key the function does not serve is 404 problem+json', async () => {
    const e = event('get-application', { role: 'commissioner', org: 'QXU' });
    e.routeKey = 'GET /v1/register/episodes/{id}';
    e.rawPath = '/v1/register/episodes/x';
    const { statusCode, body } = answer(await (await load(EPISODE_CARE_FUNCTION))(e, context));
    expect({ statusCode, body }).toStrictEqual({
      statusCode: 404,
      body: {
        type: 'urn:s117:problem:not-found',
        title: 'Not Found',
        status: 404,
        detail: 'No such route.',
        instance: '/v1/register/episodes/x',
      },
    });
  });
});

describe('a function serving several routes (record-event: facts and the child record)', () => {
  it('answers each route by its key with its own roles, and a route it does not serve with 404', async () => {
    const handler = await load('record-event');
    const e = event('get-application', { role: 'finance', org: 'QXU' });
    e.routeKey = 'PUT /v1/register/people/{personRef}/child';
    e.rawPath = '/v1/register/people/p_aaaaaaaaaaaaaaaaaaaaaaaaaa/child';
    const child = answer(await handler(e, context));
    expect([child.statusCode, (child.body as { detail: string }).detail]).toStrictEqual([
      403,
      'This action needs the role commissioner or admin; the caller is finance.',
    ]);
    e.routeKey = 'GET /v1/somewhere/else';
    expect(answer(await handler(e, context)).statusCode).toBe(404);
  });
});
