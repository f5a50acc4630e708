/** POST /v1/register/people/{personRef}/events: one new fact; the register is re-determined. */
import { COMMISSIONING_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordEvent } from './people.use-case.ts';
import { recordEventSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: recordEventSchemas, auth: 'required', roles: COMMISSIONING_ROLES },
  async ({ caller, path, body }) => recordEvent(registerDeps(), caller, path.personRef, body),
);
