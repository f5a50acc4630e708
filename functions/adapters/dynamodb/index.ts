/**
 * The DynamoDB half of the composition root: one client per cold start and the stores over it. Importing this
 * module loads `@aws-sdk/client-dynamodb` and `@aws-sdk/lib-dynamodb` (and nothing of SES or Step Functions), so
 * only handlers that touch the register import it. The endpoint comes from the SDK's own configuration
 * (AWS_ENDPOINT_URL_DYNAMODB locally).
 */
import { DynamoDBClient, DynamoDBDocumentClient } from './sdk.ts';
import { DynamoApplicationStore } from './applications.ts';
import { DynamoChronology } from './chronology.ts';
import { DynamoDirectory } from './directory.ts';
import { DynamoHandOffOutbox } from './hand-offs.ts';
import { DynamoIdempotencyStore } from './idempotency.ts';
import { DynamoMailLog } from './mail-log.ts';
import { DynamoTaskTokenStore } from './tokens.ts';

export interface DynamoAdapterEnv {
  tableName: string;
  region?: string;
}

export interface DynamoAdapters {
  applications: DynamoApplicationStore;
  chronology: DynamoChronology;
  idempotency: DynamoIdempotencyStore;
  /** Reads (Directory) and seeding writes (DirectoryWriter). */
  directory: DynamoDirectory;
  tokens: DynamoTaskTokenStore;
  handOffs: DynamoHandOffOutbox;
  mailLog: DynamoMailLog;
  clients: { dynamodb: DynamoDBClient; documents: DynamoDBDocumentClient };
}

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createDynamoAdapters(env: DynamoAdapterEnv): DynamoAdapters {
  const dynamodb = new DynamoDBClient(env.region === undefined ? {} : { region: env.region });
  const documents = documentClient(dynamodb);
  return {
    applications: new DynamoApplicationStore(documents, env.tableName),
    chronology: new DynamoChronology(documents, env.tableName),
    idempotency: new DynamoIdempotencyStore(documents, env.tableName),
    directory: new DynamoDirectory(documents, env.tableName),
    tokens: new DynamoTaskTokenStore(documents, env.tableName),
    handOffs: new DynamoHandOffOutbox(documents, env.tableName),
    mailLog: new DynamoMailLog(documents, env.tableName),
    clients: { dynamodb, documents },
  };
}
