/**
 * `npm run fuzz`: the route fuzzer (test/fuzz/route-fuzz.ts) for a bounded count and time.
 * FUZZ_RUNS (default 10000) requests at most, FUZZ_SECONDS (default 1800) at most, FUZZ_SEED to replay a run.
 * Progress and findings go to stderr; the last line on stdout is the report as JSON.
 */
import '../functions/api/quiet-logs.ts';
import { fuzzRoutes } from './route-fuzz.ts';

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not '${raw}'`);
  return value;
}

const runs = positiveInteger('FUZZ_RUNS', 10_000);
const seconds = positiveInteger('FUZZ_SECONDS', 1800);
const seed = process.env['FUZZ_SEED'] === undefined ? undefined : positiveInteger('FUZZ_SEED', 1);
const report = await fuzzRoutes({
  runs,
  timeLimitMs: seconds * 1000,
  ...(seed === undefined ? {} : { seed }),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(report.serverErrors + report.hangs + report.writesOnRefused === 0 ? 0 : 1);
