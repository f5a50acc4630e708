/** What a throughput bench's `run()` resolves to. */
export interface ThroughputResult {
  bench: string;
  /** Operations per second, on one core. */
  perSecond: number;
  /** 99th-percentile time for one operation, in milliseconds. */
  p99Ms: number;
}

/** A bench that reports other figures (e.g. bundles: `maxKb`, `maxImportMs`): each a finite number. */
export interface FiguresResult {
  bench: string;
  [figure: string]: string | number;
}

/** What every `bench/*.bench.ts` module's `run()` resolves to; the runner prints it as the bench's last line. */
export type BenchResult = ThroughputResult | FiguresResult;

export interface BenchModule {
  run(): Promise<BenchResult>;
}

/** Percentile (0..100) of an ascending-sorted list, by nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
