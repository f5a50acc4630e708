import { httpHandler } from '../shared/middy.ts';
import { getReferralPack } from './api.ts';
import { disputeDeps } from './deps.ts';
import { getReferralPackRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path }) => ({
  statusCode: 200,
  body: await getReferralPack(disputeDeps(), caller, path.id),
}));
