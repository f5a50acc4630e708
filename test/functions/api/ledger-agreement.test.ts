/**
 * The application view and the finance export read one ledger (issue 13 item 2): over two years of one
 * person's package (interim from submission, agreement, a policy change, an uplift on 1 April, a line added at
 * review, a top-up, a line ended, a settlement replacing the interim terms), the export's rows are exactly what
 * the view's days add up to, to the penny: each line's gross per period is its view-day weekly costs summed and
 * rounded once over the line's life, and each body's share is that gross shared by the view's own day-weighted
 * shares. Nothing in the export is computed from anything the view did not show.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates.ts';
import { largestRemainder } from '#domain/money.ts';
import type { Application } from '#domain/applications/application.ts';
import { caseRows, toExportCase, type ExportRow } from '#domain/exports/rows.ts';
import { partnershipPolicies } from '#domain/funding/ledger.ts';
import { dayNumber, financialPeriod, periodsBetween } from '#domain/apportionment/periods.ts';
import type { Partnership } from '#domain/partnership.ts';
import { memoryPorts } from '#functions/adapters/memory/index.ts';
import { getApplication } from '#functions/api/read-application.use-case.ts';
import type { LedgerDayView } from '#functions/api/application-view.schema.ts';
import { application, partnership } from '../../support/application-builder.ts';
import { arrangement, BY_CATEGORY, line, policy } from '../../support/finance-builder.ts';
import { caller, frozenClock, ORGANISATIONS, STATE_MACHINE_ARN } from './support.ts';

const SURREY: Partnership = {
  ...partnership,
  apportionment: {
    policies: [
      policy('CAT', BY_CATEGORY, { partnershipId: 'test', effectiveFrom: '2024-04-01', effectiveTo: '2025-03-31' }),
      policy('FIX', { kind: 'fixed', icbBasisPoints: 7_000 }, { partnershipId: 'test', version: 2, effectiveFrom: '2025-04-01' }),
    ],
  },
};

const shares = (icb: number): [string, 'icb' | 'la', number][] => [
  ['ICB-A', 'icb', icb],
  ['LA-A', 'la', 10_000 - icb],
];

const APP: Application = application({
  status: 'settled',
  requestedStartDate: '2024-06-10',
  carePlan: {
    serviceLines: [
      line({
        id: 'HOME',
        category: 'accommodation',
        weeklyCostPence: 123_457,
        startDate: '2024-06-10',
        uplifts: [{ from: '2025-04-01', weeklyCostPence: 127_161 }],
        topUp: {
          id: 'TU-1',
          payer: { kind: 'third-party', name: 'A relative' },
          usualCostWeeklyPence: 110_000,
          weeklyPence: 4_999,
          from: '2024-11-13',
          reviewDate: '2025-11-13',
          signedOn: '2024-11-01',
        },
      }),
      line({ id: 'SUPPORT', category: 'social-care', weeklyCostPence: 35_333, startDate: '2024-06-10', endDate: '2025-09-17' }),
      line({ id: 'NURSE', category: 'health', weeklyCostPence: 19_999, startDate: '2024-12-02' }),
      line({ id: 'DAY', category: 'other', s117: false, weeklyCostPence: 7_777, startDate: '2025-01-15' }),
    ],
  },
  arrangements: [
    arrangement('SUB', 'interim', shares(5_000), { startDate: '2024-06-10', cause: 'submission', lead: 'LA-A' }),
    arrangement('AGR', 'agreed', shares(5_000), { startDate: '2024-07-01', lead: 'LA-A' }),
    arrangement('DSP', 'interim', shares(3_333), { startDate: '2025-02-01', cause: 'dispute', lead: 'LA-A' }),
    arrangement('FIN', 'agreed', shares(6_000), { startDate: '2025-02-01', lead: 'ICB-A' }),
  ],
});

const FROM = '2024-06';
const TO = '2026-05';

describe('view and export agree to the penny (two years of one package)', () => {
  it('every period of every line and body', async () => {
    const clock = frozenClock();
    const memory = memoryPorts(clock, { organisations: ORGANISATIONS, partnerships: [SURREY] });
    await memory.applications.create(APP);
    const deps = {
      applications: memory.applications,
      chronology: memory.chronology,
      idempotency: memory.idempotency,
      directory: memory.directory,
      tokens: memory.tokens,
      handOffs: memory.handOffs,
      workflow: memory.workflow,
      clock,
      stateMachineArn: STATE_MACHINE_ARN,
      personRefKey: async () => 'k',
    };

    // Every day, as the view shows it: per line, the funded weekly pence (in sevenths of a penny a day) and per
    // body its basis points, weighted by the day's funded cost.
    const days: LedgerDayView[] = [];
    const last = financialPeriod(TO).end;
    for (let d = '2024-06-01'; d <= last; d = addDays(d, 1)) {
      clock.set(`${d}T12:00:00.000Z`);
      const view = await getApplication(deps, caller('LA-A'), APP.id);
      if (view.inForce === undefined) throw new Error('the view has no ledger day');
      days.push(view.inForce);
    }

    const rows: ExportRow[] = [
      ...caseRows(toExportCase(APP), {
        batch: { id: 'B', generatedAt: '2026-06-01T00:00:00.000Z', period: TO },
        from: FROM,
        to: TO,
        policies: partnershipPolicies(SURREY),
      }),
    ];
    expect(rows.length).toBeGreaterThan(100);

    let checked = 0;
    for (const lineId of APP.carePlan.serviceLines.map((l) => l.id)) {
      let cumulativeSevenths = 0;
      let cumulativePence = 0;
      for (const key of periodsBetween(FROM, TO)) {
        const period = financialPeriod(key);
        const weights = new Map<string, number>();
        let sevenths = 0;
        let inForce = false;
        for (const day of days) {
          const n = dayNumber(day.date);
          if (n < period.startDay || n > period.endDay) continue;
          const l = day.lines.find((x) => x.lineId === lineId);
          if (l === undefined) continue;
          inForce = true;
          sevenths += l.fundedWeeklyPence;
          for (const p of l.payers) weights.set(p.body, (weights.get(p.body) ?? 0) + l.fundedWeeklyPence * p.basisPoints);
        }
        cumulativeSevenths += sevenths;
        const cumulative = Math.floor((2 * cumulativeSevenths + 7) / 14);
        const gross = cumulative - cumulativePence;
        cumulativePence = cumulative;

        const exported = rows.filter((r) => r.packageLineId === lineId && r.periodMonth === key);
        if (!inForce) {
          expect(exported, `${lineId} ${key}`).toStrictEqual([]);
          continue;
        }
        for (const r of exported) expect(r.grossCost, `${lineId} ${key} gross`).toBe(gross);
        const payers = [...weights].filter(([, w]) => w > 0);
        const pence =
          payers.length === 0
            ? []
            : largestRemainder(
                gross,
                payers.map(([, w]) => w),
              );
        const fromView = Object.fromEntries(payers.map(([body], i) => [body, pence[i]]));
        const fromExport = Object.fromEntries(exported.map((r) => [r.payerOrgCode, r.payerShareAmount]));
        if (payers.length > 0) expect(fromExport, `${lineId} ${key} shares`).toStrictEqual(fromView);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(60);

    // The view's own days add up: each line's payers sum to its funded cost, the funded cost is the cost less the
    // top-up, and the line not under s117 is marked chargeable.
    for (const day of days) {
      for (const l of day.lines) {
        expect(l.payers.reduce((s, p) => s + p.weeklyPence, 0)).toBe(l.fundedWeeklyPence);
        expect(l.weeklyCostPence - l.topUpWeeklyPence).toBe(l.fundedWeeklyPence);
        expect(l.chargeable).toBe(!l.s117);
      }
    }
    const settled = days.find((d) => d.date === '2025-02-01');
    expect(settled?.decision).toMatchObject({ arrangementId: 'FIN', lead: 'ICB-A' });
  });
});
