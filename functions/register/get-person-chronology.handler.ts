/** GET /v1/register/people/{personRef}/chronology: the person's chronology, a page at a time (issue 13 item 6). */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { readPersonChronology } from './person-record.use-case.ts';
import { getPersonChronologyRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, query }) =>
  readPersonChronology(registerDeps(), caller, path.personRef, query),
);
