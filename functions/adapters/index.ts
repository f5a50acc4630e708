/**
 * Every adapter at once, for tests and scripts. Handlers do NOT import this module: it loads every SDK client
 * (DynamoDB, SESv2, SFN). Each handler links only the per-client factories it uses (`./dynamodb/index.ts`,
 * `./ses/index.ts`, `./sfn/index.ts`) through functions/api/api-deps.ts or functions/tasks/step-deps.ts.
 * Endpoints come from the SDK's own configuration (AWS_ENDPOINT_URL_DYNAMODB, _SESV2, _SFN locally).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoAdapters, type DynamoAdapters } from './dynamodb/index.ts';
import { createSesAdapters } from './ses/index.ts';
import type { SesMailer } from './ses/mailer.ts';
import { createSfnAdapters } from './sfn/index.ts';
import type { SfnWorkflow } from './sfn/workflow.ts';

export { documentClient } from './dynamodb/index.ts';

export interface AdapterEnv {
  tableName: string;
  mailFrom: string;
  configurationSet?: string;
  region?: string;
}

export interface Adapters extends Omit<DynamoAdapters, 'clients'> {
  mailer: SesMailer;
  workflow: SfnWorkflow;
  clients: { dynamodb: DynamoDBClient; documents: DynamoDBDocumentClient; ses: SESv2Client; sfn: SFNClient };
}

export function createAdapters(env: AdapterEnv): Adapters {
  const region = env.region === undefined ? {} : { region: env.region };
  const { clients: dynamo, ...stores } = createDynamoAdapters({ tableName: env.tableName, ...region });
  const ses = createSesAdapters({
    mailFrom: env.mailFrom,
    ...(env.configurationSet === undefined ? {} : { configurationSet: env.configurationSet }),
    ...region,
  });
  const sfn = createSfnAdapters(region);
  return { ...stores, mailer: ses.mailer, workflow: sfn.workflow, clients: { ...dynamo, ...ses.clients, ...sfn.clients } };
}
