/**
 * The short run of the route fuzzer in `npm test` (`npm run fuzz` runs 10,000): malformed and boundary requests
 * on every route of the route table, through the local runtime. No 5xx, no request without an answer within
 * 15 seconds, and no write by a refused request.
 */
import '../functions/api/quiet-logs.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '#functions/routes.ts';
import { fuzzRoutes, requestArbitrary } from './route-fuzz.ts';

const RUNS = 300;

describe('route fuzz (short run)', () => {
  it(
    `answers ${RUNS} generated requests across the route table without a 5xx, a hang or a write on a refused request`,
    { timeout: 300_000 },
    async () => {
      const report = await fuzzRoutes({ runs: RUNS, seed: 20_261_205, perRequestTimeoutMs: 15_000 });

      expect(report.findings).toStrictEqual([]);
      expect([report.requests, report.serverErrors, report.hangs, report.writesOnRefused]).toStrictEqual([RUNS, 0, 0, 0]);
      expect(Object.keys(report.statuses).sort()).toContain('4xx');
    },
  );

  it('generates requests for every route of the table, each with the route template filled in', () => {
    const context = { ids: ['app_1'], users: [{ sub: 'u', org: 'E10000034', role: 'commissioner' as const }], token: () => 'token' };

    const requests = fc.sample(requestArbitrary(context), { numRuns: 3_000, seed: 1 });

    expect(new Set(requests.map((r) => `${r.route.method} ${r.route.path}`))).toStrictEqual(
      new Set(ROUTE_TABLE.map((r) => `${r.method} ${r.path}`)),
    );
    expect(requests.filter((r) => /[{}]/.test(r.path))).toStrictEqual([]);
  });
});
