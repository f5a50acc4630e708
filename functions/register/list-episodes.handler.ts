/** GET /v1/register/episodes: the caller's partnership register, optionally by status, on `asOf`. */
import { REGISTER_READER_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { listEpisodes } from './people.use-case.ts';
import { listEpisodesSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: listEpisodesSchemas, auth: 'required', roles: REGISTER_READER_ROLES },
  async ({ caller, query }) => listEpisodes(registerDeps(), caller, query),
);
