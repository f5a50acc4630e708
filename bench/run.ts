/**
 * `npm run bench` runs every bench/*.bench.ts in turn; `npm run bench -- NAME...` runs the named ones.
 * Each bench prints its own figures; the runner then prints exactly one JSON line for it, last:
 *   {"bench":"determine","perSecond":81234,"p99Ms":0.04}
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './bench-result.ts';

const SUFFIX = '.bench.ts';
const benchDir = import.meta.dirname;

export function availableBenches(): string[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

function isBenchResult(value: unknown): value is BenchResult {
  if (value === null || typeof value !== 'object') return false;
  const { bench, ...figures } = value as Record<string, unknown>;
  return (
    typeof bench === 'string' &&
    Object.keys(figures).length > 0 &&
    Object.values(figures).every((f) => typeof f === 'number' && Number.isFinite(f))
  );
}

/** The one JSON line: throughput as a whole number, p99 to three significant figures; other figures as given. */
export function resultLine(result: BenchResult): string {
  if (typeof result['perSecond'] === 'number' && typeof result['p99Ms'] === 'number') {
    return JSON.stringify({ bench: result.bench, perSecond: Math.round(result.perSecond), p99Ms: Number(result.p99Ms.toPrecision(3)) });
  }
  return JSON.stringify(result);
}

async function main(argv: string[]): Promise<number> {
  const available = availableBenches();
  const unknown = argv.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: no bench named ${unknown.map((n) => JSON.stringify(n)).join(', ')}. Available: ${available.join(', ')}\n`);
    return 2;
  }
  for (const name of argv.length > 0 ? argv : available) {
    const mod = (await import(pathToFileURL(join(benchDir, `${name}${SUFFIX}`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      process.stderr.write(`bench: ${name}${SUFFIX} does not export run()\n`);
      return 1;
    }
    const result = await mod.run();
    if (!isBenchResult(result)) {
      process.stderr.write(`bench: ${name} returned something other than { bench, <figure>: number, ... }\n`);
      return 1;
    }
    process.stdout.write(`${resultLine(result)}\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
// A bench's local runtime can leave timers behind (a task timeout of a workflow still waiting, weeks away): once
// every bench has printed, do not wait for them. Unref'd, so a clean exit is not delayed.
setTimeout(() => process.exit(), 2_000).unref();
