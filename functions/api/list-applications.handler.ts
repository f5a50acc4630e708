import { httpHandler } from '../shared/middy.ts';
import { apiDeps } from './api-deps.ts';
import { listApplications } from './read-application.use-case.ts';
import { listApplicationsRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, query }) => ({
  statusCode: 200,
  body: await listApplications(apiDeps(), caller, query),
}));
