/** The ports disputes take as arguments: a view over the composition root (functions/adapters/root.ts) plus the settings they read. */
import type { DisputeStore } from '#domain/disputes/ports.ts';
import type { ApplicationStore, Chronology, Clock, Directory, Mailer, TaskTokenStore, Workflow } from '#domain/ports.ts';
import { portsView } from '../adapters/root.ts';
import type { MailLog } from '#domain/ports.ts';
import { env } from '../shared/env.ts';

export interface DisputeDeps {
  applications: ApplicationStore;
  chronology: Chronology;
  directory: Directory;
  tokens: TaskTokenStore;
  mailer: Mailer;
  mailLog: MailLog;
  workflow: Workflow;
  disputes: DisputeStore;
  clock: Clock;
  /** Base URL of the API, for links in mail. */
  appBaseUrl: string;
}

export function disputeDeps(): DisputeDeps {
  const e = env();
  return portsView(['applications', 'chronology', 'directory', 'tokens', 'mailer', 'mailLog', 'workflow', 'disputes', 'clock'], {
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
  });
}
