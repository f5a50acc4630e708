/** POST /v1/register/people/{personRef}/charges: a charge raised against the person (the maturity matrix counts wrong ones). */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordCharge } from './people.use-case.ts';
import { recordChargeRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) => recordCharge(registerDeps(), caller, path.personRef, body));
