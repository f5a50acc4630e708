import { httpHandler } from '../shared/middy.ts';
import { getDispute } from './api.ts';
import { disputeDeps } from './deps.ts';
import { getDisputeRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path }) => ({
  statusCode: 200,
  body: await getDispute(disputeDeps(), caller, path.id),
}));
