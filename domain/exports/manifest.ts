/**
 * What makes an export batch what it is: the partnership, the period, the periods restated, the
 * policies, every case by id and version, and the batches it adjusts. The caller hashes these lines
 * (functions/exports/batch-id.ts) for the batch id, so the same period over the same data gets the
 * same id, and takes `generated_at` from the latest change included, never from the clock.
 */
import type { Instant } from '../applications/application.ts';
import type { ApportionmentPolicy } from '../apportionment/policy.ts';
import type { PeriodKey } from '../apportionment/periods.ts';
import type { ExportCase } from './rows.ts';

export interface ManifestRequest {
  partnershipId: string;
  period: PeriodKey;
  from: PeriodKey;
  to: PeriodKey;
  policies: readonly ApportionmentPolicy[];
  /** Earlier batches whose rows this batch adjusts, oldest first. */
  previousBatchIds: readonly string[];
}

/** The manifest's opening lines: what the batch covers and the policies and batches it builds on. */
export function manifestHeader(request: ManifestRequest): string {
  let out = `s117-export/1|${request.partnershipId}|${request.period}|${request.from}|${request.to}\n`;
  for (const p of [...request.policies].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version))) {
    out += `policy|${p.id}|${p.version}|${p.effectiveFrom}|${p.effectiveTo ?? ''}\n`;
  }
  for (const id of request.previousBatchIds) out += `adjusts|${id}\n`;
  return out;
}

/** The manifest line of one case (cases follow the header in register-id order). */
export const manifestCaseLine = (c: Pick<ExportCase, 'id' | 'version' | 'updatedAt'>): string =>
  `case|${c.id}|${c.version}|${c.updatedAt}\n`;

/** The latest change among the cases: the batch's `generated_at`. */
export function latestChange(cases: Iterable<Pick<ExportCase, 'updatedAt'>>, floor: Instant): Instant {
  let latest = floor;
  for (const c of cases) if (c.updatedAt > latest) latest = c.updatedAt;
  return latest;
}
