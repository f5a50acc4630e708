/** GET /v1/register/episodes/{id}: one register record, its reviews, schedule and ending recommendations. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { readEpisode } from './people.use-case.ts';
import { getEpisodeRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, query }) => readEpisode(registerDeps(), caller, path.id, query.asOf));
