/**
 * The apportionment export as three steps over partitions of the register, run by statemachines/export.asl.json
 * in AWS (and on the local Step Functions server), or one after another in the API handler for a small register:
 *
 * 1. PrepareExport: the partnership's policies, its applications (register-id order, snapshotted into partition
 *    files of at most PARTITION_CASES cases, without NHS numbers, names or facts), the batches of the financial
 *    year so far, and the batch id from the manifest (`describeBatch`). The latest batch of the period,
 *    re-described with the manifest it was made from, gives its own id back when nothing changed: the export is
 *    then that stored batch, byte for byte, and nothing is written.
 * 2. WriteExportPart (one per partition): the period's rows (when the period was never exported) and the
 *    adjustments against every row exported so far this financial year (`diffAgainstPrevious`, case by case:
 *    memory grows with one partition, not the register), written as CSV lines and as JSON rows.
 * 3. CompleteExport: joins the parts (the header once, every part's rows, then every part's adjustments) into the
 *    batch's CSV, its XLSX (one writer over the ordered parts) and its rows file (what later batches diff
 *    against), then records the batch (`attribute_not_exists`: a batch is never rewritten). When the period
 *    was exported before and the parts hold no row at all (an application changed, no amount did), no batch is
 *    recorded: the period's latest batch stands ('unchanged').
 * Files: `batches/<partnership>/<period>/<batchId>/export.csv|export.xlsx|rows.ndjson` (kept);
 * `work/<exportId>/...` (the partitions and parts, deleted by CompleteExport).
 */
import type { Clock, Directory } from '#domain/ports.ts';
import type { ApportionmentPolicy } from '#domain/apportionment/policy.ts';
import { partnershipPolicies } from '#domain/funding/ledger.ts';
import { financialPeriod, periodsBetween, type PeriodKey } from '#domain/apportionment/periods.ts';
import {
  caseRows,
  diffAgainstPrevious,
  EXPORT_COLUMNS,
  withBodyKind,
  type ExportBatch,
  type ExportCase,
  type ExportRow,
} from '#domain/exports/rows.ts';
import type { ManifestRequest } from '#domain/exports/manifest.ts';
import { describeBatch } from './batch-id.ts';
import { csvHeader, lineWriter } from './csv.ts';
import { streamFinanceXlsx } from './xlsx.ts';
import type { BatchRecord, ExportFormat, ExportRegister, ObjectStore } from '#domain/exports/ports.ts';
import { lines, readText } from '../adapters/s3/object-store.ts';
import { batchFile, checkVerified, verifiedChunks, type RecordedFile } from './verified.ts';

export const PARTITION_CASES = 250;
const XLSX_MAX_ROWS = 1_048_575;

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface ExportDeps {
  register: ExportRegister;
  directory: Pick<Directory, 'partnership'>;
  objects: ObjectStore;
  clock: Clock;
}

export interface ExportRequest {
  exportId: string;
  partnershipId: string;
  period: PeriodKey;
}

export interface PartRef {
  exportId: string;
  index: number;
}

export interface Prepared {
  exportId: string;
  partnershipId: string;
  period: PeriodKey;
  /** 'stored': the batch exists and nothing changed; 'new': write `partitions`, then complete. */
  state: 'stored' | 'new';
  batchId: string;
  n: number;
  cases: number;
  partitions: PartRef[];
}

interface Plan {
  batch: ExportBatch;
  n: number;
  partnershipId: string;
  from: PeriodKey;
  to: PeriodKey;
  policies: ApportionmentPolicy[];
  previousBatchIds: string[];
  /** Rows files of the batches diffed against, oldest first. */
  /** The rows files of the period's earlier batches, with their recorded hashes (checked as they are read). */
  previousRows: RecordedFile[];
  /** true when the period has no batch yet: its own rows go in; otherwise only adjustments. */
  newPeriod: boolean;
  /** The period's latest batch: the export when a change to the register changes no amount. */
  latestBatchId?: string;
  partitions: number;
}

