/**
 * GET /docs/api-reference.js: @scalar/api-reference's standalone bundle, read once per cold start from beside the
 * deployed handler or from the installed package; gzip when the client accepts it, 304 for a matching ETag.
 */
import { httpHandler } from '../shared/middy.ts';
import { acceptsGzip, loadScript, scriptFile, type ApiReferenceScript } from './api-reference.ts';
import { apiReferenceScriptRoute as route } from './routes.ts';

let script: ApiReferenceScript | undefined;

export const handler = httpHandler(route, async ({ headers }) => {
  script ??= loadScript(scriptFile(new URL(import.meta.url)));
  const common = {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'public, max-age=86400',
    etag: script.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  };
  if (headers['if-none-match'] === script.etag) return { statusCode: 304, headers: common, rawBody: '' };
  if (acceptsGzip(headers['accept-encoding']))
    return {
      statusCode: 200,
      headers: { ...common, 'content-encoding': 'gzip' },
      rawBody: script.gzip.toString('base64'),
      isBase64Encoded: true,
    };
  return { statusCode: 200, headers: common, rawBody: script.text };
});
