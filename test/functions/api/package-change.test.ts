/**
 * Package changes through the API (issue 13 item 3), through the real handler over memoryPorts(): each change a
 * decision with its author, date, reason and chronology entry; the same request again is the same decision;
 * only commissioners and admins of a party; bad input a 400 naming the field; above the panel threshold the
 * package in force stays; a change dated in the past reaches the next export as adjustment rows only.
 */
import './quiet-logs.ts';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { caseRows, diffAgainstPrevious, toExportCase, type ExportRow } from '#domain/exports/rows.ts';
import { partnershipPolicies } from '#domain/funding/ledger.ts';
import { DEFAULT_PANEL_THRESHOLDS, DEFAULT_PANEL_TIMING, DEFAULT_QUORUM_RULE } from '#domain/panels/panel.ts';
import { handler } from '#functions/api/change-discharge.handler.ts';
import { packageChangeResultSchema } from '#functions/api/package-change.schema.ts';
import { context } from '../../fixtures/context.ts';
import { application, partnership } from '../../support/application-builder.ts';
import { arrangement, line } from '../../support/finance-builder.ts';
import { answer, event, installPorts, memoryDeps, type TestDeps } from './support.ts';

let deps: TestDeps;
const APP: Application = application({
  id: 'app_pkg',
  status: 'agreed',
  requestedStartDate: '2024-04-01',
  carePlan: {
    serviceLines: [
      line({ id: 'home', category: 'accommodation', weeklyCostPence: 120_000, startDate: '2024-04-01' }),
      line({ id: 'support', category: 'social-care', weeklyCostPence: 21_000, startDate: '2024-04-01' }),
    ],
  },
  arrangements: [
    arrangement('AGR', 'agreed', [
      ['ICB-A', 'icb', 5_000],
      ['LA-A', 'la', 5_000],
    ]),
  ],
});

beforeEach(async () => {
  deps = memoryDeps();
  deps.clock.set('2024-07-15T09:00:00.000Z');
  installPorts(deps);
  await deps.applications.create(APP);
});

function post(body: unknown, who: { org?: string; role?: string; id?: string } = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const id = who.id ?? APP.id;
  const e = event('record-response', { id, body, org: who.org ?? 'LA-A', ...(who.role === undefined ? {} : { role: who.role }) });
  e.rawPath = `/v1/applications/${id}/package-changes`;
  e.requestContext.http.path = e.rawPath;
  e.routeKey = 'POST /v1/applications/{id}/package-changes';
  return e;
}

const send = async (body: unknown, who: { org?: string; role?: string; id?: string } = {}) =>
  answer(await handler(post(body, who), context));
const stored = async (): Promise<Application> => (await deps.applications.get(APP.id)) as Application;

