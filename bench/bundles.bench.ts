/**
 * The size of each function's bundle and the time to import it in a fresh Node process. Every function of the
 * app manifest is bundled exactly as the stack bundles it (esbuild options shared with lib/constructs/lambda.ts),
 * into node_modules/.cache, so `@aws-sdk/*` (external, as in Lambda) resolves from the repository's node_modules.
 * Each bundle is imported in RUNS fresh processes; the figure is the median. Target: at most 300 KB minified and
 * imported in under 150 ms.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { appManifest } from '#lib/app-manifest.ts';
import { esbuildOptions, REPO_ROOT } from '#lib/constructs/lambda.ts';
import { percentile, type BenchResult } from './bench-result.ts';

export const MAX_KB = 300;
export const MAX_IMPORT_MS = 150;
const RUNS = 5;
const OUT_DIR = join(REPO_ROOT, 'node_modules', '.cache', 's117-bench-bundles');

interface Row {
  name: string;
  kb: number;
  importMs: number;
}

function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
  });
  return Number(out.trim().split('\n').at(-1));
}

export async function run(): Promise<BenchResult> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const rows: Row[] = [];
  for (const fn of appManifest.functions) {
    const outfile = join(OUT_DIR, fn.name, 'index.mjs');
    mkdirSync(join(OUT_DIR, fn.name), { recursive: true });
    await build(esbuildOptions(join(REPO_ROOT, fn.handler), outfile, fn.nodeModules));
    const times = Array.from({ length: RUNS }, () => importMs(outfile)).sort((a, b) => a - b);
    rows.push({ name: fn.name, kb: statSync(outfile).size / 1024, importMs: percentile(times, 50) });
  }
  const width = Math.max(8, ...rows.map((r) => r.name.length));
  const lines = [
    `bundles: ${rows.length} functions, esbuild as deployed (ESM, minified, @aws-sdk/* external); import = median of ${RUNS} fresh processes (Node ${process.versions.node})`,
    `${'function'.padEnd(width)}  ${'size KB'.padStart(8)}  ${'import ms'.padStart(9)}`,
    ...rows.map(
      (r) =>
        `${r.name.padEnd(width)}  ${r.kb.toFixed(1).padStart(8)}  ${r.importMs.toFixed(1).padStart(9)}${r.kb > MAX_KB || r.importMs >= MAX_IMPORT_MS ? '  over target' : ''}`,
    ),
  ];
  const maxKb = Math.max(...rows.map((r) => r.kb));
  const maxImportMs = Math.max(...rows.map((r) => r.importMs));
  lines.push(
    `bundles: target each ≤ ${MAX_KB} KB and < ${MAX_IMPORT_MS} ms: ${maxKb <= MAX_KB && maxImportMs < MAX_IMPORT_MS ? 'met' : 'NOT met'}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
  return { bench: 'bundles', maxKb: Number(maxKb.toFixed(1)), maxImportMs: Number(maxImportMs.toFixed(1)) };
}
