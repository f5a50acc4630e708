/**
 * The workflow steps' ports over the real adapters. Each handler passes the adapter factories it uses, imported
 * statically by the handler itself, so its bundle loads only those SDK clients (@aws-sdk/* is external: loading a
 * client costs tens of milliseconds of cold start whether or not it is used). Clients are built once per cold
 * start, on first use; ports a handler was not given throw when used.
 */
import { linkAdapters, type AdapterFactories } from '../adapters/linked.ts';
import { systemClock } from '../shared/clock.ts';
import { env } from '../shared/env.ts';
import type { StepDeps } from './funding-steps.ts';

/** The adapter factories a handler links in (functions/adapters/linked.ts). */
export type StepAdapterFactories = AdapterFactories;

export function stepDeps(factories: StepAdapterFactories): StepDeps {
  const e = env();
  const linked = linkAdapters(factories, e, 'stepDeps');
  return {
    get applications() {
      return linked.dynamo().applications;
    },
    get chronology() {
      return linked.dynamo().chronology;
    },
    get directory() {
      return linked.dynamo().directory;
    },
    get tokens() {
      return linked.dynamo().tokens;
    },
    get mailLog() {
      return linked.dynamo().mailLog;
    },
    get mailer() {
      return linked.ses().mailer;
    },
    get workflow() {
      return linked.sfn().workflow;
    },
    clock: systemClock,
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
  };
}
