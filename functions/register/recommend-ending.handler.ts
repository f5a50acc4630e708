/** POST /v1/register/episodes/{id}/ending-recommendations: a recommendation to end aftercare, with its report. */
import { COMMISSIONING_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recommendEnding } from './ending.use-case.ts';
import { endingRecommendationSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: endingRecommendationSchemas, auth: 'required', roles: COMMISSIONING_ROLES },
  async ({ caller, path, body }) => recommendEnding(registerDeps(), caller, path.id, body),
);
