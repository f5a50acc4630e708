/**
 * The route table holds together: every route names a manifest function whose handler module exists and exports a
 * handler, no two routes share a method and path or an operationId, every route behind a token says which roles may
 * call it, and the app manifest's routes (CDK and the local runtime) are exactly the table's.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLES } from '#functions/shared/auth.ts';
import { API_ROUTES, PAGE_ROUTES, ROUTE_TABLE } from '#functions/routes.ts';
import { appManifest } from '#lib/app-manifest.ts';
import { handlerFile, loadHandler } from './support.ts';

const byKey = ROUTE_TABLE.map((route) => ({ key: `${route.method} ${route.path}`, route }));

describe('the route table', () => {
  it.each(byKey)('$key: names a manifest function whose handler module exists and exports a handler', async ({ route }) => {
    const file = handlerFile(route);

    expect(file, `no manifest function '${route.function}'`).toBeDefined();
    expect(existsSync(file ?? ''), `${file} is missing`).toBe(true);
    expect(typeof (await loadHandler(route))).toBe('function');
  });

  it('names no function the manifest lacks (checked against a name that is not there)', () => {
    const [first] = ROUTE_TABLE;
    if (first === undefined) throw new Error('the route table is empty');

    expect(handlerFile({ ...first, function: 'no-such-function' })).toBeUndefined();
  });

  it('has each method and path once, and each operationId once', () => {
    const keys = byKey.map((r) => r.key);
    const ids = ROUTE_TABLE.map((r) => r.operationId);

    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toStrictEqual([]);
    expect(ids.filter((k, i) => ids.indexOf(k) !== i)).toStrictEqual([]);
  });

  it('gives roles to every route behind a token, each a known role', () => {
    const withoutRoles = ROUTE_TABLE.filter((r) => r.auth === 'required' && (r.roles ?? []).length === 0).map(
      (r) => `${r.method} ${r.path}`,
    );
    const unknownRoles = ROUTE_TABLE.flatMap((r) => (r.roles ?? []).filter((role) => !(ROLES as readonly string[]).includes(role)));

    expect(withoutRoles).toStrictEqual([]);
    expect(unknownRoles).toStrictEqual([]);
  });

  it('puts every /v1 route in the API and every other route among the pages', () => {
    expect(API_ROUTES.every((r) => r.path.startsWith('/v1/'))).toBe(true);
    expect(PAGE_ROUTES.every((r) => !r.path.startsWith('/v1/'))).toBe(true);
    expect(API_ROUTES.length + PAGE_ROUTES.length).toBe(ROUTE_TABLE.length);
  });

  it('is the app manifest routes, one for one, with the JWT authorizer exactly where a token is required', () => {
    expect(appManifest.routes).toStrictEqual(
      ROUTE_TABLE.map((r) => ({ method: r.method, path: r.path, function: r.function, ...(r.auth === 'none' ? { auth: 'none' } : {}) })),
    );
  });
});
