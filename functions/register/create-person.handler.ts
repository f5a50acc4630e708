/** POST /v1/register/people: put a person on the register (NHS number → person reference) with their facts. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { createPerson } from './people.use-case.ts';
import { createPersonRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, body }) => createPerson(registerDeps(), caller, body));
