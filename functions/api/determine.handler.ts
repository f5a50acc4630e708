import { httpHandler } from '../shared/middy.ts';
import { determineOnly } from './determine.use-case.ts';
import { determineRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ body }) => ({ statusCode: 200, body: determineOnly(body) }));
