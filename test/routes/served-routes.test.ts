/**
 * Every route the local runtime serves is documented: each `/v1` route is an operation of the `/v1/openapi.json` it
 * serves, and each other route is one of the documented non-API pages (the route table's `kind: 'page'` routes:
 * approval pages, report pages, the workspace, /docs) or the runtime's own health check.
 *
 * The routes are read from what the runtime hands its API Gateway stand-in (`setRoutes`: the manifest's routes plus
 * any `options.routes`), and each is then requested over HTTP to prove the gateway really answers it. One extra route
 * is passed as `options.routes`, to show that extras are enumerated too and that an undocumented route is caught.
 */
import '../functions/api/quiet-logs.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiRoute, LocalApi } from '#local/api-gateway.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { PAGE_ROUTES, ROUTE_TABLE } from '#functions/routes.ts';

const served = vi.hoisted(() => ({ routes: [] as { method: string; path: string; auth: string }[] }));
vi.mock('../../local/api-gateway.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../local/api-gateway.ts')>();
  return {
    ...original,
    startApiGateway: async (options: Parameters<typeof original.startApiGateway>[0]): Promise<LocalApi> => {
      const api = await original.startApiGateway(options);
      const record = (routes: readonly ApiRoute[]) => {
        served.routes = routes.map((r) => ({ method: r.method.toUpperCase(), path: r.path, auth: r.auth ?? 'jwt' }));
      };
      record(options.routes);
      return {
        ...api,
        setRoutes: (routes) => {
          record(routes);
          api.setRoutes(routes);
        },
      };
    },
  };
});

/** Served by local/runtime.ts itself (not by the app manifest, so never deployed): the liveness check of `npm start`. */
const RUNTIME_OWN_ROUTES: readonly string[] = ['GET /health'];
/** The gateway's own answer when no route matches (local/api-gateway.ts, as the HTTP API answers it). */
const GATEWAY_NOT_FOUND = JSON.stringify({ message: 'Not Found' });
/** A route only this test adds, through `options.routes`: it must be enumerated, and reported as undocumented. */
const EXTRA = { method: 'GET', path: '/v1/not-in-the-table/{id}' } as const;

type OpenApi = { paths: Record<string, Record<string, unknown>> };

/** The served routes, as `METHOD /path`, that neither the OpenAPI document nor the documented pages name. */
function undocumented(routes: readonly { method: string; path: string }[], doc: OpenApi): string[] {
  const operations = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
  const pages = new Set([...PAGE_ROUTES.map((r) => `${r.method} ${r.path}`), ...RUNTIME_OWN_ROUTES]);
  return routes
    .map((r) => `${r.method} ${r.path}`)
    .filter((key) => (key.split(' ')[1]?.startsWith('/v1/') === true ? !operations.has(key) : !pages.has(key)));
}

let runtime: RuntimeHandles;
let doc: OpenApi;

beforeAll(async () => {
  runtime = await startRuntime({
    routes: [
      {
        ...EXTRA,
        auth: 'none',
        handler: async () => ({ statusCode: 204 }),
      },
    ],
  });
  const reply = await fetch(`${runtime.api.url}/v1/openapi.json`);
  expect(reply.status).toBe(200);
  doc = (await reply.json()) as OpenApi;
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

/** A concrete URL path for a route template: each `{param}` becomes a harmless value. */
const concrete = (template: string): string => template.replace(/\{[^}]+\}/g, 'probe-1');

describe('the routes the local runtime serves', () => {
  it('are enumerated from the gateway: every route of the table, the runtime health check and the extra route', () => {
    const keys = served.routes.map((r) => `${r.method} ${r.path}`);

    expect(keys).toEqual(
      expect.arrayContaining([...PAGE_ROUTES.map((r) => `${r.method} ${r.path}`), 'GET /health', 'GET /v1/openapi.json']),
    );
    expect(keys).toContain(`${EXTRA.method} ${EXTRA.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('are each answered by the gateway (no "No route matches"), while an unknown path is not', async () => {
    const unmatched: string[] = [];
    for (const route of served.routes) {
      const response = await fetch(`${runtime.api.url}${concrete(route.path)}`, { method: route.method, redirect: 'manual' });
      const text = await response.text();
      if (response.status === 404 && text === GATEWAY_NOT_FOUND) unmatched.push(`${route.method} ${route.path}`);
    }
    const unknown = await fetch(`${runtime.api.url}/v1/nothing-here`);

    expect(unmatched).toStrictEqual([]);
    expect([unknown.status, await unknown.text()]).toStrictEqual([404, GATEWAY_NOT_FOUND]);
  });

  it('are all documented: each /v1 route in the served /v1/openapi.json, each other route a documented page', () => {
    const manifestRoutes = served.routes.filter((r) => !(r.method === EXTRA.method && r.path === EXTRA.path));

    expect(undocumented(manifestRoutes, doc)).toStrictEqual([]);
  });

  it('catches an undocumented route: the extra /v1 route, and a page outside the documented list', () => {
    expect(undocumented(served.routes, doc)).toStrictEqual([`${EXTRA.method} ${EXTRA.path}`]);
    expect(undocumented([{ method: 'GET', path: '/secret-page' }], doc)).toStrictEqual(['GET /secret-page']);
  });

  it('serves each /v1 route with the JWT authorizer unless the table says it is public', () => {
    const publicV1 = served.routes.filter((r) => r.path.startsWith('/v1/') && r.auth === 'none').map((r) => `${r.method} ${r.path}`);

    const tablePublicV1 = ROUTE_TABLE.filter((r) => r.path.startsWith('/v1/') && r.auth === 'none').map((r) => `${r.method} ${r.path}`);

    expect(tablePublicV1).toContain('GET /v1/openapi.json');
    expect(publicV1.sort()).toStrictEqual([`${EXTRA.method} ${EXTRA.path}`, ...tablePublicV1].sort());
  });
});
