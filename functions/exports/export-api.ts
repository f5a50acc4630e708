/**
 * The finance export API (finance role; admin too):
 *   GET /v1/exports/apportionment?period=YYYY-MM&format=csv|xlsx[&partnership=ID][&bom=true]
 *     A register of at most EXPORT_INLINE_MAX_CASES applications is exported inside the request: 200 with the
 *     file (or 303 to a download link when the file is over 4 MiB, beyond what a Lambda answer carries). A larger
 *     register, or a request with `Prefer: respond-async`, starts the export workflow: 202 with `Location:
 *     /v1/exports/<exportId>` to poll. Either way a repeat over unchanged data gives the stored file, byte for byte.
 *   GET /v1/exports/{exportId}   an export job (`exp-...`) or a batch (`EXP-...`): status, and when done the
 *     batch, its totals and presigned download links.
 *   GET /v1/exports/recharges?period=YYYY-MM&format=csv[&partnership=ID][&bom=true]   recharge statements per pair
 *     of bodies from the period's batches, with the settlement recharges booked in the period.
 * `bom=true` puts a UTF-8 byte order mark before a CSV answered inline, so Excel opens it as UTF-8 (names with
 * accents, the pound sign); without it the bytes are the stored file's, unchanged. A file fetched by a link (303, or
 * a job's download link) is always the stored file as hashed, without the mark.
 * The partnership defaults to the caller's organisation's only one; an organisation in several must name it.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { FIRST_PERIOD_YEAR, isSanePeriodKey, LAST_PERIOD_YEAR, type PeriodKey } from '#domain/apportionment/periods.ts';
import { rechargeStatements } from '#domain/exports/recharges.ts';
import type { ExportRow } from '#domain/exports/rows.ts';
import type { RechargeEntry } from '#domain/apportionment/settlement.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { toRechargeCsv } from './csv.ts';
import type { ExportApiDeps } from './deps.ts';
import type { BatchRecord, ExportFormat, ExportJob } from '#domain/exports/ports.ts';
import { batchFileName, CONTENT_TYPES, downloadLink, PartnershipNotFoundError, runExport } from './export-steps.ts';
import { batchFile, readVerified, verifiedChunks } from './verified.ts';
import { lines } from '../adapters/s3/object-store.ts';

/** Lambda answers carry at most 6 MB, base64 grows a file by a third: larger files go by link. */
export const INLINE_MAX_BYTES = 4 * 1024 * 1024;

const period = z.string().refine((s) => isSanePeriodKey(s), {
  error: `must be a period YYYY-MM (a calendar month, year ${FIRST_PERIOD_YEAR} to ${LAST_PERIOD_YEAR})`,
});
const partnership = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be a partnership id' });

/** `bom=true`: a UTF-8 byte order mark before the CSV, for Excel (CSV only). */
const bom = z.enum(['true', 'false'], { error: 'must be true or false' }).default('false');

export const apportionmentQuerySchema = z.strictObject({
  period,
  format: z.enum(['csv', 'xlsx']).default('csv'),
  partnership: partnership.optional(),
  bom,
});
export const rechargesQuerySchema = z.strictObject({
  period,
  format: z.enum(['csv']).default('csv'),
  partnership: partnership.optional(),
  bom,
});

/** The byte order mark Excel looks for to read a CSV as UTF-8 (EF BB BF once encoded). */
export const UTF8_BOM = '\ufeff';
export const exportHeadersSchema = z.object({ prefer: z.string().max(200).optional() });
export const exportIdPathSchema = z.strictObject({
  exportId: z.string().regex(/^(exp-\d{4}-\d{2}-[0-9a-f]{16}|EXP-\d{4}-\d{2}-[0-9a-f]{16})$/, {
    error: 'must be an export id (exp-...) or a batch id (EXP-...)',
  }),
});

const NOT_FOUND = (): ProblemError =>
  new ProblemError(404, 'No such partnership for your organisation.', {
    errors: [{ field: 'query.partnership', message: 'is not a partnership your organisation belongs to' }],
  });

