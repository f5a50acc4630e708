import { httpHandler } from '../shared/middy.ts';
import { apiDeps } from './api-deps.ts';
import { createApplication } from './create-application.use-case.ts';
import { createApplicationRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, headers, body }) =>
  createApplication(apiDeps(), { caller, idempotencyKey: headers['idempotency-key'], body }),
);
