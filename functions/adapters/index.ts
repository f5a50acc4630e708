/**
 * The composition root: SDK clients built once (per cold start) and the port implementations over them.
 * Endpoints come from the SDK's own configuration (AWS_ENDPOINT_URL_DYNAMODB, _SESV2, _SFN locally); the handler's
 * env module reads the environment and passes `env` in.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoApplicationStore } from './dynamodb/applications.ts';
import { DynamoChronology } from './dynamodb/chronology.ts';
import { DynamoDirectory } from './dynamodb/directory.ts';
import { DynamoIdempotencyStore } from './dynamodb/idempotency.ts';
import { DynamoMailLog } from './dynamodb/mail-log.ts';
import { DynamoTaskTokenStore } from './dynamodb/tokens.ts';
import { SesMailer } from './ses/mailer.ts';
import { SfnWorkflow } from './sfn/workflow.ts';

export interface AdapterEnv {
  tableName: string;
  mailFrom: string;
  configurationSet?: string;
  region?: string;
}

export interface Adapters {
  applications: DynamoApplicationStore;
  chronology: DynamoChronology;
  idempotency: DynamoIdempotencyStore;
  /** Reads (Directory) and seeding writes (DirectoryWriter). */
  directory: DynamoDirectory;
  tokens: DynamoTaskTokenStore;
  mailLog: DynamoMailLog;
  mailer: SesMailer;
  workflow: SfnWorkflow;
  clients: { dynamodb: DynamoDBClient; documents: DynamoDBDocumentClient; ses: SESv2Client; sfn: SFNClient };
}

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createAdapters(env: AdapterEnv): Adapters {
  const config = env.region === undefined ? {} : { region: env.region };
  const dynamodb = new DynamoDBClient(config);
  const documents = documentClient(dynamodb);
  const ses = new SESv2Client(config);
  const sfn = new SFNClient(config);
  return {
    applications: new DynamoApplicationStore(documents, env.tableName),
    chronology: new DynamoChronology(documents, env.tableName),
    idempotency: new DynamoIdempotencyStore(documents, env.tableName),
    directory: new DynamoDirectory(documents, env.tableName),
    tokens: new DynamoTaskTokenStore(documents, env.tableName),
    mailLog: new DynamoMailLog(documents, env.tableName),
    mailer: new SesMailer(ses, { from: env.mailFrom, ...(env.configurationSet === undefined ? {} : { configurationSet: env.configurationSet }) }),
    workflow: new SfnWorkflow(sfn),
    clients: { dynamodb, documents, ses, sfn },
  };
}
