/**
 * The in-memory twin of DynamoExportRegister (../dynamodb/export-register.ts): batches and jobs kept here; the
 * applications and settlement entries it reads come through the application and dispute stores' twins, as the
 * table's items do (test/adapters/export-register.contract.test.ts holds both to one contract).
 */
import type { PeriodKey } from '#domain/apportionment/periods.ts';
import type { DisputeStore } from '#domain/disputes/ports.ts';
import type { BatchRecord, ExportJob, ExportRegister, StoredRechargeEntry } from '#domain/exports/ports.ts';
import { toExportCase, type ExportCase } from '#domain/exports/rows.ts';
import type { OrgCode } from '#domain/facts.ts';
import type { ApplicationStore } from '#domain/ports.ts';
import { asStored } from '../types.ts';

export class MemoryExportRegister implements ExportRegister {
  readonly #applications: ApplicationStore;
  readonly #disputes: Pick<DisputeStore, 'listRecharges'>;
  /** By `<partnership>|<period>|<n>`. */
  readonly #batches = new Map<string, BatchRecord>();
  readonly #batchesById = new Map<string, BatchRecord>();
  readonly #jobs = new Map<string, ExportJob>();

  constructor(applications: ApplicationStore, disputes: Pick<DisputeStore, 'listRecharges'>) {
    this.#applications = applications;
    this.#disputes = disputes;
  }

  async candidateIds(members: readonly OrgCode[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const org of members) {
      let cursor: string | undefined;
      do {
        const page = await this.#applications.listForOrganisation(org, { limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
        for (const summary of page.items) ids.add(summary.id);
        cursor = page.cursor;
      } while (cursor !== undefined);
    }
    return [...ids].sort();
  }

  async getCase(id: string): Promise<ExportCase | null> {
    const app = await this.#applications.get(id);
    return app === null ? null : toExportCase(app);
  }

  async batches(partnershipId: string, periods: readonly PeriodKey[]): Promise<BatchRecord[]> {
    const wanted = new Set(periods);
    return [...this.#batches.values()]
      .filter((b) => b.partnershipId === partnershipId && wanted.has(b.period))
      .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.n - b.n))
      .map((b) => asStored(b));
  }

  async batchById(batchId: string): Promise<BatchRecord | null> {
    const found = this.#batchesById.get(batchId);
    return found === undefined ? null : asStored(found);
  }

  async recordBatch(record: BatchRecord): Promise<'created' | 'exists'> {
    const key = `${record.partnershipId}|${record.period}|${record.n}`;
    if (this.#batches.has(key)) return 'exists';
    this.#batches.set(key, asStored(record));
    if (!this.#batchesById.has(record.batchId)) this.#batchesById.set(record.batchId, asStored(record));
    return 'created';
  }

  async putJob(job: ExportJob): Promise<void> {
    if (this.#jobs.has(job.exportId)) throw new Error(`Export job ${job.exportId} exists`);
    this.#jobs.set(job.exportId, asStored(job));
  }

  async getJob(exportId: string): Promise<ExportJob | null> {
    const found = this.#jobs.get(exportId);
    return found === undefined ? null : asStored(found);
  }

  async markJob(
    exportId: string,
    outcome: { status: 'succeeded'; batchId: string } | { status: 'failed'; error: string },
  ): Promise<boolean> {
    const job = this.#jobs.get(exportId);
    if (job === undefined) return false;
    this.#jobs.set(
      exportId,
      outcome.status === 'succeeded'
        ? { ...job, status: 'succeeded', batchId: outcome.batchId }
        : { ...job, status: 'failed', error: outcome.error },
    );
    return true;
  }

  async settlementEntries(applicationId: string): Promise<StoredRechargeEntry[]> {
    return this.#disputes.listRecharges(applicationId);
  }
}
