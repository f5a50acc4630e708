/** POST /v1/register/people/{personRef}/charges: a charge raised against the person (the maturity matrix counts wrong ones). */
import { COMMISSIONING_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordCharge } from './people.use-case.ts';
import { chargeSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: chargeSchemas, auth: 'required', roles: COMMISSIONING_ROLES },
  async ({ caller, path, body }) => recordCharge(registerDeps(), caller, path.personRef, body),
);
