import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates.ts';
import { largestRemainder } from '#domain/money.ts';
import type { FundingArrangement } from '#domain/applications/application.ts';
import {
  diffAgainstPrevious,
  exportRows,
  fundingStatus,
  rowKey,
  type ExportBatch,
  type ExportCase,
  type ExportRow,
} from '#domain/exports/rows.ts';
import { rechargeStatements } from '#domain/exports/recharges.ts';
import { arrangement, BY_CATEGORY, exportCase, line, policy } from '../../support/finance-builder.ts';

const batch = (id: string, period: string): ExportBatch => ({ id, generatedAt: '2024-07-01T00:00:00.000Z', period });
const POLICIES = [policy('CAT', BY_CATEGORY)];

describe('fundingStatus', () => {
  const interim = arrangement('I', 'interim', [
    ['ICB-A', 'icb', 5_000],
    ['LA-A', 'la', 5_000],
  ]);
  const atSubmission = arrangement(
    'S',
    'interim',
    [
      ['ICB-A', 'icb', 5_000],
      ['LA-A', 'la', 5_000],
    ],
    { cause: 'submission' },
  );
  const agreed = arrangement('A', 'agreed', [
    ['ICB-A', 'icb', 5_000],
    ['LA-A', 'la', 5_000],
  ]);
  it.each<[string, FundingArrangement, ExportCase['status'], FundingArrangement[], string]>([
    ['interim while the bodies are asked', interim, 'interim', [interim], 'INTERIM_WITHOUT_PREJUDICE'],
    ['interim during a dispute', interim, 'in-dispute', [interim], 'DISPUTED'],
    ['agreed at first asking', agreed, 'agreed', [agreed], 'AGREED'],
    ['agreed after interim funding', agreed, 'agreed', [interim, agreed], 'FINAL'],
    ['agreed after a dispute interim that followed the submission one', agreed, 'agreed', [atSubmission, interim, agreed], 'FINAL'],
    ['agreed at first asking, after the interim recorded at submission', agreed, 'agreed', [atSubmission, agreed], 'AGREED'],
    [
      'the interim recorded at submission while the bodies are asked',
      atSubmission,
      'awaiting-responses',
      [atSubmission],
      'INTERIM_WITHOUT_PREJUDICE',
    ],
    ['settled', agreed, 'settled', [agreed], 'FINAL'],
  ])('%s → %s', (_name, a, status, arrangements, expected) => {
    expect(fundingStatus(a, { status, arrangements })).toBe(expected);
  });
});

describe('export rows', () => {
  it("one row per line, payer and period; an s117 line is never chargeable; the lead's own share has no counterparty", () => {
    const c = exportCase('app_1', {
      carePlan: {
        serviceLines: [
          line({ id: 'A', category: 'accommodation', weeklyCostPence: 7_000 }),
          line({ id: 'X', s117: false, weeklyCostPence: 700, startDate: '2024-05-01' }),
        ],
      },
      arrangements: [
        arrangement('ARR', 'agreed', [
          ['ICB-A', 'icb', 5_000],
          ['LA-A', 'la', 5_000],
        ]),
      ],
    });
    const rows = [...exportRows([c], { batch: batch('B1', '2024-05'), from: '2024-04', to: '2024-05', policies: POLICIES })];
    expect(
      rows.map((r) => [
        r.packageLineId,
        r.periodMonth,
        r.payerOrgCode,
        r.counterpartyOrgCode,
        r.payerShareAmount,
        r.s117,
        r.chargeable,
        r.splitBasis,
      ]),
    ).toStrictEqual([
      ['A', '2024-04', 'ICB-A', 'LA-A', 15_000, true, false, 'BY_CATEGORY'],
      ['A', '2024-04', 'LA-A', '', 15_000, true, false, 'BY_CATEGORY'],
      ['A', '2024-05', 'ICB-A', 'LA-A', 15_500, true, false, 'BY_CATEGORY'],
      ['A', '2024-05', 'LA-A', '', 15_500, true, false, 'BY_CATEGORY'],
      ['X', '2024-05', 'LA-A', '', 3_100, false, true, 'OTHER_LAW'],
    ]);
  });

  it('a recharge statement nets what each pair owes, leaving settled adjustments to the settlement entries', () => {
    const c = exportCase('app_1', {
      carePlan: { serviceLines: [line({ id: 'A', weeklyCostPence: 7_000 })] },
      arrangements: [
        arrangement('ARR', 'interim', [
          ['ICB-A', 'icb', 5_000],
          ['LA-A', 'la', 5_000],
        ]),
      ],
    });
    const rows = [...exportRows([c], { batch: batch('B1', '2024-04'), from: '2024-04', to: '2024-04', policies: [] })];
    const settledAway: ExportRow = {
      ...(rows[0] as ExportRow),
      isAdjustment: true,
      reasonCode: 'SETTLEMENT',
      adjustsPeriod: '2024-04',
      payerShareAmount: -15_000,
    };
    const settlement = {
      settlementId: 'S',
      n: 1,
      lineId: 'A',
      period: '2024-04',
      financialYear: '2024/25',
      periodNumber: 1,
      payer: 'ICB-B',
      payee: 'ICB-A',
      pence: 15_000,
      reason: 'SETTLEMENT' as const,
    };
    expect(rechargeStatements([...rows, settledAway], [settlement])).toStrictEqual([
      {
        bodyA: 'ICB-A',
        bodyB: 'ICB-B',
        bOwesA: 15_000,
        lines: [{ servicePeriod: '2024-04', source: 'SETTLEMENT', from: 'ICB-B', to: 'ICB-A', pence: 15_000, entries: 1 }],
      },
      {
        bodyA: 'ICB-A',
        bodyB: 'LA-A',
        bOwesA: -15_000,
        lines: [{ servicePeriod: '2024-04', source: 'SHARE', from: 'ICB-A', to: 'LA-A', pence: 15_000, entries: 1 }],
      },
    ]);
  });
});

