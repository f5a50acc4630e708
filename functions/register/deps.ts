/** The register's ports, as the use-cases take them, and the real ones built once per cold start on first use. */
import type { ApplicationStore, Chronology, Clock, Directory, Mailer, Workflow } from '#domain/ports.ts';
import type { RegisterStore } from '#domain/register/ports.ts';
import { createAdapters } from '../adapters/index.ts';
import { systemClock } from '../shared/clock.ts';
import { env, required } from '../shared/env.ts';
import { DynamoRegisterStore } from '../adapters/dynamodb/register.ts';

export interface RegisterDeps {
  store: RegisterStore;
  chronology: Chronology;
  directory: Directory;
  applications: ApplicationStore;
  mailer: Mailer;
  workflow: Workflow;
  clock: Clock;
  /** The review-schedule state machine (only the functions that start it are given it). */
  readonly reviewStateMachineArn: string;
  /** The ending-recommendation state machine (only recommend-ending starts it; absent elsewhere). */
  readonly endingStateMachineArn?: string | undefined;
  /** The key of the person reference HMAC. Never logged. */
  readonly personRefKey: string;
  /** Base URL of the API, for links in mail. */
  appBaseUrl: string;
}

let cached: RegisterDeps | undefined;

export function registerDeps(): RegisterDeps {
  if (cached !== undefined) return cached;
  const e = env();
  const adapters = createAdapters({
    tableName: e.REGISTER_TABLE_NAME,
    mailFrom: e.MAIL_FROM,
    ...(e.SES_CONFIGURATION_SET === undefined ? {} : { configurationSet: e.SES_CONFIGURATION_SET }),
  });
  cached = {
    store: new DynamoRegisterStore(adapters.clients.documents, e.REGISTER_TABLE_NAME),
    chronology: adapters.chronology,
    directory: adapters.directory,
    applications: adapters.applications,
    mailer: adapters.mailer,
    workflow: adapters.workflow,
    clock: systemClock,
    get reviewStateMachineArn() {
      return required(e, 'REVIEW_STATE_MACHINE_ARN');
    },
    get endingStateMachineArn() {
      return e.ENDING_STATE_MACHINE_ARN;
    },
    get personRefKey() {
      return required(e, 'PERSON_REF_KEY');
    },
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
  };
  return cached;
}
