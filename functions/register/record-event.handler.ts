/** POST /v1/register/people/{personRef}/events: one new fact; the register is re-determined. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordEvent } from './people.use-case.ts';
import { recordEventRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) => recordEvent(registerDeps(), caller, path.personRef, body));
