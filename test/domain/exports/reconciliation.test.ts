/**
 * Every exported row reconciles (issue 13 item 2): gross_cost = units x unit_rate rounded half up to the penny
 * + proration_pence, and a row whose proration is not 0 says why (PART_WEEK, PENNY_CARRIED), as does a row with
 * no single rate (RATE_CHANGED).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates.ts';
import { exportRows, reconciliation, unitsTimesRate, type ExportRow } from '#domain/exports/rows.ts';
import { arrangement, BY_CATEGORY, exportCase, line, policy } from '../../support/finance-builder.ts';

const batch = { id: 'B', generatedAt: '2025-04-01T00:00:00.000Z', period: '2025-03' };

function reconciles(r: ExportRow): boolean {
  if (r.unitRate === null || r.units === '') return r.prorationPence === null && r.prorationReason === 'RATE_CHANGED';
  if (r.prorationPence === null) return false;
  const sum = unitsTimesRate(r.units, r.unitRate) + r.prorationPence;
  return sum === r.grossCost && (r.prorationPence === 0) === (r.prorationReason === '');
}

describe('units x rate', () => {
  it.each([
    ['4.2857', 42_000, 179_999],
    ['4.2857', 100_000, 428_570],
    ['1.0000', 12_345, 12_345],
    ['0.1429', 35, 5],
    ['0.0000', 99_999, 0],
  ])('%s weeks at %i pence is %i pence', (units, rate, pence) => {
    expect(unitsTimesRate(units, rate)).toBe(pence);
  });

  it('says why a row does not reconcile, and never when it does', () => {
    expect(reconciliation('4.2857', 42_000, 180_000, 30)).toStrictEqual({ prorationPence: 1, prorationReason: 'PART_WEEK' });
    expect(reconciliation('4.0000', 42_000, 168_001, 28)).toStrictEqual({ prorationPence: 1, prorationReason: 'PENNY_CARRIED' });
    expect(reconciliation('4.0000', 42_000, 168_000, 28)).toStrictEqual({ prorationPence: 0, prorationReason: '' });
    expect(reconciliation('', null, 5_000, 30)).toStrictEqual({ prorationPence: null, prorationReason: 'RATE_CHANGED' });
  });
});

describe('every exported row reconciles (property)', () => {
  it('over random lines, uplifts, top-ups, ends and splits, gross = units x rate + proration, with a reason when not 0', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            weekly: fc.integer({ min: 0, max: 2_000_000 }),
            start: fc.integer({ min: 0, max: 200 }),
            length: fc.option(fc.integer({ min: 0, max: 400 })),
            uplift: fc.option(fc.record({ after: fc.integer({ min: 1, max: 300 }), weekly: fc.integer({ min: 0, max: 2_000_000 }) })),
            category: fc.constantFrom('health', 'social-care', 'accommodation', 'employment', 'other' as const),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 10_000 }),
        (specs, icb) => {
          const serviceLines = specs.map((s, i) => {
            const startDate = addDays('2024-04-01', s.start);
            const l = line({ id: `L${i}`, weeklyCostPence: s.weekly, startDate, category: s.category });
            if (s.length !== null) l.endDate = addDays(startDate, s.length);
            if (s.uplift !== null) l.uplifts = [{ from: addDays(startDate, s.uplift.after), weeklyCostPence: s.uplift.weekly }];
            return l;
          });
          const shares: [string, 'icb' | 'la', number][] = [
            ['ICB-A', 'icb', icb],
            ['LA-A', 'la', 10_000 - icb],
          ];
          const c = exportCase('app', {
            carePlan: { serviceLines },
            arrangements: [
              arrangement(
                'A',
                'agreed',
                shares.filter(([, , bp]) => bp > 0),
              ),
            ],
          });
          const rows = [...exportRows([c], { batch, from: '2024-04', to: '2025-03', policies: [policy('CAT', BY_CATEGORY)] })];
          expect(rows.filter((r) => !reconciles(r))).toStrictEqual([]);
        },
      ),
    );
  });

  it('a month at a rate that is not a whole number of pence a day says PART_WEEK, not a silent 8p gap', () => {
    const c = exportCase('app', {
      carePlan: { serviceLines: [line({ id: 'L', weeklyCostPence: 1_234_567 })] },
      arrangements: [arrangement('A', 'agreed', [['LA-A', 'la', 10_000]])],
    });
    const [april] = [...exportRows([c], { batch, from: '2024-04', to: '2024-04', policies: [] })];
    expect(april).toMatchObject({ units: '4.2857', unitRate: 1_234_567, prorationReason: 'PART_WEEK' });
    expect(april && unitsTimesRate(april.units, 1_234_567) + (april.prorationPence ?? 0)).toBe(april?.grossCost);
  });
});
