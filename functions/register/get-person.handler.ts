/** GET /v1/register/people/{personRef}: the person's facts and episodes on `asOf` (default today). */
import { REGISTER_READER_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { readPerson } from './people.use-case.ts';
import { personPathSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: personPathSchemas, auth: 'required', roles: REGISTER_READER_ROLES },
  async ({ caller, path, query }) => readPerson(registerDeps(), caller, path.personRef, query.asOf),
);
