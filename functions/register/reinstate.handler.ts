/** POST /v1/register/episodes/{id}/reinstatements: an ending that proved premature is reinstated. */
import { COMMISSIONING_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { reinstate } from './ending.use-case.ts';
import { reinstatementSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: reinstatementSchemas, auth: 'required', roles: COMMISSIONING_ROLES },
  async ({ caller, path, body }) => reinstate(registerDeps(), caller, path.id, body.reason),
);
