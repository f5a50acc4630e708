import { httpHandler } from '../shared/middy.ts';
import { recordDisputeOutcome } from './api.ts';
import { disputeDeps } from './deps.ts';
import { recordDisputeOutcomeRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) =>
  recordDisputeOutcome(disputeDeps(), { caller, id: path.id, request: body }),
);
