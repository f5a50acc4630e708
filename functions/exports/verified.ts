/**
 * Reading an export batch's stored files against the SHA-256 recorded with the batch (issue 12: files were
 * served without checking it). A file whose content no longer matches is neither served, linked nor read into a
 * later batch: StoredObjectIntegrityError (a 500 that says nothing more, and an error in the log naming the key).
 */
import { createHash } from 'node:crypto';
import { RecordMissingError, StoredObjectIntegrityError } from '#domain/errors.ts';
import type { BatchRecord, ExportFormat, ObjectStore } from '#domain/exports/ports.ts';

/** A stored file and the hash it was recorded with. */
export interface RecordedFile {
  key: string;
  sha256: string;
}

/** The file's chunks as stored; throws after the last one when they do not hash to the recorded SHA-256. */
export async function* verifiedChunks(objects: ObjectStore, file: RecordedFile): AsyncGenerator<Buffer> {
  const stream = await objects.stream(file.key);
  if (stream === null) throw new RecordMissingError(`The export file ${file.key} is missing`);
  const hash = createHash('sha256');
  for await (const chunk of stream) {
    hash.update(chunk);
    yield chunk;
  }
  const actual = hash.digest('hex');
  if (actual !== file.sha256)
    throw new StoredObjectIntegrityError(`The export file ${file.key} hashes to ${actual}, not the recorded ${file.sha256}`);
}

/** The whole file, once its hash is checked. */
export async function readVerified(objects: ObjectStore, file: RecordedFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of verifiedChunks(objects, file)) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Checks the file's hash without keeping its content (before a download link to it is issued). */
export async function checkVerified(objects: ObjectStore, file: RecordedFile): Promise<void> {
  const chunks = verifiedChunks(objects, file);
  while (!(await chunks.next()).done) {
    /* hashed as it streams */
  }
}

/** A batch's file in a format with its recorded hash; null when the batch has no file in that format. */
export function batchFile(batch: BatchRecord, format: ExportFormat | 'rows'): RecordedFile | null {
  const key = batch.files[format];
  if (key === undefined) return null;
  const sha256 = format === 'csv' ? batch.csvSha256 : format === 'rows' ? batch.rowsSha256 : batch.xlsxSha256;
  // A file recorded without its hash cannot be checked, so it is not served.
  if (sha256 === undefined) throw new StoredObjectIntegrityError(`The export file ${key} has no recorded hash`);
  return { key, sha256 };
}
