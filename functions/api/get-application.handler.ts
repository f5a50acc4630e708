import { httpHandler } from '../shared/middy.ts';
import { apiDeps } from './api-deps.ts';
import { getApplication } from './read-application.use-case.ts';
import { getApplicationRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path }) => ({
  statusCode: 200,
  body: await getApplication(apiDeps(), caller, path.id),
}));