export interface PartResult {
  index: number;
  rows: number;
  adjustments: number;
}

export interface Completed {
  /** 'new': a batch was recorded; 'unchanged': nothing to add or adjust, the period's latest batch stands. */
  state: 'new' | 'unchanged';
  batchId: string;
  n: number;
  rows: number;
  adjustments: number;
}

export class PartnershipNotFoundError extends Error {
  constructor() {
    super('No such partnership');
    this.name = 'PartnershipNotFoundError';
  }
}

/** Another export recorded a different batch under the same number first: run the export again. */
export class ExportConflictError extends Error {
  constructor() {
    super('Another export of this period finished first');
    this.name = 'ExportConflictError';
  }
}

export const workKey = (exportId: string, name: string): string => `work/${exportId}/${name}`;
export const batchFolder = (partnershipId: string, period: PeriodKey, batchId: string): string =>
  `batches/${partnershipId}/${period}/${batchId}/`;
export const batchFileName = (batchId: string, format: ExportFormat): string => `${batchId}.${format}`;

/** The periods of the financial year `period` falls in, April first. */
export function financialYearPeriods(period: PeriodKey): PeriodKey[] {
  const y = Number(period.slice(0, 4)) - (financialPeriod(period).period > 9 ? 1 : 0);
  const year = (n: number): string => String(n).padStart(4, '0');
  return periodsBetween(`${year(y)}-04`, `${year(y + 1)}-03`);
}

/** Reads in order with up to `width` reads in flight. */
async function* ordered<T, R>(items: readonly T[], width: number, read: (item: T) => Promise<R>): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = [];
  let next = 0;
  while (next < items.length && inFlight.length < width) inFlight.push(read(items[next++] as T));
  while (inFlight.length > 0) {
    const value = await (inFlight.shift() as Promise<R>);
    if (next < items.length) inFlight.push(read(items[next++] as T));
    yield value;
  }
}

export async function prepareExport(deps: ExportDeps, request: ExportRequest): Promise<Prepared> {
  const partnership = await deps.directory.partnership(request.partnershipId);
  if (partnership === null) throw new PartnershipNotFoundError();
  const policies = partnershipPolicies(partnership);
  const year = financialYearPeriods(request.period);
  const batches = await deps.register.batches(partnership.id, year);
  const own = batches.filter((b) => b.period === request.period);

  // Snapshot the partnership's cases, in register-id order, into partition files.
  const ids = await deps.register.candidateIds(partnership.members);
  const seen: Pick<ExportCase, 'id' | 'version' | 'updatedAt'>[] = [];
  let partition: string[] = [];
  let partitions = 0;
  const flush = async (): Promise<void> => {
    await deps.objects.put(workKey(request.exportId, `cases-${partitions}.ndjson`), partition.join(''), {
      contentType: 'application/x-ndjson',
    });
    partitions += 1;
    partition = [];
  };
  for await (const c of ordered(ids, 16, (id) => deps.register.getCase(id))) {
    if (c === null || c.partnershipId !== partnership.id) continue;
    seen.push({ id: c.id, version: c.version, updatedAt: c.updatedAt });
    partition.push(`${JSON.stringify(c)}\n`);
    if (partition.length >= PARTITION_CASES) await flush();
  }
  if (partition.length > 0 || partitions === 0) await flush();

  const base: Omit<ManifestRequest, 'from' | 'previousBatchIds'> = {
    partnershipId: partnership.id,
    period: request.period,
    to: request.period,
    policies,
  };
  const latest = own.at(-1);
  if (latest !== undefined) {
    const again = await describeBatch({ ...base, from: latest.from, previousBatchIds: latest.previousBatchIds }, seen);
    if (again.id === latest.batchId) return stored(deps, request, latest, seen.length, partitions);
  }
  const previousBatchIds = batches.map((b) => b.batchId);
  const from = batches.length > 0 ? (year[0] as PeriodKey) : request.period;
  const batch = await describeBatch({ ...base, from, previousBatchIds }, seen);
  const existing = await deps.register.batchById(batch.id);
  if (existing !== null) return stored(deps, request, existing, seen.length, partitions);

  const plan: Plan = {
    batch,
    n: Math.max(0, ...own.map((b) => b.n)) + 1,
    partnershipId: partnership.id,
    from,
    to: request.period,
    policies,
    previousBatchIds,
    previousRows: batches.map((b) => ({ key: b.files.rows, sha256: b.rowsSha256 })),
    newPeriod: own.length === 0,
    partitions,
    ...(latest === undefined ? {} : { latestBatchId: latest.batchId }),
  };
  await deps.objects.put(workKey(request.exportId, 'plan.json'), JSON.stringify(plan), { contentType: 'application/json' });
  return {
    exportId: request.exportId,
    partnershipId: partnership.id,
    period: request.period,
    state: 'new',
    batchId: batch.id,
    n: plan.n,
    cases: seen.length,
    partitions: Array.from({ length: partitions }, (_, index) => ({ exportId: request.exportId, index })),
  };
}

