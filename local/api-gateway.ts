/**
 * An API Gateway (HTTP API, payload format 2.0) stand-in: HTTP requests become the events API Gateway would
 * send to the same Lambda handlers, and their results go back to the client unchanged.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizeRequest, type JwtAuthorizerContext, type LocalAuthKey } from './auth.ts';
import { LOCAL_ACCOUNT, makeContext, type LambdaHandler } from './sfn/lambda.ts';

export interface ApiRoute {
  /** GET, POST, ... or ANY. */
  method: string;
  /** A route template: `/v1/applications/{id}`, `/static/{proxy+}`. */
  path: string;
  handler: LambdaHandler;
  /**
   * 'jwt' (the default): the HTTP API JWT authorizer runs first; without a valid `Authorization: Bearer`
   * token the answer is 401 and the handler is not called. 'none': no authorizer.
   */
  auth?: 'jwt' | 'none';
  /** The function's name, for the Lambda context. */
  functionName?: string;
  timeoutSeconds?: number;
}

export interface HttpApiEvent {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
    /** Set on routes with the JWT authorizer: the token's claims, every value a string. */
    authorizer?: JwtAuthorizerContext;
  };
  body?: string;
  isBase64Encoded: boolean;
}

export interface HttpApiResult {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
  body?: string;
  cookies?: string[];
  isBase64Encoded?: boolean;
}

interface CompiledRoute extends ApiRoute {
  pattern: RegExp;
  names: string[];
  specificity: number;
}

function compile(route: ApiRoute): CompiledRoute {
  const names: string[] = [];
  let specificity = 0;
  const source = route.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{([A-Za-z0-9_]+)\+\}$/.exec(segment);
      if (greedy?.[1] !== undefined) {
        names.push(greedy[1]);
        return '(.+)';
      }
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
      if (param?.[1] !== undefined) {
        names.push(param[1]);
        specificity += 1;
        return '([^/]+)';
      }
      specificity += 100;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  if (route.method.toUpperCase() !== 'ANY') specificity += 10;
  return { ...route, method: route.method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, specificity };
}

const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|x-www-form-urlencoded|xml|javascript))/i;

export function toEvent(
  request: IncomingMessage,
  route: CompiledRoute,
  match: RegExpExecArray,
  body: Buffer,
  method: string,
): HttpApiEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const pathParameters: Record<string, string> = {};
  route.names.forEach((name, i) => {
    pathParameters[name] = decodeURIComponent(match[i + 1] ?? '');
  });
  const cookies = request.headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  const textual = TEXT_TYPES.test(headers['content-type'] ?? 'text/plain');
  const event: HttpApiEvent = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      domainName: headers['host'] ?? 'localhost',
      domainPrefix: (headers['host'] ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomBytes(10).toString('base64url'),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: body.length > 0 && !textual,
  };
  if (cookies !== undefined && cookies.length > 0) event.cookies = cookies;
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (route.names.length > 0) event.pathParameters = pathParameters;
  if (body.length > 0) event.body = textual ? body.toString('utf8') : body.toString('base64');
  return event;
}

/**
 * An error the gateway itself answers, in the HTTP API's own shape: `{"message": "..."}` as application/json.
 * An HTTP API cannot reshape these (gateway responses are a REST API feature), so the local stand-in answers
 * exactly as AWS does and the OpenAPI document describes both shapes (docs/api.md, "Errors"). The reason, which
 * AWS keeps to itself (or puts in `www-authenticate`), goes to the log.
 */
