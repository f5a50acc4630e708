/**
 * The API's ports over the real adapters. Each handler passes the adapter factories it uses, imported statically
 * by the handler itself, so its bundle loads only those SDK clients (@aws-sdk/* is external: loading a client
 * costs tens of milliseconds of cold start whether or not it is used). Clients are built once per cold start, on
 * first use (after the environment is set); ports a handler was not given throw when used.
 */
import { linkAdapters, type AdapterFactories } from '../adapters/linked.ts';
import { systemClock } from '../shared/clock.ts';
import { env, required } from '../shared/env.ts';
import type { ApiDeps } from './deps.ts';

/** The adapter factories a handler links in (functions/adapters/linked.ts). */
export type ApiAdapterFactories = AdapterFactories;

export function apiDeps(factories: ApiAdapterFactories): ApiDeps {
  const e = env();
  const linked = linkAdapters(factories, e, 'apiDeps');
  return {
    get applications() {
      return linked.dynamo().applications;
    },
    get chronology() {
      return linked.dynamo().chronology;
    },
    get idempotency() {
      return linked.dynamo().idempotency;
    },
    get directory() {
      return linked.dynamo().directory;
    },
    get tokens() {
      return linked.dynamo().tokens;
    },
    get handOffs() {
      return linked.dynamo().handOffs;
    },
    get workflow() {
      return linked.sfn().workflow;
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
