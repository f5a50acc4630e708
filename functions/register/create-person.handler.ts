/** POST /v1/register/people: put a person on the register (NHS number → person reference) with their facts. */
import { COMMISSIONING_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { createPerson } from './people.use-case.ts';
import { createPersonSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: createPersonSchemas, auth: 'required', roles: COMMISSIONING_ROLES },
  async ({ caller, body }) => createPerson(registerDeps(), caller, body),
);
