/** POST /v1/register/episodes/{id}/reviews: a review held, who took part (the person too) and its outcome. */
import { COMMISSIONING_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordReview } from './reviews.use-case.ts';
import { reviewSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: reviewSchemas, auth: 'required', roles: COMMISSIONING_ROLES },
  async ({ caller, path, body }) => recordReview(registerDeps(), caller, path.id, body),
);
