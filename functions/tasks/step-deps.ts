/**
 * The workflow steps' ports over the real adapters. Each handler passes the adapter factories it uses, imported
 * statically by the handler itself, so its bundle loads only those SDK clients (@aws-sdk/* is external: loading a
 * client costs tens of milliseconds of cold start whether or not it is used). Clients are built once per cold
 * start, on first use; ports a handler was not given throw when used.
 */
import { ConfigurationError } from '../../domain/errors.ts';
import type { createDynamoAdapters, DynamoAdapters } from '../adapters/dynamodb/index.ts';
import type { createSesAdapters, SesAdapters } from '../adapters/ses/index.ts';
import type { createSfnAdapters, SfnAdapters } from '../adapters/sfn/index.ts';
import { systemClock } from '../shared/clock.ts';
import { env } from '../shared/env.ts';
import type { StepDeps } from './funding-steps.ts';

/** The adapter factories a step links in: the register always; SES if it sends mail; Step Functions if it answers task tokens. */
export interface StepAdapterFactories {
  dynamodb: typeof createDynamoAdapters;
  ses?: typeof createSesAdapters;
  sfn?: typeof createSfnAdapters;
}

let dynamo: DynamoAdapters | undefined;
let ses: SesAdapters | undefined;
let sfn: SfnAdapters | undefined;

const missing = (adapter: string, option: string) => new ConfigurationError(`This handler was built without the ${adapter} adapter (pass ${option} to stepDeps)`);

export function stepDeps(factories: StepAdapterFactories): StepDeps {
  const e = env();
  const stores = (): DynamoAdapters => (dynamo ??= factories.dynamodb({ tableName: e.REGISTER_TABLE_NAME }));
  const mail = (): SesAdapters => {
    if (factories.ses === undefined) throw missing('SES', 'ses');
    return (ses ??= factories.ses({ mailFrom: e.MAIL_FROM, ...(e.SES_CONFIGURATION_SET === undefined ? {} : { configurationSet: e.SES_CONFIGURATION_SET }) }));
  };
  const workflows = (): SfnAdapters => {
    if (factories.sfn === undefined) throw missing('Step Functions', 'sfn');
    return (sfn ??= factories.sfn());
  };
  return {
    get applications() {
      return stores().applications;
    },
    get chronology() {
      return stores().chronology;
    },
    get directory() {
      return stores().directory;
    },
    get tokens() {
      return stores().tokens;
    },
    get mailLog() {
      return stores().mailLog;
    },
    get mailer() {
      return mail().mailer;
    },
    get workflow() {
      return workflows().workflow;
    },
    clock: systemClock,
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
  };
}
