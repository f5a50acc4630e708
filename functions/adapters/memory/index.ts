/** In-memory adapters for use-case tests: the same semantics as the DynamoDB, SES and Step Functions adapters. */
import type { Partnership } from '#domain/partnership.ts';
import type { DirectoryOrganisation, DirectoryUser } from '../types.ts';
import { MemoryApplicationStore } from './applications.ts';
import { MemoryChronology } from './chronology.ts';
import { MemoryDirectory } from './directory.ts';
import { MemoryHandOffOutbox } from './hand-offs.ts';
import { MemoryIdempotencyStore } from './idempotency.ts';
import { MemoryMailLog } from './mail-log.ts';
import { MemoryMailer } from './mailer.ts';
import { MemoryTaskTokenStore } from './tokens.ts';
import { MemoryWorkflow } from './workflow.ts';

export {
  MemoryApplicationStore,
  MemoryChronology,
  MemoryDirectory,
  MemoryHandOffOutbox,
  MemoryIdempotencyStore,
  MemoryMailLog,
  MemoryMailer,
  MemoryTaskTokenStore,
  MemoryWorkflow,
};
export type { RecordedStart } from './workflow.ts';

export interface MemoryAdapterOptions {
  organisations?: readonly DirectoryOrganisation[];
  partnerships?: readonly Partnership[];
  users?: readonly DirectoryUser[];
}

export interface MemoryAdapters {
  applications: MemoryApplicationStore;
  chronology: MemoryChronology;
  idempotency: MemoryIdempotencyStore;
  directory: MemoryDirectory;
  tokens: MemoryTaskTokenStore;
  handOffs: MemoryHandOffOutbox;
  mailer: MemoryMailer;
  mailLog: MemoryMailLog;
  workflow: MemoryWorkflow;
}

/** Fresh adapters sharing nothing with any other call; the directory starts with `options`. */
export function createMemoryAdapters(options: MemoryAdapterOptions = {}): MemoryAdapters {
  return {
    applications: new MemoryApplicationStore(),
    chronology: new MemoryChronology(),
    idempotency: new MemoryIdempotencyStore(),
    directory: new MemoryDirectory(options),
    tokens: new MemoryTaskTokenStore(),
    handOffs: new MemoryHandOffOutbox(),
    mailer: new MemoryMailer(),
    mailLog: new MemoryMailLog(),
    workflow: new MemoryWorkflow(),
  };
}
