/** GET /v1/register/episodes/{id}/letters/{kind}: a plain-English letter to the person, in a version, as JSON, HTML or PDF. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { readLetter } from './letter-read.use-case.ts';
import { getLetterRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, query }) => readLetter(registerDeps(), caller, path.id, path.kind, query));
