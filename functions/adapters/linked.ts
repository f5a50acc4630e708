/**
 * The adapters a handler links in, built once per cold start on first use. Each handler passes only the factories
 * it uses, imported statically by the handler itself, so its bundle loads only those SDK clients (@aws-sdk/* is
 * external: loading a client costs tens of milliseconds of cold start whether or not it is used). Asking for an
 * adapter whose factory the handler did not link is a deployment mistake and throws.
 */
import { ConfigurationError } from '#domain/errors.ts';
import type { Env } from '../shared/env.ts';
import type { createDynamoAdapters, DynamoAdapters } from './dynamodb/index.ts';
import type { createSesAdapters, SesAdapters } from './ses/index.ts';
import type { createSfnAdapters, SfnAdapters } from './sfn/index.ts';

/** The register always; SES if the handler sends mail; Step Functions if it starts workflows or answers task tokens. */
export interface AdapterFactories {
  dynamodb: typeof createDynamoAdapters;
  ses?: typeof createSesAdapters;
  sfn?: typeof createSfnAdapters;
}

export interface LinkedAdapters {
  dynamo(): DynamoAdapters;
  ses(): SesAdapters;
  sfn(): SfnAdapters;
}

let dynamo: DynamoAdapters | undefined;
let ses: SesAdapters | undefined;
let sfn: SfnAdapters | undefined;

/** `who` names the deps builder in the error a missing factory raises (e.g. `stepDeps`). */
export function linkAdapters(factories: AdapterFactories, e: Env, who: string): LinkedAdapters {
  const missing = (adapter: string, option: string) =>
    new ConfigurationError(`This handler was built without the ${adapter} adapter (pass ${option} to ${who})`);
  return {
    dynamo: () => (dynamo ??= factories.dynamodb({ tableName: e.REGISTER_TABLE_NAME })),
    ses: () => {
      if (factories.ses === undefined) throw missing('SES', 'ses');
      return (ses ??= factories.ses({
        mailFrom: e.MAIL_FROM,
        ...(e.SES_CONFIGURATION_SET === undefined ? {} : { configurationSet: e.SES_CONFIGURATION_SET }),
      }));
    },
    sfn: () => {
      if (factories.sfn === undefined) throw missing('Step Functions', 'sfn');
      return (sfn ??= factories.sfn());
    },
  };
}
