/** GET /docs: the API reference page (Scalar, from our own route), with a <noscript> link to /v1/openapi.json. */
import { httpHandler } from '../shared/middy.ts';
import { DOCS_HEADERS, docsPage } from './api-reference.ts';
import { docsPageRoute as route } from './routes.ts';

export const handler = httpHandler(route, async () => ({ statusCode: 200, headers: { ...DOCS_HEADERS }, rawBody: docsPage() }));
