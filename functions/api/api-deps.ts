/** The API's ports: a view over the composition root (functions/adapters/root.ts) plus the settings it reads. */
import { portsView } from '../adapters/root.ts';
import { personRefKey } from '../adapters/secrets/secrets.ts';
import { env, required } from '../shared/env.ts';
import type { ApiDeps } from './deps.ts';

export function apiDeps(): ApiDeps {
  const e = env();
  return portsView(['applications', 'chronology', 'idempotency', 'directory', 'tokens', 'handOffs', 'workflow', 'clock'], {
    // Read when used: only the handler that creates applications is given these (least privilege).
    get stateMachineArn() {
      return required(e, 'FUNDING_STATE_MACHINE_ARN');
    },
    personRefKey: () => personRefKey(required(e, 'PERSON_REF_KEY_SECRET')),
  });
}
