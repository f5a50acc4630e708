/**
 * Roles on every route, generated from the route table: for each route behind a token, every role the route does not
 * allow gets 403 problem+json naming the role, from the route's real handler called in-process with a token the local
 * JWT authorizer verified. Each allowed role gets past the role check (a 400 for the missing input, before anything is
 * read or written). The roles chosen for the register, exports and decisions are pinned as issue 11 asks.
 */
import '../functions/api/quiet-logs.ts';
import { describe, expect, it } from 'vitest';
import { ROUTE_TABLE, type RouteSpec } from '#functions/routes.ts';
import { ROLES, type Role } from '#functions/shared/auth.ts';
import { context } from '../fixtures/context.ts';
import { loadHandler, parsed, routeEvent } from './support.ts';

const guarded = ROUTE_TABLE.filter((r) => r.auth === 'required');
const key = (r: RouteSpec): string => `${r.method} ${r.path}`;
const subject = (role: Role) => ({ sub: `u-${role}`, org: 'E10000034', role });

const refusals = guarded.flatMap((route) =>
  ROLES.filter((role) => !(route.roles ?? []).includes(role)).map((role) => ({ key: key(route), role, route })),
);

/** Whether the route's schemas refuse a request with no path parameters, query, headers or body. */
function requiresInput(route: RouteSpec): boolean {
  const { path, query, headers, body } = route.schemas;
  return (
    [path, query, headers].some((s) => s !== undefined && !s.safeParse({}).success) ||
    (body !== undefined && !body.safeParse(undefined).success)
  );
}

const admissions = guarded.filter(requiresInput).flatMap((route) => (route.roles ?? []).map((role) => ({ key: key(route), role, route })));

describe('roles on every route', () => {
  it.each(refusals)('$key refuses the $role role: 403 problem+json naming it', async ({ route, role }) => {
    const handler = await loadHandler(route);

    const answer = parsed(await handler(routeEvent(route, subject(role)), context));

    expect(answer).toStrictEqual({
      status: 403,
      contentType: 'application/problem+json',
      body: {
        type: 'urn:s117:problem:forbidden',
        title: 'Forbidden',
        status: 403,
        detail: `This action needs the role ${(route.roles ?? []).join(' or ')}; the caller is ${role}.`,
        instance: routeEvent(route, subject(role)).rawPath,
      },
    });
  });

  it.each(admissions)('$key lets the $role role past the role check (400 for the missing input, not 403)', async ({ route, role }) => {
    const handler = await loadHandler(route);

    const answer = parsed(await handler(routeEvent(route, subject(role)), context));

    expect(answer.status).toBe(400);
    expect(answer.contentType).toBe('application/problem+json');
  });

  it('tests a refusal for each route that does not allow every role, and an admission wherever input is required', () => {
    const restricted = guarded.filter((r) => (r.roles ?? []).length < ROLES.length).map(key);

    expect(new Set(refusals.map((r) => r.key))).toStrictEqual(new Set(restricted));
    expect(refusals.length).toBeGreaterThan(20);
    expect(admissions.length).toBeGreaterThan(20);
  });
});

describe('the roles people expect (issue 11, item 2)', () => {
  const rolesOf = (method: string, path: string): readonly Role[] | undefined =>
    ROUTE_TABLE.find((r) => r.method === method && r.path === path)?.roles;
  const COMMISSIONING = ['commissioner', 'admin'];

  it('lets finance (and admin) export, and no one else', () => {
    const exports = ROUTE_TABLE.filter((r) => r.path.startsWith('/v1/exports/'));

    expect(exports.length).toBeGreaterThanOrEqual(3);
    for (const route of exports) expect([key(route), route.roles]).toStrictEqual([key(route), ['finance', 'admin']]);
  });

  it.each([
    ['POST', '/v1/register/episodes/{id}/reviews'],
    ['POST', '/v1/register/episodes/{id}/ending-recommendations'],
    ['POST', '/v1/register/episodes/{id}/ending-decisions'],
    ['POST', '/v1/register/episodes/{id}/reinstatements'],
    ['PUT', '/v1/register/episodes/{id}/practitioner'],
    ['POST', '/v1/register/people'],
    ['POST', '/v1/register/people/{personRef}/events'],
    ['POST', '/v1/register/people/{personRef}/charges'],
    ['POST', '/v1/register/batches'],
    ['POST', '/v1/applications'],
    ['POST', '/v1/applications/{id}/responses'],
    ['POST', '/v1/applications/{id}/dispute/outcome'],
  ])('%s %s is recorded by a commissioner or admin of a party only', (method, path) => {
    expect(rolesOf(method, path)).toStrictEqual(COMMISSIONING);
  });

  it.each([
    ['GET', '/v1/applications', ['commissioner', 'finance', 'admin']],
    ['GET', '/v1/applications/{id}', ['commissioner', 'finance', 'admin']],
    ['GET', '/v1/applications/{id}/chronology', ['commissioner', 'finance', 'admin']],
    ['GET', '/v1/applications/{id}/dispute', ['commissioner', 'finance', 'admin']],
    ['GET', '/v1/applications/{id}/dispute/referral-pack', COMMISSIONING],
    ['POST', '/v1/determinations', COMMISSIONING],
  ])(
    '%s %s: the roles that use it (applications and disputes read by finance, which books them; never the panel role)',
    (method, path, roles) => {
      expect(rolesOf(method, path)).toStrictEqual(roles);
    },
  );

  it('lets every role in on no route behind a token: each names the roles that use it', () => {
    const everyone = ROUTE_TABLE.filter((r) => r.auth === 'required' && ROLES.every((role) => (r.roles ?? []).includes(role))).map(key);

    expect(everyone).toStrictEqual([]);
  });

  it('keeps panel members to their approval links: no register route, report or export lets the panel role in', () => {
    const open = ROUTE_TABLE.filter((r) => /^\/(v1\/)?(register|reports|exports)\//.test(r.path) && (r.roles ?? []).includes('panel')).map(
      key,
    );
    const links = ROUTE_TABLE.filter((r) => r.path.startsWith('/approvals/'));

    expect(open).toStrictEqual([]);
    expect(links.map((r) => [key(r), r.auth])).toStrictEqual([
      ['GET /approvals/{approvalId}', 'none'],
      ['POST /approvals/{approvalId}', 'none'],
    ]);
  });

  it('refuses a finance token recording an ending decision: 403 problem+json naming finance', async () => {
    const route = ROUTE_TABLE.find((r) => r.method === 'POST' && r.path === '/v1/register/episodes/{id}/ending-decisions');
    if (route === undefined) throw new Error('the ending-decision route is not in the table');
    const handler = await loadHandler(route);
    const body = JSON.stringify(Object.values(route.examples ?? {})[0] ?? {});

    const answer = parsed(await handler(routeEvent(route, subject('finance'), { body, contentType: 'application/json' }), context));

    expect(answer.status).toBe(403);
    expect(answer.contentType).toBe('application/problem+json');
    expect((answer.body as { detail: string }).detail).toBe('This action needs the role commissioner or admin; the caller is finance.');
  });
});
