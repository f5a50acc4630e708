/**
 * GET /v1/register/people/{personRef}: the person's facts and episodes on `asOf` (default today), joined to their
 * applications, funding timeline, endings and disputes (issue 13 item 6).
 */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { readPersonRecord } from './person-record.use-case.ts';
import { getPersonRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, query }) =>
  readPersonRecord(registerDeps(), caller, path.personRef, query.asOf),
);
