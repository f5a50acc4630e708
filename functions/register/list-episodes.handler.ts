/** GET /v1/register/episodes: the caller's partnership register, optionally by status, on `asOf`. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { listEpisodes } from './people.use-case.ts';
import { listEpisodesRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, query }) => listEpisodes(registerDeps(), caller, query));
