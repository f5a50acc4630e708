/**
 * The export register's contract, run against DynamoDB (dynalite) and the in-memory twin: the applications and
 * settlement entries it reads are written through the application and dispute stores, as in the product;
 * batches are recorded once per partnership, period and number; jobs are put once and marked only if they exist.
 */
import { describe, expect, it } from 'vitest';
import type { DisputeStore, StoredRechargeEntry } from '#domain/disputes/ports.ts';
import type { BatchRecord, ExportJob, ExportRegister } from '#domain/exports/ports.ts';
import { toExportCase } from '#domain/exports/rows.ts';
import type { ApplicationStore } from '#domain/ports.ts';
import { DynamoApplicationStore } from '#functions/adapters/dynamodb/applications.ts';
import { DynamoDisputeStore } from '#functions/adapters/dynamodb/disputes.ts';
import { DynamoExportRegister } from '#functions/adapters/dynamodb/export-register.ts';
import { MemoryApplicationStore } from '#functions/adapters/memory/applications.ts';
import { MemoryDisputeStore } from '#functions/adapters/memory/disputes.ts';
import { MemoryExportRegister } from '#functions/adapters/memory/export-register.ts';
import { application } from '../support/application-builder.ts';
import { useDynalite } from './dynalite.ts';

interface Stores {
  applications: ApplicationStore;
  disputes: DisputeStore;
  register: ExportRegister;
}

const AT = '2025-05-01T09:00:00.000Z';

const batch = (n: number, overrides: Partial<BatchRecord> = {}): BatchRecord => ({
  batchId: `bat_${n}`,
  n,
  partnershipId: 'west',
  period: '2025-04',
  from: '2025-04',
  to: '2025-04',
  previousBatchIds: [],
  generatedAt: AT,
  rows: 3,
  adjustments: 0,
  totals: { 'LA-A': 1_000 },
  csvSha256: 'a'.repeat(64),
  rowsSha256: 'b'.repeat(64),
  files: { csv: `exports/bat_${n}.csv`, rows: `exports/bat_${n}.ndjson` },
  ...overrides,
});

const job: ExportJob = {
  exportId: 'exp_1',
  partnershipId: 'west',
  period: '2025-04',
  format: 'csv',
  status: 'running',
  requestedBy: 'LA-A',
  startedAt: AT,
};

const entry = (
  n: number,
  applicationId = 'app_1',
): StoredRechargeEntry & { applicationId: string; partnershipId: string; createdAt: string } => ({
  settlementId: 'stl_1',
  n,
  lineId: 'L1',
  period: '2025-04',
  financialYear: '2025-26',
  periodNumber: 1,
  payer: 'LA-B',
  payee: 'LA-A',
  pence: 1_000 * n,
  reason: 'SETTLEMENT',
  applicationId,
  partnershipId: 'west',
  createdAt: AT,
});

function contract(name: string, make: () => Promise<Stores>): void {
  describe(`export register: ${name}`, () => {
    it('finds the applications some member organisation is party to, once each, in id order', async () => {
      const { applications, register } = await make();
      await applications.create(application({ id: 'app_3', parties: ['LA-A', 'ICB-A'] }));
      await applications.create(application({ id: 'app_1', parties: ['LA-B', 'ICB-A'] }));
      await applications.create(application({ id: 'app_2', parties: ['LA-C', 'ICB-C'] }));
      expect(await register.candidateIds(['LA-A', 'ICB-A'])).toStrictEqual(['app_1', 'app_3']);
      expect(await register.candidateIds(['ICB-C'])).toStrictEqual(['app_2']);
      expect(await register.candidateIds(['ICB-Z'])).toStrictEqual([]);
      expect(await register.getCase('app_3')).toStrictEqual(toExportCase(application({ id: 'app_3', parties: ['LA-A', 'ICB-A'] })));
      expect(await register.getCase('app_9')).toBe(null);
    });

    it('records a batch once per partnership, period and number, and lists them by period then number', async () => {
      const { register } = await make();
      expect(await register.recordBatch(batch(2))).toBe('created');
      expect(await register.recordBatch({ ...batch(2), batchId: 'bat_other' })).toBe('exists');
      expect(await register.batchById('bat_other')).toBe(null);
      expect(await register.recordBatch(batch(1))).toBe('created');
      expect(await register.recordBatch(batch(3, { period: '2025-03', from: '2025-03', to: '2025-03' }))).toBe('created');
      expect(await register.recordBatch(batch(4, { partnershipId: 'south' }))).toBe('created');
      expect((await register.batches('west', ['2025-04', '2025-03'])).map((b) => [b.period, b.n])).toStrictEqual([
        ['2025-03', 3],
        ['2025-04', 1],
        ['2025-04', 2],
      ]);
      expect(await register.batches('west', ['2025-05'])).toStrictEqual([]);
      expect(await register.batchById('bat_2')).toStrictEqual(batch(2));
      expect(await register.batchById('bat_9')).toBe(null);
    });

    it('puts a job once, and marks only a job that exists', async () => {
      const { register } = await make();
      await register.putJob(job);
      await expect(register.putJob({ ...job, format: 'xlsx' })).rejects.toThrow();
      expect(await register.getJob('exp_1')).toStrictEqual(job);
      expect(await register.markJob('exp_1', { status: 'succeeded', batchId: 'bat_1' })).toBe(true);
      expect(await register.getJob('exp_1')).toStrictEqual({ ...job, status: 'succeeded', batchId: 'bat_1' });
      await register.putJob({ ...job, exportId: 'exp_2' });
      expect(await register.markJob('exp_2', { status: 'failed', error: 'No such partnership' })).toBe(true);
      expect(await register.getJob('exp_2')).toStrictEqual({ ...job, exportId: 'exp_2', status: 'failed', error: 'No such partnership' });
      expect(await register.markJob('exp_9', { status: 'failed', error: 'x' })).toBe(false);
      expect(await register.getJob('exp_9')).toBe(null);
    });

    it('reads the settlement entries a dispute settlement wrote for the application', async () => {
      const { disputes, register } = await make();
      await disputes.putRecharges([entry(2), entry(1), entry(1, 'app_2')]);
      expect(await register.settlementEntries('app_1')).toStrictEqual([entry(1), entry(2)]);
      expect(await register.settlementEntries('app_3')).toStrictEqual([]);
    });
  });
}

const freshTable = useDynalite();
contract('DynamoDB (dynalite)', async () => {
  const { db, tableName } = await freshTable();
  return {
    applications: new DynamoApplicationStore(db, tableName),
    disputes: new DynamoDisputeStore(db, tableName),
    register: new DynamoExportRegister(db, tableName),
  };
});
contract('in memory', async () => {
  const applications = new MemoryApplicationStore();
  const disputes = new MemoryDisputeStore();
  return { applications, disputes, register: new MemoryExportRegister(applications, disputes) };
});