describe('POST /v1/applications/{id}/package-changes', () => {
  it('adds a line found at review from its date, as a decision with author, reason and a chronology entry; the same request again changes nothing', async () => {
    const body = {
      kind: 'add-line',
      effectiveDate: '2024-08-01',
      reason: 'Review of 2024-07-10 found a need for a day service.',
      line: { description: 'Day service', provider: 'Oakwood', category: 'other', s117: true, weeklyCostPence: 9_000 },
    };
    const first = await send(body);
    expect(first.statusCode).toBe(201);
    const result = packageChangeResultSchema.parse(first.body);
    expect(result.decision).toMatchObject({
      kind: 'add-line',
      lineId: 'line-3',
      effectiveDate: '2024-08-01',
      by: { userId: '5f1c2b3a-8d9e-4f00-a1b2-c3d4e5f60718', org: 'LA-A' },
      state: 'in-force',
      ruleIds: ['R-APP-1', 'R-CHG-1'],
    });
    const app = await stored();
    expect(app.carePlan.serviceLines.at(-1)).toMatchObject({ id: 'line-3', startDate: '2024-08-01', weeklyCostPence: 9_000 });
    const again = await send(body);
    expect(again.statusCode).toBe(200);
    expect(packageChangeResultSchema.parse(again.body).decision.id).toBe(result.decision.id);
    expect((await stored()).version).toBe(app.version);
    expect((await stored()).carePlan.serviceLines).toHaveLength(3);
    const entries = await deps.chronology.list(APP.personRef, { applicationId: APP.id });
    expect(entries.filter((e) => e.type === 'package-changed').map((e) => e.data)).toStrictEqual([
      {
        decisionId: result.decision.id,
        kind: 'add-line',
        lineId: 'line-3',
        effectiveDate: '2024-08-01',
        state: 'in-force',
        ruleIds: ['R-APP-1', 'R-CHG-1'],
      },
    ]);
  });

  it('ends a line, changes a cost from a date, records a top-up and a per-line split agreed at panel', async () => {
    expect((await send({ kind: 'end-line', lineId: 'support', effectiveDate: '2024-09-30', reason: 'No longer needed.' })).statusCode).toBe(
      201,
    );
    expect(
      (await send({ kind: 'change-cost', lineId: 'home', effectiveDate: '2025-04-01', weeklyCostPence: 123_600, reason: 'Uplift 3%.' }))
        .statusCode,
    ).toBe(201);
    const topUp = await send({
      kind: 'top-up',
      lineId: 'home',
      effectiveDate: '2024-08-01',
      reason: 'Preferred home; a relative pays the difference.',
      topUp: {
        payer: { kind: 'third-party', name: 'A relative' },
        usualCostWeeklyPence: 110_000,
        weeklyPence: 10_000,
        reviewDate: '2025-08-01',
        signedOn: '2024-07-20',
      },
    });
    expect(topUp.statusCode).toBe(201);
    expect(packageChangeResultSchema.parse(topUp.body).decision.ruleIds).toStrictEqual(['R-CHG-3', 'R-CHG-1']);
    expect(
      (
        await send({
          kind: 'line-split',
          lineId: 'home',
          effectiveDate: '2024-08-01',
          icbBasisPoints: 7_000,
          panelDecisionRef: 'PANEL-42',
          reason: 'Panel of 2024-07-30.',
        })
      ).statusCode,
    ).toBe(201);
    const [home, support] = (await stored()).carePlan.serviceLines;
    expect(support?.endDate).toBe('2024-09-30');
    expect(home?.uplifts).toStrictEqual([{ from: '2025-04-01', weeklyCostPence: 123_600 }]);
    expect(home?.topUp).toMatchObject({ weeklyPence: 10_000, from: '2024-08-01', usualCostWeeklyPence: 110_000 });
    expect(home?.agreedSplit).toStrictEqual({ icbBasisPoints: 7_000, panelDecisionRef: 'PANEL-42', decisionDate: '2024-08-01' });
    expect((await stored()).packageDecisions?.map((d) => d.kind)).toStrictEqual(['end-line', 'change-cost', 'top-up', 'line-split']);
  });

  it.each([
    [{ kind: 'end-line', lineId: 'nope', effectiveDate: '2024-09-30', reason: 'x' }, 'body.lineId'],
    [{ kind: 'end-line', lineId: 'support', effectiveDate: '2024-03-01', reason: 'x' }, 'body.effectiveDate'],
    [{ kind: 'end-line', lineId: 'support', effectiveDate: '2024-02-30', reason: 'x' }, 'body.effectiveDate'],
    [{ kind: 'end-line', lineId: 'support', effectiveDate: '2024-09-30' }, 'body.reason'],
    [
      { kind: 'change-cost', lineId: 'home', effectiveDate: '2024-09-30', weeklyCostPence: 10_000_001, reason: 'x' },
      'body.weeklyCostPence',
    ],
    [
      {
        kind: 'top-up',
        lineId: 'support',
        effectiveDate: '2024-08-01',
        reason: 'x',
        topUp: {
          payer: { kind: 'person' },
          usualCostWeeklyPence: 10_000,
          weeklyPence: 1_000,
          reviewDate: '2025-08-01',
          signedOn: '2024-07-20',
        },
      },
      'body.lineId',
    ],
    [
      {
        kind: 'top-up',
        lineId: 'home',
        effectiveDate: '2024-08-01',
        reason: 'x',
        topUp: {
          payer: { kind: 'person' },
          usualCostWeeklyPence: 110_000,
          weeklyPence: 10_001,
          reviewDate: '2025-08-01',
          signedOn: '2024-07-20',
        },
      },
      'body.topUp.weeklyPence',
    ],
    [{ kind: 'rewrite-history', effectiveDate: '2024-08-01', reason: 'x' }, 'body.kind'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const result = await send(body);
    expect(result.statusCode).toBe(400);
    expect((result.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    expect((await stored()).version).toBe(APP.version);
  });

  it('lets only commissioners and admins of a party decide; anyone else learns nothing', async () => {
    const body = { kind: 'end-line', lineId: 'support', effectiveDate: '2024-09-30', reason: 'x' };
    expect((await send(body, { role: 'finance' })).statusCode).toBe(403);
    expect((await send(body, { org: 'LA-B' })).statusCode).toBe(404);
    expect((await send(body, { id: 'app_missing' })).statusCode).toBe(404);
    expect((await send(body, { org: 'ICB-A', role: 'admin' })).statusCode).toBe(201);
  });

  it('above the panel threshold, the change awaits the panel and the package in force stays (R-WP-GEN-5)', async () => {
    await deps.memory.directory.putPartnership({
      ...partnership,
      panel: { members: [], quorum: DEFAULT_QUORUM_RULE, timing: DEFAULT_PANEL_TIMING, thresholds: DEFAULT_PANEL_THRESHOLDS },
    });
    const result = await send({
      kind: 'change-cost',
      lineId: 'home',
      effectiveDate: '2024-08-01',
      weeklyCostPence: 140_000,
      reason: 'Higher needs.',
    });
    expect(result.statusCode).toBe(202);
    expect(packageChangeResultSchema.parse(result.body).decision).toMatchObject({
      state: 'awaiting-panel',
      ruleIds: ['R-APP-1', 'R-WP-GEN-5'],
    });
    const app = await stored();
    expect(app.carePlan).toStrictEqual(APP.carePlan);
    const entries = await deps.chronology.list(APP.personRef, { applicationId: APP.id });
    expect(entries.map((e) => e.type)).toContain('package-change-awaiting-panel');
    // A change that lowers the cost does not need the panel.
    expect((await send({ kind: 'end-line', lineId: 'support', effectiveDate: '2024-09-30', reason: 'x' })).statusCode).toBe(201);
  });

  it('a change dated in the past reaches the next export as adjustment rows; what was exported is not rewritten', async () => {
    const policies = partnershipPolicies(partnership);
    const exportOf = (app: Application, period: string, from: string, to: string): ExportRow[] => [
      ...caseRows(toExportCase(app), {
        batch: { id: `EXP-${period}`, generatedAt: `${period}-28T00:00:00.000Z`, period },
        from,
        to,
        policies,
      }),
    ];
    const june = exportOf(await stored(), '2024-06', '2024-04', '2024-06');
    expect(
      (
        await send({
          kind: 'change-cost',
          lineId: 'home',
          effectiveDate: '2024-05-01',
          weeklyCostPence: 126_000,
          reason: 'Backdated uplift.',
        })
      ).statusCode,
    ).toBe(201);
    const after = await stored();
    const restated = exportOf(after, '2024-07', '2024-04', '2024-06');
    const adjustments = diffAgainstPrevious(june, restated, {
      id: 'EXP-2024-07',
      generatedAt: '2024-07-28T00:00:00.000Z',
      period: '2024-07',
    });
    expect(new Set(adjustments.map((r) => `${r.packageLineId} ${r.adjustsPeriod} ${r.reasonCode}`))).toStrictEqual(
      new Set(['home 2024-05 UPLIFT', 'home 2024-06 UPLIFT']),
    );
    const total = (rows: ExportRow[]) => rows.reduce((s, r) => s + r.payerShareAmount, 0);
    expect(total(adjustments)).toBe(total(restated) - total(june));
    expect(total(adjustments)).toBe(Math.round((6_000 * 61) / 7));
    expect(adjustments.every((r) => r.isAdjustment && r.periodMonth === '2024-07' && r.adjustsBatchId === 'EXP-2024-06')).toBe(true);
  });
});
