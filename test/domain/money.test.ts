import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPounds, largestRemainder } from '#domain/money.ts';
import { isValidNhsNumber } from '#domain/applications/nhs-number.ts';

describe('largest-remainder apportionment', () => {
  it('stays exact when total × weight passes 2^53 and both floors fall short (found by the settlement property)', () => {
    // May 2024 at £23,366.71 a week split 80:20: the exact parts are whole, but floating point puts both just below.
    const w = 2_336_671 * 31;
    expect(largestRemainder(10_348_115, [w * 8_000, w * 2_000])).toStrictEqual([8_278_492, 2_069_623]);
  });

  it.each([
    { total: 100, weights: [1, 1, 1], parts: [34, 33, 33] },
    { total: 1, weights: [1, 1], parts: [1, 0] },
    { total: 199_999, weights: [5000, 5000], parts: [100_000, 99_999] },
    { total: -101, weights: [1, 1], parts: [-51, -50] },
    { total: 0, weights: [3, 7], parts: [0, 0] },
  ])('$total by $weights → $parts', ({ total, weights, parts }) => {
    expect(largestRemainder(total, weights)).toStrictEqual(parts);
  });

  it('parts always sum to the whole, and none is negative for a positive total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 8 }).filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = largestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(parts.every((p) => Number.isInteger(p) && p >= 0)).toBe(true);
          parts.forEach((p, i) => expect(Math.abs(p - (total * (weights[i] ?? 0)) / weights.reduce((a, b) => a + b, 0))).toBeLessThan(1));
        },
      ),
    );
  });

  it('stays exact when total × weight passes 2^53', () => {
    const parts = largestRemainder(9_007_199_254_740_000, [3, 3, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(9_007_199_254_740_000);
    expect(parts).toStrictEqual([3_860_228_252_031_429, 3_860_228_252_031_428, 1_286_742_750_677_143]);
  });

  it('refuses fractional totals and empty weights', () => {
    expect(() => largestRemainder(1.5, [1])).toThrow(RangeError);
    expect(() => largestRemainder(10, [0, 0])).toThrow(RangeError);
  });

  it('formats pence as pounds', () => {
    expect([formatPounds(123456), formatPounds(-1234), formatPounds(5)]).toStrictEqual(['£1,234.56', '-£12.34', '£0.05']);
  });
});

describe('NHS number check digit (modulus 11)', () => {
  it.each(['9434765919', '943 476 5919', '4010232137'])('%s is valid', (n) => expect(isValidNhsNumber(n)).toBe(true));
  it.each([
    ['9434765918', 'wrong check digit'],
    ['943476591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['943476591A', 'a letter'],
    ['1000000010', 'check digit would be 10'],
  ])('%s is invalid (%s)', (n) => expect(isValidNhsNumber(n)).toBe(false));
});
