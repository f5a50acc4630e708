/** The workflow steps' ports: a view over the composition root (functions/adapters/root.ts) plus the settings they read. */
import { portsView } from '../adapters/root.ts';
import { env } from '../shared/env.ts';
import type { StepDeps } from './funding-steps.ts';

export function stepDeps(): StepDeps {
  const e = env();
  return portsView(['applications', 'chronology', 'directory', 'tokens', 'mailLog', 'mailer', 'workflow', 'clock'], {
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
  });
}
