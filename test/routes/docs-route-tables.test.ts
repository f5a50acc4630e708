/**
 * docs/api.md lists every route: its generated block is exactly what `npm run docs:routes` renders from the route
 * table (so a route added, removed or re-roled without regenerating fails here), and every route the prose sections
 * name as `METHOD /path` is one the table has.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { END_MARKER, routeTables, START_MARKER, who, withRouteTables } from '#functions/docs/route-tables.ts';
import { ROUTE_TABLE } from '#functions/routes.ts';

const apiMd = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const generated = apiMd.slice(apiMd.indexOf(START_MARKER), apiMd.indexOf(END_MARKER) + END_MARKER.length);

describe('docs/api.md route tables', () => {
  it('are current: the generated block is what the route table renders (run `npm run docs:routes` if not)', () => {
    expect(generated).toBe(routeTables(ROUTE_TABLE));
  });

  it.each(ROUTE_TABLE.map((r) => ({ key: `${r.method} ${r.path}`, route: r })))('lists $key with who may call it', ({ key, route }) => {
    expect(generated).toContain(`| \`${key}\` | ${who(route).replace(/\|/g, '\\|')} |`);
  });

  it('names in its prose only routes the table has', () => {
    const table = new Set(ROUTE_TABLE.map((r) => `${r.method} ${r.path}`));
    const named = [...apiMd.replace(generated, '').matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`?\s[]*)/g)].map((m) => `${m[1]} ${m[2]}`);

    expect(named.length).toBeGreaterThan(10);
    expect([...new Set(named.filter((k) => !table.has(k) && !k.includes('...') && !k.includes('{entitlement')))]).toStrictEqual([]);
  });

  it('would catch a stale block: a route missing from the document is found', () => {
    const stale = withRouteTables(apiMd, routeTables(ROUTE_TABLE.slice(1)));

    expect(stale).not.toContain(routeTables(ROUTE_TABLE));
    expect(() => withRouteTables('no markers here', routeTables(ROUTE_TABLE))).toThrow(/needs the markers/);
  });

  it('says who may call each route: roles, any role, or no token', () => {
    const byKey = (key: string) => ROUTE_TABLE.find((r) => `${r.method} ${r.path}` === key);
    const route = (key: string) => {
      const found = byKey(key);
      if (found === undefined) throw new Error(`${key} is not in the table`);
      return found;
    };

    expect(who(route('POST /v1/register/episodes/{id}/ending-decisions'))).toBe('commissioner, admin');
    expect(who(route('GET /v1/applications'))).toBe('commissioner, finance, admin');
    expect(who(route('GET /docs'))).toBe('no token');
    expect(who(route('GET /app'))).toBe('no token; a session of any role');
  });
});