async function stored(deps: ExportDeps, request: ExportRequest, batch: BatchRecord, cases: number, partitions: number): Promise<Prepared> {
  for (let i = 0; i < partitions; i += 1) await deps.objects.delete(workKey(request.exportId, `cases-${i}.ndjson`));
  return {
    exportId: request.exportId,
    partnershipId: batch.partnershipId,
    period: batch.period,
    state: 'stored',
    batchId: batch.batchId,
    n: batch.n,
    cases,
    partitions: [],
  };
}

async function readPlan(deps: ExportDeps, exportId: string): Promise<Plan> {
  const text = await readText(deps.objects, workKey(exportId, 'plan.json'));
  if (text === null) throw new Error(`export ${exportId} has no plan`);
  return JSON.parse(text) as Plan;
}

async function* jsonLines<T>(deps: ExportDeps, key: string): AsyncGenerator<T> {
  const s = await deps.objects.stream(key);
  if (s === null) throw new Error(`missing export object ${key}`);
  for await (const line of lines(s)) if (line !== '') yield JSON.parse(line) as T;
}

async function* verifiedJsonLines<T>(deps: ExportDeps, file: RecordedFile): AsyncGenerator<T> {
  for await (const line of lines(verifiedChunks(deps.objects, file))) if (line !== '') yield JSON.parse(line) as T;
}

/** A row standing for "period P was exported by batch B": makes a backdated line in P an adjustment of B. */
function periodMarker(period: string, batchId: string): ExportRow {
  return {
    exportBatchId: batchId,
    generatedAt: '',
    payerOrgCode: '',
    counterpartyOrgCode: '',
    financialYear: '',
    period: 0,
    periodMonth: period,
    serviceFrom: '',
    serviceTo: '',
    registerId: '\u0000',
    packageLineId: '',
    provider: '',
    serviceType: '',
    s117: true,
    chargeable: false,
    unit: '',
    units: '',
    unitRate: null,
    grossCost: 0,
    splitBasis: '',
    policyRef: '',
    payerSharePct: 0,
    payerShareAmount: 0,
    fundingStatus: 'AGREED',
    agreementRef: '',
    panelDecisionRef: '',
    decisionDate: '',
    isAdjustment: false,
    adjustsBatchId: '',
    adjustsPeriod: '',
    reasonCode: '',
    personRef: '',
    prorationPence: null,
    prorationReason: '',
    payerBodyKind: '',
    crossBorder: false,
  };
}