interface CaseSpec {
  weekly: number[];
  start: number;
  icb: number;
  secondIcb: boolean;
  interim: boolean;
}
interface ChangeSpec {
  weeklyDelta: number;
  endAfter: number | null;
  settleTo: string | null;
  backdatedLine: boolean;
}

const caseArb: fc.Arbitrary<CaseSpec> = fc.record({
  weekly: fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 3 }),
  start: fc.integer({ min: 0, max: 90 }),
  icb: fc.integer({ min: 0, max: 10_000 }),
  secondIcb: fc.boolean(),
  interim: fc.boolean(),
});
const changeArb: fc.Arbitrary<ChangeSpec> = fc.record({
  weeklyDelta: fc.integer({ min: -100_000, max: 100_000 }),
  endAfter: fc.option(fc.integer({ min: 0, max: 120 })),
  settleTo: fc.option(fc.constantFrom('ICB-B', 'ICB-C')),
  backdatedLine: fc.boolean(),
});

/** A case from a spec; with a change: a cost changed from the start, an end date, a settlement, a line found late. */
function toCase(i: number, c: CaseSpec, change?: ChangeSpec): ExportCase {
  const startDate = addDays('2024-04-01', c.start);
  const lines = c.weekly.map((w, n) =>
    line({
      id: `L${n}`,
      category: (['health', 'social-care', 'accommodation'] as const)[n % 3] ?? 'other',
      startDate,
      weeklyCostPence: n === 0 && change ? Math.max(0, w + change.weeklyDelta) : w,
      ...(n === 0 && change && change.endAfter !== null ? { endDate: addDays(startDate, change.endAfter) } : {}),
    }),
  );
  if (change?.backdatedLine) lines.push(line({ id: 'NEW', weeklyCostPence: 12_345, startDate: '2024-04-20' }));
  const icbBodies = c.secondIcb ? ['ICB-A', 'ICB-B'] : ['ICB-A'];
  const weights = [...icbBodies.map(() => c.icb / icbBodies.length), 10_000 - c.icb];
  const bp = largestRemainder(10_000, weights);
  const shares: [string, 'icb' | 'la', number][] = [
    ...icbBodies.map((b, k): [string, 'icb', number] => [b, 'icb', bp[k] ?? 0]),
    ['LA-A', 'la', bp.at(-1) ?? 0],
  ];
  const arrangements = [
    arrangement(
      `ARR-${i}`,
      c.interim ? 'interim' : 'agreed',
      shares.filter((s) => s[2] > 0),
      { startDate },
    ),
  ];
  if (change && change.settleTo !== null)
    arrangements.push(
      arrangement(
        `ARR-${i}-F`,
        'agreed',
        [
          [change.settleTo, 'icb', 5_000],
          ['LA-A', 'la', 5_000],
        ],
        { startDate },
      ),
    );
  return exportCase(`app_${i}`, {
    carePlan: { serviceLines: lines },
    arrangements,
    status: change && change.settleTo !== null ? 'settled' : c.interim ? 'interim' : 'agreed',
  });
}

describe('adjustment properties', () => {
  it("adjustments sum to the difference between what was exported and what is now due; no share is negative; shares sum to each line's gross", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(caseArb, changeArb), { minLength: 1, maxLength: 4 }), (specs) => {
        const before = specs.map(([c], i) => toCase(i, c));
        const after = specs.map(([c, ch], i) => toCase(i, c, ch));
        const april = [...exportRows(before, { batch: batch('B-04', '2024-04'), from: '2024-04', to: '2024-04', policies: POLICIES })];
        const may = [...exportRows(before, { batch: batch('B-05', '2024-05'), from: '2024-05', to: '2024-05', policies: POLICIES })];
        const july = batch('B-07', '2024-07');
        const restated = [...exportRows(after, { batch: july, from: '2024-04', to: '2024-05', policies: POLICIES })];
        const adjustments = diffAgainstPrevious([...april, ...may], restated, july);

        for (const rows of [april, may, restated]) {
          expect(rows.every((r) => Number.isInteger(r.payerShareAmount) && r.payerShareAmount >= 0)).toBe(true);
          const byLine = new Map<string, { gross: number; sum: number }>();
          for (const r of rows) {
            const k = `${r.registerId}|${r.packageLineId}|${r.periodMonth}`;
            const e = byLine.get(k) ?? { gross: r.grossCost, sum: 0 };
            e.sum += r.payerShareAmount;
            byLine.set(k, e);
          }
          for (const [k, e] of byLine) expect([k, e.sum]).toStrictEqual([k, e.gross]);
        }
        const net = new Map<string, number>();
        for (const r of [...april, ...may, ...adjustments]) net.set(rowKey(r), (net.get(rowKey(r)) ?? 0) + r.payerShareAmount);
        for (const r of restated) net.set(rowKey(r), (net.get(rowKey(r)) ?? 0) - r.payerShareAmount);
        for (const [k, v] of net) expect([k, v]).toStrictEqual([k, 0]);
        for (const a of adjustments) {
          expect(a.payerShareAmount).not.toBe(0);
          expect([a.isAdjustment, a.periodMonth, a.exportBatchId, ['B-04', 'B-05'].includes(a.adjustsBatchId)]).toStrictEqual([
            true,
            '2024-07',
            'B-07',
            true,
          ]);
        }
        // Exporting again with nothing changed adjusts nothing.
        expect(diffAgainstPrevious([...april, ...may, ...adjustments], restated, batch('B-08', '2024-08'))).toStrictEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
