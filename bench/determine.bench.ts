/**
 * Determinations per second on one core over a seeded synthetic register of 100,000 histories
 * (5 to 40 events each), generated before timing starts. Target: at least 50,000 per second.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Determination } from '#domain/determination.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { determine } from '#domain/responsibility/determine.ts';
import { percentile, type BenchResult } from './bench-result.ts';
import { generateRegister } from './synthetic-register.ts';

export const SEED = 117_2025;
export const CASES = 100_000;
const WARMUP = 5_000;

/**
 * A full collection on demand, so the 270 MB register (which a real caller never holds) is marked
 * before the clock starts rather than in the middle of a timed run.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export async function run(): Promise<BenchResult> {
  const genStart = performance.now();
  const register = generateRegister(CASES, SEED);
  const events = register.reduce((n, f) => n + f.events.length, 0);
  process.stdout.write(
    `determine: ${CASES.toLocaleString('en-GB')} synthetic histories (seed ${SEED}, ${events.toLocaleString('en-GB')} events) generated in ${((performance.now() - genStart) / 1000).toFixed(1)} s\n`,
  );

  // Warm up the JIT on a slice, so the timed runs measure steady state.
  let sink = 0;
  for (let i = 0; i < WARMUP; i += 1)
    sink += determine(register[i % CASES] as (typeof register)[number], DEFAULT_RULE_CONFIG).needsHumanReview.length;

  // Batch run: one timer around the whole register, so timer overhead does not colour the throughput.
  collectGarbage();
  const batchStart = process.hrtime.bigint();
  for (const facts of register) sink += determine(facts, DEFAULT_RULE_CONFIG).needsHumanReview.length;
  const batchNs = Number(process.hrtime.bigint() - batchStart);
  const batchPerSecond = CASES / (batchNs / 1e9);

  // Per-case run: a timer around each determination, for the latency distribution.
  const perCaseNs = new Float64Array(CASES);
  let last: Determination | undefined;
  collectGarbage();
  for (let i = 0; i < CASES; i += 1) {
    const facts = register[i] as (typeof register)[number];
    const t0 = process.hrtime.bigint();
    last = determine(facts, DEFAULT_RULE_CONFIG);
    perCaseNs[i] = Number(process.hrtime.bigint() - t0);
    sink += last.needsHumanReview.length;
  }
  const timedTotalNs = perCaseNs.reduce((a, b) => a + b, 0);
  perCaseNs.sort();
  const ms = (ns: number): string => (ns / 1e6).toFixed(4);
  const p50 = percentile(perCaseNs, 50);
  const p99 = percentile(perCaseNs, 99);
  const max = perCaseNs[CASES - 1] ?? Number.NaN;

  process.stdout.write(
    [
      `determine: batch       ${Math.round(batchPerSecond).toLocaleString('en-GB')} determinations/s (${(batchNs / 1e6).toFixed(0)} ms for ${CASES.toLocaleString('en-GB')}, one core)`,
      `determine: per case    p50 ${ms(p50)} ms · p99 ${ms(p99)} ms · max ${ms(max)} ms (sum of timed cases ${(timedTotalNs / 1e6).toFixed(0)} ms)`,
      `determine: target      50,000/s: ${batchPerSecond >= 50_000 ? 'met' : 'NOT met'}`,
      `determine: (checksum ${sink})`,
      '',
    ].join('\n'),
  );
  return { bench: 'determine', perSecond: batchPerSecond, p99Ms: p99 / 1e6 };
}
