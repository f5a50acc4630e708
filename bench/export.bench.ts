/**
 * Finance export: 1,000,000 CSV rows (a seeded synthetic register of about 30,000 applications, one to
 * four service lines each, one or two payers per line, 12 periods of 2024/25) streamed to a temporary
 * file. The register is generated lazily, case by case, twice (once for the batch id, once for the
 * rows), so nothing holds it all. Prints rows per second and peak RSS.
 * Target: at least 200,000 rows per second and under 256 MB peak.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SERVICE_CATEGORIES, type FundingArrangement, type ServiceLine } from '#domain/applications/application.ts';
import { addDays } from '#domain/dates.ts';
import type { ApportionmentPolicy } from '#domain/apportionment/policy.ts';
import { exportRows, type ExportCase, type ExportRow, type RowsRequest } from '#domain/exports/rows.ts';
import { describeBatch } from '#functions/exports/batch-id.ts';
import { streamFinanceCsv } from '#functions/exports/csv.ts';
import { mulberry32 } from './synthetic-register.ts';

export const SEED = 117_2026;
export const ROWS = 1_000_000;
const TARGET_ROWS_PER_SECOND = 200_000;
const TARGET_PEAK_MB = 256;

const ICBS = ['QXU', 'QNQ', 'QHM', 'QOX', 'QRL', 'QKS'] as const;
const LAS = ['E10000030', 'E06000036', 'E06000037', 'E10000016', 'E06000043', 'E10000032'] as const;
const PROVIDERS = [
  'Oak House, Guildford',
  'Mind in Surrey',
  'Surrey and Borders Partnership NHS FT',
  '=HYPERLINK("http://x","y")',
  'Brightwell Homecare',
  'St "Anne\'s" Lodge',
];

const POLICIES: ApportionmentPolicy[] = [
  {
    id: 'BENCH-CAT',
    version: 1,
    partnershipId: 'bench',
    effectiveFrom: '2020-04-01',
    agreementRef: 'S75-BENCH',
    description: 'by category',
    rule: {
      kind: 'by-category',
      icbBasisPoints: { health: 10_000, 'social-care': 0, accommodation: 5_000, employment: 2_500, other: 5_000 },
    },
  },
];

/** The seeded register, one case at a time: the same seed gives the same cases, on any machine. */
export function* syntheticCases(seed: number): Generator<ExportCase> {
  const rng = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  for (let n = 1; ; n += 1) {
    const id = `app_${String(n).padStart(7, '0')}`;
    const start = addDays('2023-10-01', int(0, 170));
    const icb = pick(ICBS);
    const la = pick(LAS);
    const interim = rng() < 0.15;
    const lines: ServiceLine[] = [];
    for (let l = int(1, 4); l > 0; l -= 1) {
      const weekly = int(5_000, 250_000);
      const line: ServiceLine = {
        id: `L${l}`,
        description: 'Aftercare',
        provider: pick(PROVIDERS),
        category: pick(SERVICE_CATEGORIES),
        s117: rng() < 0.93,
        weeklyCostPence: weekly,
        startDate: start,
      };
      if (rng() < 0.4) line.uplifts = [{ from: addDays('2024-04-01', int(0, 300)), weeklyCostPence: Math.round(weekly * 1.04) }];
      lines.push(line);
    }
    const arrangement: FundingArrangement = {
      id: `ARR-${n}`,
      state: interim ? 'interim' : 'agreed',
      withoutPrejudice: interim,
      startDate: start,
      lead: la,
      shares: [
        { body: icb, party: 'icb', basisPoints: 5_000 },
        { body: la, party: 'la', basisPoints: 5_000 },
      ],
      basis: 'bench',
      ruleIds: ['R-APP-1'],
      createdAt: `${start}T09:00:00.000Z`,
    };
    yield {
      id,
      version: 1,
      partnershipId: 'bench',
      personRef: `p_${((n * 2_654_435_761) >>> 0).toString(16)}`,
      status: interim ? 'interim' : 'agreed',
      updatedAt: `${start}T09:00:00.000Z`,
      carePlan: { serviceLines: lines },
      arrangements: [arrangement],
    };
  }
}

/** The first `count` items, lazily. */
function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let n = 0;
  for (const item of items) {
    yield item;
    n += 1;
    if (n >= count) return;
  }
}

export async function run(): Promise<{ bench: string; rowsPerSecond: number; peakRssMb: number }> {
  const request = (batch: RowsRequest['batch']): RowsRequest => ({ batch, from: '2024-04', to: '2025-03', policies: POLICIES });
  // How many cases give a million rows: counted once without formatting (cheap, and not timed).
  let cases = 0;
  let counted = 0;
  const probe = request({ id: 'probe', generatedAt: '', period: '2025-03' });
  for (const c of syntheticCases(SEED)) {
    cases += 1;
    const rows = exportRows([c], probe);
    while (!rows.next().done) counted += 1;
    if (counted >= ROWS) break;
  }

  const dir = mkdtempSync(join(tmpdir(), 's117-export-bench-'));
  const file = join(dir, 'export.csv');
  try {
    const t0 = performance.now();
    const batch = await describeBatch(
      { partnershipId: 'bench', period: '2025-03', from: '2024-04', to: '2025-03', policies: POLICIES, previousBatchIds: [] },
      take(syntheticCases(SEED), cases),
    );
    let rows = 0;
    const counting = function* (source: Iterable<ExportRow>): Generator<ExportRow> {
      for (const row of source) {
        rows += 1;
        yield row;
      }
    };
    await pipeline(
      Readable.from(streamFinanceCsv(take(counting(exportRows(take(syntheticCases(SEED), cases), request(batch))), ROWS))),
      createWriteStream(file),
    );
    const seconds = (performance.now() - t0) / 1000;
    const rowsPerSecond = rows / seconds;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const bytes = statSync(file).size;
    process.stdout.write(
      [
        `export: ${rows.toLocaleString('en-GB')} rows from ${cases.toLocaleString('en-GB')} synthetic applications (seed ${SEED}), batch ${batch.id}`,
        `export: CSV ${(bytes / 1_048_576).toFixed(0)} MB in ${seconds.toFixed(2)} s: ${Math.round(rowsPerSecond).toLocaleString('en-GB')} rows/s, peak RSS ${peakRssMb.toFixed(0)} MB`,
        `export: target ${TARGET_ROWS_PER_SECOND.toLocaleString('en-GB')} rows/s: ${rowsPerSecond >= TARGET_ROWS_PER_SECOND ? 'met' : 'NOT met'}; under ${TARGET_PEAK_MB} MB: ${peakRssMb < TARGET_PEAK_MB ? 'met' : 'NOT met'}`,
        '',
      ].join('\n'),
    );
    return { bench: 'export', rowsPerSecond: Math.round(rowsPerSecond), peakRssMb: Math.round(peakRssMb) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
