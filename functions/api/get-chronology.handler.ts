import { httpHandler } from '../shared/middy.ts';
import { apiDeps } from './api-deps.ts';
import { getChronology } from './read-application.use-case.ts';
import { getChronologyRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path }) => ({
  statusCode: 200,
  body: await getChronology(apiDeps(), caller, path.id),
}));
