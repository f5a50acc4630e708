import { httpHandler } from '../shared/middy.ts';
import { openApiDocument } from './openapi.ts';
import { openApiRoute as route } from './routes.ts';

export const handler = httpHandler(route, async () => ({
  statusCode: 200,
  body: openApiDocument(),
  headers: { 'cache-control': 'public, max-age=300' },
}));
