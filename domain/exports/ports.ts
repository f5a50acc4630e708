/**
 * What the exports need from storage: the export register (batches, jobs and the settlement entries they carry,
 * in the Register table: functions/adapters/dynamodb/export-register.ts) and the object store the files are
 * written to (S3: functions/adapters/s3/object-store.ts; in memory: functions/adapters/memory/objects.ts).
 */
import type { PeriodKey } from '../apportionment/periods.ts';
import type { RechargeEntry } from '../apportionment/settlement.ts';
import type { OrgCode } from '../facts.ts';
import type { ExportCase } from './rows.ts';

export type ExportFormat = 'csv' | 'xlsx';

export interface BatchRecord {
  batchId: string;
  n: number;
  partnershipId: string;
  period: PeriodKey;
  /** The manifest it was described with (so a repeat can be recognised). */
  from: PeriodKey;
  to: PeriodKey;
  previousBatchIds: string[];
  generatedAt: string;
  rows: number;
  adjustments: number;
  /** Pence per paying body over the batch's rows (adjustments included). */
  totals: Record<string, number>;
  /** SHA-256 of the CSV file, of the rows file and of the XLSX file (when there is one), hex: checked on every read. */
  csvSha256: string;
  rowsSha256: string;
  xlsxSha256?: string;
  files: { csv: string; rows: string; xlsx?: string };
}

export type JobStatus = 'running' | 'succeeded' | 'failed';

export interface ExportJob {
  exportId: string;
  partnershipId: string;
  period: PeriodKey;
  format: ExportFormat;
  status: JobStatus;
  requestedBy: OrgCode;
  startedAt: string;
  batchId?: string;
  error?: string;
}

/** A settlement entry as issue 5 stores it; `bookedPeriod` (or the day it was settled, `at`) says which batch carries it. */
export interface StoredRechargeEntry extends RechargeEntry {
  bookedPeriod?: PeriodKey;
  at?: string;
}

export interface ExportRegister {
  /** Ids of applications some member organisation is party to, in register-id order (other partnerships' too). */
  candidateIds(members: readonly OrgCode[]): Promise<string[]>;
  getCase(id: string): Promise<ExportCase | null>;
  batches(partnershipId: string, periods: readonly PeriodKey[]): Promise<BatchRecord[]>;
  batchById(batchId: string): Promise<BatchRecord | null>;
  /** 'exists' when batch n of the period is already recorded (by this batch or a concurrent export). */
  recordBatch(record: BatchRecord): Promise<'created' | 'exists'>;
  putJob(job: ExportJob): Promise<void>;
  getJob(exportId: string): Promise<ExportJob | null>;
  /** Sets a job's outcome; false when there is no such job (an export not started through the API). */
  markJob(exportId: string, outcome: { status: 'succeeded'; batchId: string } | { status: 'failed'; error: string }): Promise<boolean>;
  settlementEntries(applicationId: string): Promise<StoredRechargeEntry[]>;
}

export type Body = string | Uint8Array | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export interface StoredObject {
  bytes: number;
  /** SHA-256 of the content, hex. */
  sha256: string;
}

export interface ObjectStore {
  put(key: string, body: Body, options: { contentType: string; filename?: string }): Promise<StoredObject>;
  /** The object's content as a stream of buffers; null when absent. */
  stream(key: string): Promise<AsyncIterable<Buffer> | null>;
  /** Size in bytes, or null when absent. */
  head(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /** A time-limited GET link for the object (a download: `filename` sets Content-Disposition). */
  presignGet(key: string, options: { expiresInSeconds: number; filename: string }): Promise<string>;
}
