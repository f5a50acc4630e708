/** The workflow steps' ports over the real adapters, built once per cold start on first use. */
import { createAdapters } from '../adapters/index.ts';
import { systemClock } from '../shared/clock.ts';
import { env } from '../shared/env.ts';
import type { StepDeps } from './funding-steps.ts';

let cached: StepDeps | undefined;

export function stepDeps(): StepDeps {
  if (cached !== undefined) return cached;
  const e = env();
  const adapters = createAdapters({
    tableName: e.REGISTER_TABLE_NAME,
    mailFrom: e.MAIL_FROM,
    ...(e.SES_CONFIGURATION_SET === undefined ? {} : { configurationSet: e.SES_CONFIGURATION_SET }),
  });
  const deps: StepDeps = {
    applications: adapters.applications,
    chronology: adapters.chronology,
    directory: adapters.directory,
    tokens: adapters.tokens,
    mailer: adapters.mailer,
    mailLog: adapters.mailLog,
    workflow: adapters.workflow,
    clock: systemClock,
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
  };
  cached = deps;
  return deps;
}