export async function writeExportPart(deps: ExportDeps, part: PartRef): Promise<PartResult> {
  const plan = await readPlan(deps, part.exportId);
  const cases: ExportCase[] = [];
  for await (const c of jsonLines<ExportCase>(deps, workKey(part.exportId, `cases-${part.index}.ndjson`))) cases.push(c);
  const ids = new Set(cases.map((c) => c.id));

  // Every row exported this financial year up to the period: this partition's cases' rows, and which batch
  // last exported each period (for every case).
  const previous = new Map<string, ExportRow[]>();
  const periodBatch = new Map<string, string>();
  for (const file of plan.previousRows) {
    for await (const read of verifiedJsonLines<ExportRow>(deps, file)) {
      const r = withBodyKind(read);
      const service = r.isAdjustment ? r.adjustsPeriod : r.periodMonth;
      if (service < plan.from || service > plan.to) continue;
      periodBatch.set(service, r.exportBatchId);
      if (!ids.has(r.registerId)) continue;
      let list = previous.get(r.registerId);
      if (list === undefined) previous.set(r.registerId, (list = []));
      list.push(r);
    }
  }
  const markers = [...periodBatch].map(([period, batchId]) => periodMarker(period, batchId));

  const line = lineWriter(EXPORT_COLUMNS);
  let csvRows = '';
  let csvAdjustments = '';
  let jsonRows = '';
  let jsonAdjustments = '';
  let rows = 0;
  let adjustments = 0;
  const request = { batch: plan.batch, from: plan.from, to: plan.to, policies: plan.policies };
  for (const c of cases) {
    const current = [...caseRows(c, request)];
    if (plan.newPeriod) {
      for (const r of current) {
        if (r.periodMonth !== plan.to) continue;
        csvRows += line(r);
        jsonRows += `${JSON.stringify(r)}\n`;
        rows += 1;
      }
    }
    if (plan.previousRows.length === 0) continue;
    for (const r of diffAgainstPrevious([...(previous.get(c.id) ?? []), ...markers], current, plan.batch)) {
      csvAdjustments += line(r);
      jsonAdjustments += `${JSON.stringify(r)}\n`;
      adjustments += 1;
    }
  }
  const put = (name: string, body: string, contentType: string) =>
    deps.objects.put(workKey(part.exportId, `part-${part.index}.${name}`), body, { contentType });
  await Promise.all([
    put('rows.csv', csvRows, 'text/csv'),
    put('adjustments.csv', csvAdjustments, 'text/csv'),
    put('rows.ndjson', jsonRows, 'application/x-ndjson'),
    put('adjustments.ndjson', jsonAdjustments, 'application/x-ndjson'),
  ]);
  return { index: part.index, rows, adjustments };
}

async function* concatenated(deps: ExportDeps, keys: readonly string[]): AsyncGenerator<Buffer> {
  for (const key of keys) {
    const s = await deps.objects.stream(key);
    if (s === null) throw new Error(`missing export object ${key}`);
    yield* s;
  }
}

