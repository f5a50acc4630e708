/** POST /v1/register/episodes/{id}/reinstatements: an ending that proved premature is reinstated. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { reinstate } from './ending.use-case.ts';
import { reinstateRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) => reinstate(registerDeps(), caller, path.id, body.reason));
