/**
 * Money in whole pence and shares in basis points (1/100 of a percent), so that splits are exact and
 * parts always add up to the whole (largest-remainder apportionment).
 */
export type Pence = number & { readonly __brand?: 'Pence' };
export type BasisPoints = number & { readonly __brand?: 'BasisPoints' };

export const WHOLE: BasisPoints = 10_000;

export const percentage = (bp: BasisPoints): number => bp / 100;

/**
 * Splits `total` by `weights` with largest-remainder rounding: every part is a whole number, the parts
 * sum to `total` exactly, and ties in the remainder go to the earlier weight. Weights must be >= 0
 * with a positive sum; a negative total is split as its magnitude and negated.
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total)) throw new RangeError(`total must be a whole number, got ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.some((w) => w < 0 || !Number.isFinite(w)) || sum <= 0)
    throw new RangeError('weights must be non-negative with a positive sum');
  if (total < 0) return largestRemainder(-total, weights).map((p) => (p === 0 ? 0 : -p));
  if (weights.every(Number.isInteger) && !Number.isSafeInteger(total * sum)) return exactLargestRemainder(total, weights);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rem: x - Math.floor(x) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] as number) + 1;
    left -= 1;
  }
  return parts;
}

/** The same apportionment in exact integer arithmetic, for products beyond 2^53. */
function exactLargestRemainder(total: number, weights: readonly number[]): number[] {
  const t = BigInt(total);
  const ws = weights.map(BigInt);
  const sum = ws.reduce((a, b) => a + b, 0n);
  const parts = ws.map((w) => (t * w) / sum);
  const remainders = ws.map((w, i) => ({ i, rem: (t * w) % sum }));
  let left = t - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0n) break;
    parts[i] = (parts[i] as bigint) + 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

/** "£1,234.56" for letters and pages; "-£12.34" for a negative amount. */
export function formatPounds(pence: Pence): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  return `${sign}£${pounds}.${String(abs % 100).padStart(2, '0')}`;
}
