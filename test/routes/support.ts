/**
 * The route table's routes called in-process: each route's handler (the manifest function the spec names, loaded as
 * the runtimes load it) and API Gateway v2 events carrying a real local token's claims, verified by the same JWT
 * authorizer code the local gateway runs (local/auth.ts).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { RouteSpec } from '#functions/routes.ts';
import { appManifest } from '#lib/app-manifest.ts';
import { authorizeRequest, generateAuthKey, signToken, type TokenSubject } from '#local/auth.ts';
import { REPO_ROOT } from '#local/runtime.ts';

export type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The module file of the manifest function a route names; undefined when the manifest has no such function. */
export function handlerFile(route: RouteSpec): string | undefined {
  const fn = appManifest.functions.find((f) => f.name === route.function);
  return fn === undefined ? undefined : resolve(REPO_ROOT, fn.handler);
}

/** The route's handler, imported as the local runtime imports it. */
export async function loadHandler(route: RouteSpec): Promise<Handler> {
  const file = handlerFile(route);
  if (file === undefined || !existsSync(file)) throw new Error(`${route.method} ${route.path}: no handler file for '${route.function}'`);
  const module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${file} does not export a handler function`);
  return module.handler as Handler;
}

const key = generateAuthKey();

/** A token for `subject`, through the JWT authorizer: the claims API Gateway would pass to the handler. */
export function authorizerFor(subject: TokenSubject): APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'] {
  const result = authorizeRequest(key, `Bearer ${signToken(key, subject)}`);
  if (!result.ok) throw new Error(`the local authorizer refused a token it signed: ${result.message}`);
  return result.authorizer as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'];
}

/** A concrete path for a route template, each `{param}` filled in. */
export const concretePath = (template: string, value = 'probe-1'): string => template.replace(/\{[^}]+\}/g, value);

/**
 * The API Gateway v2 event of a request to `route` by `subject`, with no path parameters, query or body unless given:
 * a handler that requires any of them answers 400 after its role check and before it reads or writes anything.
 */
export function routeEvent(
  route: RouteSpec,
  subject: TokenSubject,
  options: { body?: string; contentType?: string } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const rawPath = concretePath(route.path);
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {
      host: 'api.s117.test',
      'user-agent': 'vitest',
      ...(options.contentType === undefined ? {} : { 'content-type': options.contentType }),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 's117test',
      domainName: 'api.s117.test',
      domainPrefix: 'api',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: 'vitest' },
      requestId: `req-${route.operationId}`,
      routeKey,
      stage: '$default',
      time: '01/Jun/2024:09:00:00 +0000',
      timeEpoch: 1717232400000,
      authorizer: authorizerFor(subject),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
  };
}

/** A handler's answer with its JSON body parsed (undefined when there is none or it is not JSON). */
export function parsed(result: APIGatewayProxyStructuredResultV2): { status: number | undefined; contentType: unknown; body: unknown } {
  let body: unknown;
  try {
    body = result.body === undefined ? undefined : (JSON.parse(result.body) as unknown);
  } catch {
    body = undefined;
  }
  return { status: result.statusCode, contentType: result.headers?.['content-type'], body };
}
