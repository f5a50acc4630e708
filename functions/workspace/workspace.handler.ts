/** Every /app route: API Gateway (payload 2.0) events in, the workspace's pages and redirects out. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describeError, logger } from '../shared/logger.ts';
import { workspaceDeps } from './deps.ts';
import { page } from './html.ts';
import { handleWorkspace, WORKSPACE_HEADERS, type WorkspaceDeps, type WorkspaceRequest } from './workspace.ts';

const MAX_FORM_BYTES = 16_384;

/** The request the workspace sees; null when a POST body is not a url-encoded form of at most 16 KiB. */
export function toWorkspaceRequest(event: APIGatewayProxyEventV2): WorkspaceRequest | null {
  const method = event.requestContext.http.method.toUpperCase();
  const cookies: Record<string, string> = {};
  for (const pair of event.cookies ?? []) {
    const at = pair.indexOf('=');
    if (at > 0) cookies[pair.slice(0, at).trim()] ??= pair.slice(at + 1).trim();
  }
  let form: URLSearchParams | null = null;
  if (method === 'POST') {
    const type = Object.entries(event.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) return null;
    const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (Buffer.byteLength(raw) > MAX_FORM_BYTES) return null;
    form = new URLSearchParams(raw);
  }
  const headers: Record<string, string> = {};
  const etag = Object.entries(event.headers).find(([name]) => name.toLowerCase() === 'if-none-match')?.[1];
  if (etag !== undefined) headers['if-none-match'] = etag.slice(0, 200);
  return { method, path: event.rawPath, query: event.rawQueryString, cookies, form, headers };
}

let deps: WorkspaceDeps | undefined;

/** The 500 page; plain when the design system's templates cannot be read (the fault may be that). */
function errorPage(): string {
  const title = 'Sorry, there is a problem with the service';
  try {
    return page(title, '<p>Try again later.</p>');
  } catch (error) {
    logger.error('error page could not be rendered', describeError(error));
    return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p>Try again later.</p></main></body></html>`;
  }
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { clearState: true, logEvent: false }))
  .use({
    after: (request) => {
      logger.info('request', {
        method: request.event.requestContext.http.method,
        route: request.event.routeKey,
        status: request.response?.statusCode ?? 200,
        requestId: request.event.requestContext.requestId,
      });
    },
    onError: (request) => {
      logger.error('request failed', describeError(request.error));
      request.response = {
        statusCode: 500,
        headers: { ...WORKSPACE_HEADERS },
        body: errorPage(),
      };
    },
  })
  .handler(async (event) => {
    const request = toWorkspaceRequest(event);
    if (request === null)
      return {
        statusCode: 415,
        headers: { ...WORKSPACE_HEADERS },
        body: page('This form could not be read', '<p>Go back and try again.</p>'),
      };
    deps ??= workspaceDeps();
    const response = await handleWorkspace(deps, request);
    return {
      statusCode: response.statusCode,
      headers: response.headers,
      cookies: response.cookies,
      body: response.body,
      ...(response.isBase64Encoded === true ? { isBase64Encoded: true } : {}),
    };
  });
