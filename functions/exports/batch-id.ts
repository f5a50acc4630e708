/**
 * The export batch's identity, derived from its content: a SHA-256 of the manifest (partnership,
 * period, policies, every case by id and version, the batches adjusted), so the same period over the
 * same data always gets the same id, and `generated_at` from the latest change included.
 */
import { createHash } from 'node:crypto';
import type { Instant } from '#domain/applications/application.ts';
import type { ExportBatch, ExportCase } from '#domain/exports/rows.ts';
import { manifestCaseLine, manifestHeader, type ManifestRequest } from '#domain/exports/manifest.ts';

/** The epoch floor for `generated_at` when no case has changed yet (an empty register). */
export const EMPTY_GENERATED_AT: Instant = '1970-01-01T00:00:00.000Z';

/** One pass over the cases: the batch id (`EXP-<period>-<16 hex>`) and `generated_at`. */
export async function describeBatch(
  request: ManifestRequest,
  cases: AsyncIterable<Pick<ExportCase, 'id' | 'version' | 'updatedAt'>> | Iterable<Pick<ExportCase, 'id' | 'version' | 'updatedAt'>>,
): Promise<ExportBatch> {
  const hash = createHash('sha256').update(manifestHeader(request));
  let generatedAt = EMPTY_GENERATED_AT;
  for await (const c of cases) {
    if (c.updatedAt > generatedAt) generatedAt = c.updatedAt;
    hash.update(manifestCaseLine(c));
  }
  return { id: `EXP-${request.period}-${hash.digest('hex').slice(0, 16)}`, generatedAt, period: request.period };
}
