/** POST /v1/register/episodes/{id}/reviews: a review held, who took part (the person too) and its outcome. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordReview } from './reviews.use-case.ts';
import { recordReviewRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) => recordReview(registerDeps(), caller, path.id, body));
