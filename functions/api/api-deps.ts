/**
 * The API's ports over the real adapters. Each handler passes the adapter factories it uses, imported statically
 * by the handler itself, so its bundle loads only those SDK clients (@aws-sdk/* is external: loading a client
 * costs tens of milliseconds of cold start whether or not it is used). Clients are built once per cold start, on
 * first use (after the environment is set); ports a handler was not given throw when used.
 */
import { ConfigurationError } from '../../domain/errors.ts';
import type { createDynamoAdapters, DynamoAdapters } from '../adapters/dynamodb/index.ts';
import type { createSfnAdapters, SfnAdapters } from '../adapters/sfn/index.ts';
import { systemClock } from '../shared/clock.ts';
import { env, required } from '../shared/env.ts';
import type { ApiDeps } from './deps.ts';

/** The adapter factories a handler links in: the register always; Step Functions only if it starts or resumes workflows. */
export interface ApiAdapterFactories {
  dynamodb: typeof createDynamoAdapters;
  sfn?: typeof createSfnAdapters;
}

let dynamo: DynamoAdapters | undefined;
let sfn: SfnAdapters | undefined;

export function apiDeps(factories: ApiAdapterFactories): ApiDeps {
  const e = env();
  const stores = (): DynamoAdapters => (dynamo ??= factories.dynamodb({ tableName: e.REGISTER_TABLE_NAME }));
  const workflows = (): SfnAdapters => {
    if (factories.sfn === undefined) throw new ConfigurationError('This handler was built without the Step Functions adapter (pass sfn to apiDeps)');
    return (sfn ??= factories.sfn());
  };
  return {
    get applications() {
      return stores().applications;
    },
    get chronology() {
      return stores().chronology;
    },
    get idempotency() {
      return stores().idempotency;
    },
    get directory() {
      return stores().directory;
    },
    get tokens() {
      return stores().tokens;
    },
    get workflow() {
      return workflows().workflow;
    },
    clock: systemClock,
    // Read when used: only the handler that creates applications is given these (least privilege).
    get stateMachineArn() {
      return required(e, 'FUNDING_STATE_MACHINE_ARN');
    },
    get personRefKey() {
      return required(e, 'PERSON_REF_KEY');
    },
  };
}