function gatewayError(
  response: ServerResponse,
  status: 400 | 401 | 404 | 413 | 500 | 503,
  reason: string,
  log: (line: string) => void,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify({ message: GATEWAY_MESSAGES[status] });
  log(`gateway ${status}: ${reason}`);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export const GATEWAY_MESSAGES = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;

/**
 * AWS's payload quotas, enforced so that what AWS refuses fails here too: an HTTP API takes a request body of
 * at most 10 MB, and a synchronous Lambda invocation carries at most 6 MB each way (the event as JSON, and
 * the function's response). Over the first two the gateway answers 413; over the third, 500, as API Gateway
 * does when the integration fails.
 */
export const HTTP_API_BODY_BYTES = 10 * 1024 * 1024;
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

const resultBytes = (result: unknown): number => Buffer.byteLength(JSON.stringify(result ?? null), 'utf8');

function reply(response: ServerResponse, result: unknown, head: boolean): void {
  const shaped: HttpApiResult =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? (result as HttpApiResult)
      : {
          statusCode: 200,
          headers: { 'content-type': 'application/json' },
          body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
        };
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(shaped.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(shaped.multiValueHeaders ?? {})) headers[name.toLowerCase()] = values.map(String);
  if (shaped.cookies !== undefined && shaped.cookies.length > 0) headers['set-cookie'] = shaped.cookies;
  const body = shaped.body === undefined ? Buffer.alloc(0) : Buffer.from(shaped.body, shaped.isBase64Encoded === true ? 'base64' : 'utf8');
  headers['content-length'] = String(body.length);
  response.writeHead(shaped.statusCode ?? 200, headers);
  response.end(head ? undefined : body);
}

export interface LocalApi {
  server: Server;
  port: number;
  url: string;
  /** Replaces the routes (the runtime listens first, then deploys). */
  setRoutes(routes: readonly ApiRoute[]): void;
  /** Starts serving the routes; until then every request answers 503 with Retry-After (see `ApiGatewayOptions.open`). */
  open(): void;
  close(): Promise<void>;
}

export interface ApiGatewayOptions {
  port?: number;
  routes: readonly ApiRoute[];
  /** The key the JWT authorizer verifies with; without one, every 'jwt' route answers 401. */
  authKey?: LocalAuthKey;
  log?: (line: string) => void;
  /**
   * Serve at once (default). False: answer every request 503 with `Retry-After` until `open()`, so a client that
   * reaches the port while the runtime is still deploying or seeding is told to retry, not given a 404 or a 403.
   */
  open?: boolean;
}

/** Seconds a client is asked to wait while the runtime starts. */
export const STARTING_RETRY_AFTER_SECONDS = 1;

export async function startApiGateway(options: ApiGatewayOptions): Promise<LocalApi> {
  let routes = options.routes.map(compile).sort((a, b) => b.specificity - a.specificity);
  let serving = options.open ?? true;
  const log = options.log ?? (() => undefined);
  const find = (method: string, path: string) => {
    for (const route of routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const match = route.pattern.exec(path);
      if (match !== null) return { route, match };
    }
    return undefined;
  };
  const inFlight = new Set<Promise<unknown>>();
  const server = createServer((request, response) => {
    void (async () => {
      const method = (request.method ?? 'GET').toUpperCase();
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const found = find(method, path) ?? (method === 'HEAD' ? find('GET', path) : undefined);
      const chunks: Buffer[] = [];
      let received = 0;
      // Past the quota the rest is read and dropped, so memory stays bounded and the client still gets its answer.
      for await (const chunk of request) {
        received += (chunk as Buffer).length;
        if (received <= HTTP_API_BODY_BYTES) chunks.push(chunk as Buffer);
      }
      if (received > HTTP_API_BODY_BYTES) {
        return gatewayError(response, 413, `the request body is over the ${HTTP_API_BODY_BYTES} bytes an HTTP API accepts`, log);
      }
      if (!serving)
        return gatewayError(response, 503, 'the service is starting', log, {
          'retry-after': String(STARTING_RETRY_AFTER_SECONDS),
          'cache-control': 'no-store',
        });
      if (found === undefined) return gatewayError(response, 404, `no route matches ${method} ${path}`, log);
      let authorizer: JwtAuthorizerContext | undefined;
      if (found.route.auth !== 'none') {
        const header = request.headers.authorization;
        const result =
          options.authKey === undefined
            ? { ok: false as const, message: 'No JWT authorizer key is configured', wwwAuthenticate: 'Bearer' }
            : authorizeRequest(options.authKey, header);
        if (!result.ok) return gatewayError(response, 401, result.message, log, { 'www-authenticate': result.wwwAuthenticate });
        authorizer = result.authorizer;
      }
      const event = toEvent(request, found.route, found.match, Buffer.concat(chunks), method);
      if (authorizer !== undefined) event.requestContext.authorizer = authorizer;
      if (resultBytes(event) > LAMBDA_SYNC_PAYLOAD_BYTES) {
        return gatewayError(response, 413, `the request is over the ${LAMBDA_SYNC_PAYLOAD_BYTES} bytes a Lambda function accepts`, log);
      }
      const name = found.route.functionName ?? 'api';
      try {
        const context = makeContext(name, {
          handler: found.route.handler,
          ...(found.route.timeoutSeconds === undefined ? {} : { timeoutSeconds: found.route.timeoutSeconds }),
        });
        const run = found.route.handler(event, context);
        inFlight.add(run);
        void run.then(
          () => inFlight.delete(run),
          () => inFlight.delete(run),
        );
        const result = await run;
        if (resultBytes(result) > LAMBDA_SYNC_PAYLOAD_BYTES) {
          throw new RangeError(`the response is over the ${LAMBDA_SYNC_PAYLOAD_BYTES} bytes a Lambda function may return`);
        }
        reply(response, result, method === 'HEAD');
      } catch (error) {
        gatewayError(
          response,
          500,
          `handler ${name} failed on ${found.route.method} ${found.route.path}: ${error instanceof Error ? error.name : 'error'}`,
          log,
        );
      }
    })().catch(() => {
      if (!response.headersSent) gatewayError(response, 400, 'the request could not be read', log);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    setRoutes: (next) => {
      routes = next.map(compile).sort((a, b) => b.specificity - a.specificity);
    },
    open: () => {
      serving = true;
    },
    close: async () => {
      // Let handlers already running finish (at most 5 s), so none writes after the stand-ins stop.
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
