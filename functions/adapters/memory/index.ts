/** In-memory adapters for use-case tests: the same semantics as the DynamoDB, SES and Step Functions adapters. */
import type { Partnership } from '#domain/partnership.ts';
import type { Clock } from '#domain/ports.ts';
import type { Ports } from '../root.ts';
import { MemoryObjectStore } from './objects.ts';
import type { DirectoryOrganisation, DirectoryUser } from '#domain/ports.ts';
import { MemoryApplicationStore } from './applications.ts';
import { MemoryChronology } from './chronology.ts';
import { MemoryDirectory } from './directory.ts';
import { MemoryHandOffOutbox } from './hand-offs.ts';
import { MemoryIdempotencyStore } from './idempotency.ts';
import { MemoryMailLog } from './mail-log.ts';
import { MemoryMailer } from './mailer.ts';
import { MemoryTaskTokenStore } from './tokens.ts';
import { MemoryWorkflow } from './workflow.ts';
import { MemoryDisputeStore } from './disputes.ts';
import { MemoryPanelStore } from './panels.ts';
import { MemoryExportRegister } from './export-register.ts';
import { MemoryRegisterStore } from './register.ts';
import { MemorySessionStore } from './sessions.ts';

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

/** Every port of the system, each its in-memory twin (so a test can read what was sent, started or stored). */
export interface MemoryPorts extends Ports {
  readonly applications: MemoryApplicationStore;
  readonly chronology: MemoryChronology;
  readonly idempotency: MemoryIdempotencyStore;
  readonly directory: MemoryDirectory;
  readonly tokens: MemoryTaskTokenStore;
  readonly handOffs: MemoryHandOffOutbox;
  readonly mailer: MemoryMailer;
  readonly mailLog: MemoryMailLog;
  readonly workflow: MemoryWorkflow;
  readonly panels: MemoryPanelStore;
  readonly register: MemoryRegisterStore;
  readonly disputes: MemoryDisputeStore;
  readonly objects: MemoryObjectStore;
  readonly sessions: MemorySessionStore;
  readonly exportRegister: MemoryExportRegister;
}

/**
 * The composition root's test variant (functions/adapters/root.ts): every port over a fresh in-memory twin,
 * sharing nothing with any other call; the directory starts with `options`. Install it with `usePorts()`;
 * `overrides` replace any of them.
 */
export function memoryPorts(clock: Clock, options: MemoryAdapterOptions = {}, overrides: Partial<Ports> = {}): MemoryPorts {
  const applications = new MemoryApplicationStore();
  const disputes = new MemoryDisputeStore();
  const base = {
    applications,
    chronology: new MemoryChronology(),
    idempotency: new MemoryIdempotencyStore(),
    directory: new MemoryDirectory(options),
    tokens: new MemoryTaskTokenStore(),
    handOffs: new MemoryHandOffOutbox(),
    mailer: new MemoryMailer(),
    mailLog: new MemoryMailLog(),
    workflow: new MemoryWorkflow(),
    panels: new MemoryPanelStore(),
    register: new MemoryRegisterStore(),
    disputes,
    objects: new MemoryObjectStore(),
    sessions: new MemorySessionStore(),
    // Reads the applications and settlement entries the other twins hold, as the table's export register does.
    exportRegister: new MemoryExportRegister(applications, disputes),
    clock,
  };
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(overrides)) as MemoryPorts;
}
