/**
 * The ports disputes take as arguments, and the real ones behind the handlers: built once per cold start, on
 * first use (after the environment is set). Built here, over the adapters' classes, so the dispute functions
 * do not depend on how other features compose theirs.
 */
import { DynamoDBClient, DynamoDBDocumentClient } from '../adapters/dynamodb/sdk.ts';
import { sesSdk } from '../adapters/ses/sdk.ts';
import { sfnSdk } from '../adapters/sfn/sdk.ts';
import type { DisputeStore } from '#domain/disputes/ports.ts';
import type { ApplicationStore, Chronology, Clock, Directory, Mailer, TaskTokenStore, Workflow } from '#domain/ports.ts';
import { DynamoApplicationStore } from '../adapters/dynamodb/applications.ts';
import { DynamoChronology } from '../adapters/dynamodb/chronology.ts';
import { DynamoDirectory } from '../adapters/dynamodb/directory.ts';
import { DynamoMailLog } from '../adapters/dynamodb/mail-log.ts';
import { DynamoTaskTokenStore } from '../adapters/dynamodb/tokens.ts';
import { SesMailer } from '../adapters/ses/mailer.ts';
import { SfnWorkflow } from '../adapters/sfn/workflow.ts';
import type { MailLog } from '../adapters/types.ts';
import { systemClock } from '../shared/clock.ts';
import { env } from '../shared/env.ts';
import { DynamoDisputeStore } from '../adapters/dynamodb/disputes.ts';

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

let cached: DisputeDeps | undefined;

export function disputeDeps(): DisputeDeps {
  if (cached !== undefined) return cached;
  const e = env();
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  const table = e.REGISTER_TABLE_NAME;
  let mailer: Mailer | undefined;
  let workflow: Workflow | undefined;
  cached = {
    applications: new DynamoApplicationStore(documents, table),
    chronology: new DynamoChronology(documents, table),
    directory: new DynamoDirectory(documents, table),
    tokens: new DynamoTaskTokenStore(documents, table),
    mailLog: new DynamoMailLog(documents, table),
    disputes: new DynamoDisputeStore(documents, table),
    get mailer() {
      return (mailer ??= new SesMailer(new (sesSdk().SESv2Client)({}), {
        from: e.MAIL_FROM,
        ...(e.SES_CONFIGURATION_SET === undefined ? {} : { configurationSet: e.SES_CONFIGURATION_SET }),
      }));
    },
    get workflow() {
      return (workflow ??= new SfnWorkflow(new (sfnSdk().SFNClient)({})));
    },
    clock: systemClock,
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
  };
  return cached;
}
