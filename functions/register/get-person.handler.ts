/** GET /v1/register/people/{personRef}: the person's facts and episodes on `asOf` (default today). */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { readPerson } from './people.use-case.ts';
import { getPersonRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, query }) =>
  readPerson(registerDeps(), caller, path.personRef, query.asOf),
);
