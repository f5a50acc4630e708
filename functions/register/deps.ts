/** The register's ports, as the use-cases take them: a view over the composition root (functions/adapters/root.ts) plus the settings they read. */
import type { ApplicationStore, Chronology, Clock, Directory, Mailer, Workflow } from '#domain/ports.ts';
import type { DisputeStore } from '#domain/disputes/ports.ts';
import type { RegisterStore } from '#domain/register/ports.ts';
import { ports, portsView } from '../adapters/root.ts';
import { personRefKey } from '../adapters/secrets/secrets.ts';
import { env, required } from '../shared/env.ts';

export interface RegisterDeps {
  store: RegisterStore;
  chronology: Chronology;
  directory: Directory;
  applications: ApplicationStore;
  /** The person's record reads their applications' disputes (issue 13 item 6). */
  disputes: DisputeStore;
  mailer: Mailer;
  workflow: Workflow;
  clock: Clock;
  /** The review-schedule state machine (only the functions that start it are given it). */
  readonly reviewStateMachineArn: string;
  /** The ending-recommendation state machine (only recommend-ending starts it; absent elsewhere). */
  readonly endingStateMachineArn?: string | undefined;
  /** The key of the person reference HMAC, from Secrets Manager (cached per container). Never logged. */
  readonly personRefKey: () => Promise<string>;
  /** Base URL of the API, for links in mail. */
  appBaseUrl: string;
}

export function registerDeps(): RegisterDeps {
  const e = env();
  return portsView(['chronology', 'directory', 'applications', 'disputes', 'mailer', 'workflow', 'clock'], {
    // The root calls it `register`; the register's use-cases call it their store.
    get store() {
      return ports().register;
    },
    // Read when used (least privilege: only the functions that start these workflows are given them).
    get reviewStateMachineArn() {
      return required(e, 'REVIEW_STATE_MACHINE_ARN');
    },
    get endingStateMachineArn() {
      return e.ENDING_STATE_MACHINE_ARN;
    },
    personRefKey: () => personRefKey(required(e, 'PERSON_REF_KEY_SECRET')),
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
  });
}