export async function completeExport(deps: ExportDeps, input: { exportId: string }): Promise<Completed> {
  const plan = await readPlan(deps, input.exportId);
  const { batch } = plan;
  const parts = Array.from({ length: plan.partitions }, (_, i) => i);
  const partKeys = (name: string): string[] => parts.map((i) => workKey(input.exportId, `part-${i}.${name}`));
  const folder = batchFolder(plan.partnershipId, batch.period, batch.id);
  const rowKeys = [...partKeys('rows.ndjson'), ...partKeys('adjustments.ndjson')];
  const clearWork = async (): Promise<void> => {
    for (const key of await deps.objects.list(`work/${input.exportId}/`)) await deps.objects.delete(key);
  };

  // The register changed (a new version of an application) but no amount did: no empty batch, the latest stands.
  if (!plan.newPeriod && plan.latestBatchId !== undefined) {
    let bytes = 0;
    for (const key of rowKeys) bytes += (await deps.objects.head(key)) ?? 0;
    if (bytes === 0) {
      await clearWork();
      const latest = await deps.register.batchById(plan.latestBatchId);
      return { state: 'unchanged', batchId: plan.latestBatchId, n: latest?.n ?? plan.n - 1, rows: 0, adjustments: 0 };
    }
  }

  const csv = await deps.objects.put(
    `${folder}export.csv`,
    (async function* () {
      yield csvHeader(EXPORT_COLUMNS);
      yield* concatenated(deps, [...partKeys('rows.csv'), ...partKeys('adjustments.csv')]);
    })(),
    { contentType: CONTENT_TYPES.csv, filename: batchFileName(batch.id, 'csv') },
  );
  const rowsFile = await deps.objects.put(`${folder}rows.ndjson`, concatenated(deps, rowKeys), { contentType: 'application/x-ndjson' });

  let rows = 0;
  let adjustments = 0;
  const totals: Record<string, number> = {};
  async function* counted(): AsyncGenerator<ExportRow> {
    for (const key of rowKeys) {
      for await (const r of jsonLines<ExportRow>(deps, key)) {
        if (r.isAdjustment) adjustments += 1;
        else rows += 1;
        totals[r.payerOrgCode] = (totals[r.payerOrgCode] ?? 0) + r.payerShareAmount;
        yield r;
      }
    }
  }
  let xlsx: string | undefined;
  let xlsxSha256: string | undefined;
  try {
    const stored = await deps.objects.put(`${folder}export.xlsx`, streamFinanceXlsx(counted()), {
      contentType: CONTENT_TYPES.xlsx,
      filename: batchFileName(batch.id, 'xlsx'),
    });
    xlsx = `${folder}export.xlsx`;
    xlsxSha256 = stored.sha256;
  } catch (error) {
    if (!(error instanceof RangeError) || rows + adjustments <= XLSX_MAX_ROWS) throw error;
    // Too many rows for one sheet: the batch has a CSV only (the XLSX answer is 422).
    rows = 0;
    adjustments = 0;
    for (const key of Object.keys(totals)) Reflect.deleteProperty(totals, key);
    const counting = counted();
    while (!(await counting.next()).done) {
      /* count and total */
    }
  }

  const record: BatchRecord = {
    batchId: batch.id,
    n: plan.n,
    partnershipId: plan.partnershipId,
    period: batch.period,
    from: plan.from,
    to: plan.to,
    previousBatchIds: plan.previousBatchIds,
    generatedAt: batch.generatedAt,
    rows,
    adjustments,
    totals: Object.fromEntries(Object.entries(totals).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    csvSha256: csv.sha256,
    rowsSha256: rowsFile.sha256,
    ...(xlsxSha256 === undefined ? {} : { xlsxSha256 }),
    files: { csv: `${folder}export.csv`, rows: `${folder}rows.ndjson`, ...(xlsx === undefined ? {} : { xlsx }) },
  };
  if ((await deps.register.recordBatch(record)) === 'exists') {
    const recorded = (await deps.register.batches(plan.partnershipId, [batch.period])).find((b) => b.n === plan.n);
    if (recorded?.batchId !== batch.id) throw new ExportConflictError();
  }
  await clearWork();
  return { state: 'new', batchId: batch.id, n: plan.n, rows, adjustments };
}

/** The three steps one after another, in this process: the API's path for a small register. */
export async function runExport(deps: ExportDeps, request: ExportRequest): Promise<BatchRecord> {
  const prepared = await prepareExport(deps, request);
  let batchId = prepared.batchId;
  if (prepared.state === 'new') {
    for (const part of prepared.partitions) await writeExportPart(deps, part);
    batchId = (await completeExport(deps, { exportId: request.exportId })).batchId;
  }
  const batch = await deps.register.batchById(batchId);
  if (batch === null) throw new Error(`batch ${batchId} was not recorded`);
  return batch;
}

/**
 * A presigned download link for a batch's file; null when the batch has no file in that format. The file is read
 * and checked against its recorded hash first: a link is never issued to content that changed since it was written.
 */
export async function downloadLink(
  deps: ExportDeps,
  batch: BatchRecord,
  format: ExportFormat,
  expiresInSeconds: number,
): Promise<{ url: string; expiresAt: string } | null> {
  const file = batchFile(batch, format);
  if (file === null) return null;
  await checkVerified(deps.objects, file);
  const url = await deps.objects.presignGet(file.key, { expiresInSeconds, filename: batchFileName(batch.batchId, format) });
  return { url, expiresAt: new Date(Date.parse(deps.clock.now()) + expiresInSeconds * 1000).toISOString() };
}
