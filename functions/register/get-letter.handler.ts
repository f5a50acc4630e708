/** GET /v1/register/episodes/{id}/letters/{kind}: a plain-English letter to the person (entitlement, review, ending). */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { letter } from './reviews.use-case.ts';
import { getLetterRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, query }) => letter(registerDeps(), caller, path.id, path.kind, query));
