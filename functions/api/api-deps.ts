/** The API's ports over the real adapters, built once per cold start on first use (after the environment is set). */
import { createAdapters } from '../adapters/index.ts';
import { systemClock } from '../shared/clock.ts';
import { env, required } from '../shared/env.ts';
import type { ApiDeps } from './deps.ts';

let cached: ApiDeps | undefined;

export function apiDeps(): ApiDeps {
  if (cached !== undefined) return cached;
  const e = env();
  const adapters = createAdapters({
    tableName: e.REGISTER_TABLE_NAME,
    mailFrom: e.MAIL_FROM,
    ...(e.SES_CONFIGURATION_SET === undefined ? {} : { configurationSet: e.SES_CONFIGURATION_SET }),
  });
  cached = {
    applications: adapters.applications,
    chronology: adapters.chronology,
    idempotency: adapters.idempotency,
    directory: adapters.directory,
    tokens: adapters.tokens,
    workflow: adapters.workflow,
    clock: systemClock,
    // Read when used: only the handler that creates applications is given these (least privilege).
    get stateMachineArn() {
      return required(e, 'FUNDING_STATE_MACHINE_ARN');
    },
    get personRefKey() {
      return required(e, 'PERSON_REF_KEY');
    },
  };
  return cached;
}
