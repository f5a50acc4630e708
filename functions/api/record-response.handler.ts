import { httpHandler } from '../shared/middy.ts';
import { apiDeps } from './api-deps.ts';
import { recordApplicationResponse } from './record-response.use-case.ts';
import { recordResponseRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) =>
  recordApplicationResponse(apiDeps(), { caller, id: path.id, request: body }),
);
