/** POST /v1/register/episodes/{id}/ending-recommendations: a recommendation to end aftercare, with its report. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recommendEnding } from './ending.use-case.ts';
import { recommendEndingRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) => recommendEnding(registerDeps(), caller, path.id, body));
