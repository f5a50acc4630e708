/**
 * The composition root: every port a handler uses, built in ONE place. Each port is built once per cold start,
 * on first use (after the environment is set), and each AWS SDK client is created the first time a port that
 * needs it is used; the SES, Step Functions and S3 SDKs are also only *loaded* then (./ses/sdk.ts, ./sfn/sdk.ts,
 * ./s3/sdk.ts), so a handler that never sends mail never loads @aws-sdk/client-sesv2. DynamoDB, which every
 * handler reads, is loaded with this module.
 *
 * Three runtimes, one shape: Lambda and the local runtime (`npm start`) use `ports()`, which builds the real
 * adapters (endpoints from the SDK's own AWS_ENDPOINT_URL_* variables locally); tests build the in-memory twins
 * with `memoryPorts()` (./memory/index.ts) and install them with `usePorts()`. The features' deps modules
 * (functions/<feature>/deps.ts and friends) are views over these ports plus the settings each feature needs.
 */
import type { DisputeStore } from '#domain/disputes/ports.ts';
import type { ExportRegister, ObjectStore } from '#domain/exports/ports.ts';
import type { PanelStore } from '#domain/panels/ports.ts';
import type {
  ApplicationStore,
  Chronology,
  Clock,
  Directory,
  HandOffOutbox,
  IdempotencyStore,
  Mailer,
  TaskTokenStore,
  Workflow,
} from '#domain/ports.ts';
import type { RegisterStore } from '#domain/register/ports.ts';
import { systemClock } from '../shared/clock.ts';
import { env, required, type Env } from '../shared/env.ts';
import { DynamoApplicationStore } from './dynamodb/applications.ts';
import { DynamoChronology } from './dynamodb/chronology.ts';
import { DynamoDirectory } from './dynamodb/directory.ts';
import { DynamoDisputeStore } from './dynamodb/disputes.ts';
import { DynamoExportRegister } from './dynamodb/export-register.ts';
import { DynamoIdempotencyStore } from './dynamodb/idempotency.ts';
import { DynamoMailLog } from './dynamodb/mail-log.ts';
import { DynamoPanelStore } from './dynamodb/panels.ts';
import { DynamoRegisterStore } from './dynamodb/register.ts';
import { DynamoSessionStore } from './dynamodb/sessions.ts';
import { documentClient, DynamoDBClient, type DynamoDBDocumentClient } from './dynamodb/sdk.ts';
import { DynamoHandOffOutbox } from './dynamodb/hand-offs.ts';
import { DynamoTaskTokenStore } from './dynamodb/tokens.ts';
import { exportsS3Client, S3ObjectStore } from './s3/object-store.ts';
import { SesMailer } from './ses/mailer.ts';
import { sesSdk } from './ses/sdk.ts';
import { sfnSdk } from './sfn/sdk.ts';
import { SfnWorkflow } from './sfn/workflow.ts';
import type { DirectoryWriter, MailLog } from '#domain/ports.ts';
import type { SessionStore } from '#domain/workspace/ports.ts';

/** Every port of the system. Getters: reading one builds it (once). */
export interface Ports {
  readonly applications: ApplicationStore;
  readonly chronology: Chronology;
  readonly idempotency: IdempotencyStore;
  readonly directory: Directory & DirectoryWriter;
  readonly tokens: TaskTokenStore;
  /** Saved answers not yet delivered to their workflow (the outbox the reconciler reads). */
  readonly handOffs: HandOffOutbox;
  readonly mailLog: MailLog;
  readonly panels: PanelStore;
  readonly register: RegisterStore;
  readonly disputes: DisputeStore;
  readonly exportRegister: ExportRegister;
  /** The workspace's sign-in sessions. */
  readonly sessions: SessionStore;
  readonly objects: ObjectStore;
  readonly mailer: Mailer;
  readonly workflow: Workflow;
  readonly clock: Clock;
}

/** Builds `make()` on first call and returns the same value after. */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

/** The real adapters over one DynamoDB client, and SES, Step Functions and S3 clients created on first use. */
export function awsPorts(e: Env): Ports {
  const table = e.REGISTER_TABLE_NAME;
  const documents = once(() => documentClient(new DynamoDBClient({})));
  const port = <T>(make: (db: DynamoDBDocumentClient) => T) => once(() => make(documents()));
  const applications = port((db) => new DynamoApplicationStore(db, table));
  const chronology = port((db) => new DynamoChronology(db, table));
  const idempotency = port((db) => new DynamoIdempotencyStore(db, table));
  const directory = port((db) => new DynamoDirectory(db, table));
  const tokens = port((db) => new DynamoTaskTokenStore(db, table));
  const handOffs = port((db) => new DynamoHandOffOutbox(db, table));
  const mailLog = port((db) => new DynamoMailLog(db, table));
  const panels = port((db) => new DynamoPanelStore(db, table));
  const register = port((db) => new DynamoRegisterStore(db, table));
  const disputes = port((db) => new DynamoDisputeStore(db, table));
  const exportRegister = port((db) => new DynamoExportRegister(db, table));
  const sessions = port((db) => new DynamoSessionStore(db, table));
  const objects = once(() => new S3ObjectStore(exportsS3Client(), required(e, 'EXPORTS_BUCKET')));
  const mailer = once(
    () =>
      new SesMailer(new (sesSdk().SESv2Client)({}), {
        from: e.MAIL_FROM,
        ...(e.SES_CONFIGURATION_SET === undefined ? {} : { configurationSet: e.SES_CONFIGURATION_SET }),
      }),
  );
  const workflow = once(() => new SfnWorkflow(new (sfnSdk().SFNClient)({})));
  return {
    get applications() {
      return applications();
    },
    get chronology() {
      return chronology();
    },
    get idempotency() {
      return idempotency();
    },
    get directory() {
      return directory();
    },
    get tokens() {
      return tokens();
    },
    get handOffs() {
      return handOffs();
    },
    get mailLog() {
      return mailLog();
    },
    get panels() {
      return panels();
    },
    get register() {
      return register();
    },
    get disputes() {
      return disputes();
    },
    get exportRegister() {
      return exportRegister();
    },
    get sessions() {
      return sessions();
    },
    get objects() {
      return objects();
    },
    get mailer() {
      return mailer();
    },
    get workflow() {
      return workflow();
    },
    clock: systemClock,
  };
}

let current: Ports | undefined;

/** The ports of this process: the real adapters unless a test installed others with `usePorts`. */
export function ports(): Ports {
  current ??= awsPorts(env());
  return current;
}

/** Installs `p` as this process's ports (tests: the in-memory twins), or forgets them (`undefined`: rebuilt on next use). */
export function usePorts(p: Ports | undefined): void {
  current = p;
}

/** A view of `p` with only `names`, each still built on first read (so a handler builds only what it reads). */
export function pick<K extends keyof Ports>(p: Ports, ...names: K[]): Pick<Ports, K> {
  const view = {} as Pick<Ports, K>;
  for (const name of names) Object.defineProperty(view, name, { enumerable: true, get: () => p[name] });
  return view;
}

/**
 * A feature's deps: `names` of this process's ports plus `settings` (whose getters stay getters: read when used).
 * Never spread a view: spreading reads every getter and so builds every port.
 */
export function portsView<K extends keyof Ports, S extends object>(names: K[], settings: S): Pick<Ports, K> & S {
  return Object.defineProperties(pick(ports(), ...names), Object.getOwnPropertyDescriptors(settings)) as Pick<Ports, K> & S;
}
