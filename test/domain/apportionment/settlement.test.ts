import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates.ts';
import { largestRemainder } from '#domain/money.ts';
import { settle } from '#domain/apportionment/settlement.ts';
import { fundingTerms, payerCommitments } from '#domain/apportionment/schedule.ts';
import { arrangement, BY_CATEGORY, line, policy } from '../../support/finance-builder.ts';

const interim = arrangement('ARR-I', 'interim', [
  ['ICB-A', 'icb', 2_500],
  ['ICB-B', 'icb', 2_500],
  ['LA-A', 'la', 5_000],
]);
const final = arrangement(
  'ARR-F',
  'agreed',
  [
    ['ICB-B', 'icb', 5_000],
    ['LA-A', 'la', 5_000],
  ],
  { startDate: '2024-09-01' },
);

describe('settle', () => {
  it('has the body found responsible repay the one that paid meanwhile, per line and period, from the interim start', () => {
    const plan = { serviceLines: [line({ id: 'L1', weeklyCostPence: 70_000 })] };
    const result = settle({ settlementId: 'SET-1', partnershipId: 'surrey', plan, interim, final, policies: [], upTo: '2024-05-31' });
    expect(result).toStrictEqual({
      settlementId: 'SET-1',
      from: '2024-04-01',
      upTo: '2024-05-31',
      entries: [
        {
          settlementId: 'SET-1',
          n: 1,
          lineId: 'L1',
          period: '2024-04',
          financialYear: '2024/25',
          periodNumber: 1,
          payer: 'ICB-B',
          payee: 'ICB-A',
          pence: 75_000,
          reason: 'SETTLEMENT',
        },
        {
          settlementId: 'SET-1',
          n: 2,
          lineId: 'L1',
          period: '2024-05',
          financialYear: '2024/25',
          periodNumber: 2,
          payer: 'ICB-B',
          payee: 'ICB-A',
          pence: 77_500,
          reason: 'SETTLEMENT',
        },
      ],
      positions: [
        { body: 'ICB-A', interimPence: 152_500, finalPence: 0, differencePence: -152_500 },
        { body: 'ICB-B', interimPence: 152_500, finalPence: 305_000, differencePence: 152_500 },
        { body: 'LA-A', interimPence: 305_000, finalPence: 305_000, differencePence: 0 },
      ],
    });
  });

  it('applies the partnership policy to a final agreed arrangement, so a council that paid meanwhile is repaid too', () => {
    const plan = { serviceLines: [line({ id: 'H', category: 'health', weeklyCostPence: 7_000 })] };
    const result = settle({
      settlementId: 'SET-2',
      partnershipId: 'surrey',
      plan,
      interim,
      final,
      policies: [policy('CAT', BY_CATEGORY)],
      upTo: '2024-04-30',
    });
    expect(result.entries.map((e) => [e.payer, e.payee, e.pence])).toStrictEqual([
      ['ICB-B', 'ICB-A', 7_500],
      ['ICB-B', 'LA-A', 15_000],
    ]);
  });

  it('recharges sum to the difference between interim and final shares; no payment is negative; pence exact', () => {
    const bodies = ['ICB-A', 'ICB-B', 'ICB-C', 'LA-A', 'LA-B'] as const;
    const sharesArb = fc
      .array(fc.integer({ min: 0, max: 10 }), { minLength: 5, maxLength: 5 })
      .filter((w) => w.some((x) => x > 0))
      .map((w) => {
        const bp = largestRemainder(10_000, w);
        return bodies.flatMap((b, i): [string, 'icb' | 'la', number][] =>
          (bp[i] ?? 0) > 0 ? [[b, b.startsWith('ICB') ? 'icb' : 'la', bp[i] ?? 0]] : [],
        );
      });
    fc.assert(
      fc.property(
        sharesArb,
        sharesArb,
        fc.boolean(),
        fc.array(
          fc.record({
            weekly: fc.integer({ min: 0, max: 3_000_000 }),
            start: fc.integer({ min: 0, max: 300 }),
            days: fc.integer({ min: 0, max: 500 }),
            category: fc.constantFrom('health' as const, 'social-care' as const, 'accommodation' as const),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 700 }),
        (interimShares, finalShares, withPolicy, lines, upToOffset) => {
          const i = arrangement('I', 'interim', interimShares);
          const f = arrangement('F', 'agreed', finalShares);
          const plan = {
            serviceLines: lines.map((l, n) =>
              line({
                id: `L${n}`,
                weeklyCostPence: l.weekly,
                category: l.category,
                startDate: addDays('2024-04-01', l.start),
                endDate: addDays('2024-04-01', l.start + l.days),
              }),
            ),
          };
          const policies = withPolicy ? [policy('CAT', BY_CATEGORY)] : [];
          const upTo = addDays('2024-04-01', upToOffset);
          const result = settle({ settlementId: 'S', partnershipId: 'surrey', plan, interim: i, final: f, policies, upTo });

          const interimDue = payerCommitments(plan, fundingTerms([i], [], 'surrey'), upTo);
          const finalDue = payerCommitments(plan, fundingTerms([{ ...f, startDate: i.startDate }], policies, 'surrey'), upTo);
          const net = new Map<string, number>();
          for (const c of finalDue) net.set(c.body, (net.get(c.body) ?? 0) + c.pence);
          for (const c of interimDue) net.set(c.body, (net.get(c.body) ?? 0) - c.pence);
          for (const e of result.entries) {
            expect(Number.isInteger(e.pence) && e.pence > 0).toBe(true);
            expect(e.payer).not.toBe(e.payee);
            net.set(e.payer, (net.get(e.payer) ?? 0) - e.pence);
            net.set(e.payee, (net.get(e.payee) ?? 0) + e.pence);
          }
          // After the recharges every body has borne exactly its final share.
          for (const [body, left] of net) expect([body, left]).toStrictEqual([body, 0]);
          expect(result.positions.reduce((a, p) => a + p.differencePence, 0)).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
