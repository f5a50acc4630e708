/** GET /v1/register/episodes/{id}: one register record, its reviews, schedule and ending recommendations. */
import { REGISTER_READER_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { readEpisode } from './people.use-case.ts';
import { episodePathSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: episodePathSchemas, auth: 'required', roles: REGISTER_READER_ROLES },
  async ({ caller, path, query }) => readEpisode(registerDeps(), caller, path.id, query.asOf),
);