/** The partnership an export is for: the one named (the caller's organisation must belong to it) or its only one. */
export async function resolvePartnership(
  deps: Pick<ExportApiDeps, 'directory'>,
  caller: Caller,
  requested: string | undefined,
): Promise<string> {
  const memberOf = await deps.directory.partnershipsOf(caller.org);
  if (requested !== undefined) {
    if (!memberOf.includes(requested)) throw NOT_FOUND();
    return requested;
  }
  if (memberOf.length === 1) return memberOf[0] as string;
  if (memberOf.length === 0) throw new ProblemError(404, 'Your organisation belongs to no partnership.');
  throw new ProblemError(400, 'Your organisation belongs to several partnerships; name one.', {
    errors: [{ field: 'query.partnership', message: `is required: one of ${memberOf.join(', ')}` }],
  });
}

const newExportId = (p: PeriodKey): string => `exp-${p}-${randomBytes(8).toString('hex')}`;

async function fileAnswer(deps: ExportApiDeps, batch: BatchRecord, format: ExportFormat, withBom = false): Promise<HttpResult> {
  const file = batchFile(batch, format);
  if (file === null)
    throw new ProblemError(422, 'This batch has too many rows for one XLSX sheet; ask for the CSV.', {
      errors: [{ field: 'query.format', message: 'must be csv for this batch' }],
    });
  const headers = { 'x-s117-export-batch': batch.batchId };
  const size = await deps.objects.head(file.key);
  if (size === null) throw new Error(`batch ${batch.batchId} has lost its ${format} file`);
  if (size > INLINE_MAX_BYTES) {
    const link = await downloadLink(deps, batch, format, deps.linkExpirySeconds);
    return { statusCode: 303, headers: { ...headers, location: link?.url ?? '' } };
  }
  // Served only if it still hashes to what was recorded when the batch was written.
  const data = await readVerified(deps.objects, file);
  return {
    statusCode: 200,
    headers: {
      ...headers,
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="${batchFileName(batch.batchId, format)}"`,
    },
    ...(format === 'csv'
      ? { rawBody: `${withBom ? UTF8_BOM : ''}${data.toString('utf8')}` }
      : { rawBody: data.toString('base64'), isBase64Encoded: true }),
  };
}

export async function exportApportionment(
  deps: ExportApiDeps,
  caller: Caller,
  query: z.output<typeof apportionmentQuerySchema>,
  prefer: string | undefined,
): Promise<HttpResult> {
  if (query.bom === 'true' && query.format !== 'csv')
    throw new ProblemError(400, 'A byte order mark is for CSV files only.', {
      errors: [{ field: 'query.bom', message: 'is for format=csv only' }],
    });
  const partnershipId = await resolvePartnership(deps, caller, query.partnership);
  const partnership = await deps.directory.partnership(partnershipId);
  if (partnership === null) throw NOT_FOUND();
  const exportId = newExportId(query.period);
  const async =
    /\brespond-async\b/i.test(prefer ?? '') || (await deps.register.candidateIds(partnership.members)).length > deps.inlineMaxCases;
  if (!async) {
    try {
      return await fileAnswer(
        deps,
        await runExport(deps, { exportId, partnershipId, period: query.period }),
        query.format,
        query.bom === 'true',
      );
    } catch (error) {
      if (error instanceof PartnershipNotFoundError) throw NOT_FOUND();
      throw error;
    }
  }
  const job: ExportJob = {
    exportId,
    partnershipId,
    period: query.period,
    format: query.format,
    status: 'running',
    requestedBy: caller.org,
    startedAt: deps.clock.now(),
  };
  await deps.register.putJob(job);
  await deps.startWorkflow(exportId, {
    exportId,
    partnershipId,
    period: query.period,
    format: query.format,
    linkExpirySeconds: deps.linkExpirySeconds,
  });
  const location = `/v1/exports/${exportId}`;
  return { statusCode: 202, headers: { location, 'retry-after': '2' }, body: { exportId, status: 'running', location } };
}

async function batchView(deps: ExportApiDeps, batch: BatchRecord): Promise<Record<string, unknown>> {
  const downloads: Record<string, unknown> = {};
  for (const format of ['csv', 'xlsx'] as const) {
    const link = await downloadLink(deps, batch, format, deps.linkExpirySeconds);
    if (link !== null) downloads[format] = link;
  }
  return {
    batchId: batch.batchId,
    partnershipId: batch.partnershipId,
    period: batch.period,
    n: batch.n,
    generatedAt: batch.generatedAt,
    rows: batch.rows,
    adjustments: batch.adjustments,
    totals: batch.totals,
    adjusts: batch.previousBatchIds,
    csvSha256: batch.csvSha256,
    downloads,
  };
}

export async function getExport(deps: ExportApiDeps, caller: Caller, id: string): Promise<HttpResult> {
  const memberOf = await deps.directory.partnershipsOf(caller.org);
  const notFound = (): ProblemError => new ProblemError(404, 'No such export.');
  if (id.startsWith('EXP-')) {
    const batch = await deps.register.batchById(id);
    if (batch === null || !memberOf.includes(batch.partnershipId)) throw notFound();
    return { statusCode: 200, body: { status: 'succeeded', ...(await batchView(deps, batch)) } };
  }
  const job = await deps.register.getJob(id);
  if (job === null || !memberOf.includes(job.partnershipId)) throw notFound();
  const head = {
    exportId: job.exportId,
    partnershipId: job.partnershipId,
    period: job.period,
    format: job.format,
    startedAt: job.startedAt,
  };
  if (job.status === 'running') return { statusCode: 200, headers: { 'retry-after': '2' }, body: { ...head, status: 'running' } };
  if (job.status === 'failed' || job.batchId === undefined)
    return { statusCode: 200, body: { ...head, status: 'failed', error: job.error ?? 'ExportFailed' } };
  const batch = await deps.register.batchById(job.batchId);
  if (batch === null) return { statusCode: 200, body: { ...head, status: 'failed', error: 'BatchNotRecorded' } };
  const view = await batchView(deps, batch);
  const link = (view['downloads'] as Record<string, { url: string; expiresAt: string } | undefined>)[job.format];
  return {
    statusCode: 200,
    body: { ...head, status: 'succeeded', ...view, ...(link === undefined ? {} : { downloadUrl: link.url, expiresAt: link.expiresAt }) },
  };
}

export async function exportRecharges(
  deps: ExportApiDeps,
  caller: Caller,
  query: z.output<typeof rechargesQuerySchema>,
): Promise<HttpResult> {
  const partnershipId = await resolvePartnership(deps, caller, query.partnership);
  const partnership = await deps.directory.partnership(partnershipId);
  if (partnership === null) throw NOT_FOUND();
  const batches = await deps.register.batches(partnershipId, [query.period]);
  if (batches.length === 0) {
    throw new ProblemError(409, `Period ${query.period} has not been exported yet; export it first (GET /v1/exports/apportionment).`, {
      errors: [{ field: 'query.period', message: 'has no export batch yet' }],
    });
  }
  // Only rows one body recharges to another count (rechargeStatements skips the rest): keep just those.
  const rows: ExportRow[] = [];
  for (const b of batches) {
    for await (const line of lines(verifiedChunks(deps.objects, { key: b.files.rows, sha256: b.rowsSha256 }))) {
      if (line === '') continue;
      const r = JSON.parse(line) as ExportRow;
      if (r.counterpartyOrgCode !== '' && r.counterpartyOrgCode !== r.payerOrgCode && r.reasonCode !== 'SETTLEMENT') rows.push(r);
    }
  }
  const entries: RechargeEntry[] = [];
  for (const id of await deps.register.candidateIds(partnership.members)) {
    const found = await deps.register.settlementEntries(id);
    for (const e of found) {
      const booked = e.bookedPeriod ?? (e.at === undefined ? e.period : e.at.slice(0, 7));
      if (booked === query.period && (await deps.register.getCase(id))?.partnershipId === partnershipId) entries.push(e);
    }
  }
  const csv = toRechargeCsv(rechargeStatements(rows, entries));
  return {
    statusCode: 200,
    headers: {
      'content-type': CONTENT_TYPES.csv,
      'content-disposition': `attachment; filename="recharges-${partnershipId}-${query.period}.csv"`,
    },
    rawBody: query.bom === 'true' ? `${UTF8_BOM}${csv}` : csv,
  };
}
