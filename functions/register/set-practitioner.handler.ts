/** PUT /v1/register/episodes/{id}/practitioner: name the practitioner who is reminded of reviews. */
import { COMMISSIONING_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { setPractitioner } from './people.use-case.ts';
import { practitionerSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: practitionerSchemas, auth: 'required', roles: COMMISSIONING_ROLES },
  async ({ caller, path, body }) =>
    setPractitioner(registerDeps(), caller, path.id, {
      name: body.name,
      email: body.email,
      ...(body.role === undefined ? {} : { role: body.role }),
    }),
);
