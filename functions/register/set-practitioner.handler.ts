/** PUT /v1/register/episodes/{id}/practitioner: name the practitioner who is reminded of reviews. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { setPractitioner } from './people.use-case.ts';
import { setPractitionerRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) =>
  setPractitioner(registerDeps(), caller, path.id, {
    name: body.name,
    email: body.email,
    ...(body.role === undefined ? {} : { role: body.role }),
  }),
);
