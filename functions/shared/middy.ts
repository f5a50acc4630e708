/**
 * The one middleware stack. `httpHandler` serves API Gateway HTTP API (payload 2.0) routes: the Powertools
 * logger with `clearState` (never `logEvent`), the caller from the JWT authorizer, the JSON body, one zod
 * pass over path, query, headers and body together, and one error handler last that answers RFC 9457
 * problems. `taskHandler` serves Step Functions tasks and throws on failure, so Retry/Catch see the name.
 */
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod';
import { callerFrom, requireRole, type Caller, type Role } from './auth.ts';
import { formatIssues } from './case-facts.schema.ts';
import { ProblemError, toProblemResponse, type FieldProblem } from './http-errors.ts';
import { describeError, logger } from './logger.ts';

export type HttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export interface HttpSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  path?: z.ZodType;
  headers?: z.ZodType;
}

export type AuthMode = 'required' | 'none';

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface HttpInput<S extends HttpSchemas, A extends AuthMode> {
  body: Parsed<S['body']>;
  query: Parsed<S['query']>;
  path: Parsed<S['path']>;
  /** Header names in lower case, as HTTP APIs deliver them. */
  headers: Parsed<S['headers']>;
  caller: A extends 'required' ? Caller : null;
}

export interface HttpContext {
  /** API Gateway's request id. */
  requestId: string;
  /** The request path: the problem `instance`. */
  path: string;
  lambda: Context;
  /** The request body as text, unparsed (for bodies that are not JSON, e.g. a CSV upload); undefined when empty. */
  requestText?: string;
}

export interface HttpResult {
  statusCode: number;
  /** Serialised as JSON unless absent. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A body sent as it is (a file download), instead of `body` as JSON; base64-encoded when `isBase64Encoded`. */
  rawBody?: string;
  isBase64Encoded?: boolean;
}

export interface HttpOptions<S extends HttpSchemas, A extends AuthMode> {
  schemas: S;
  auth: A;
  /** Roles allowed (when auth is required); any role when absent. */
  roles?: readonly Role[];
}

type Location = keyof HttpSchemas;
const LOCATIONS: readonly Location[] = ['path', 'query', 'headers', 'body'];

/** `body` + `person.nhsNumber` → `body.person.nhsNumber`; a header keeps its name: `headers.idempotency-key`. */
function fieldName(location: Location, path: readonly PropertyKey[]): string {
  let out: string = location;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

function fieldProblems(location: Location, issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    const [formatted] = formatIssues([issue], 'this request');
    const message = formatted?.message ?? issue.message;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ field: fieldName(location, [...issue.path, key]), message: 'is not a field this request allows' });
    } else {
      out.push({ field: fieldName(location, issue.path), message });
    }
  }
  return out;
}

function lowerCaseHeaders(headers: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = out[lower] === undefined ? value : `${out[lower]},${value}`;
  }
  return out;
}

const BAD_JSON = (message: string): ProblemError =>
  new ProblemError(400, 'The request body is not valid JSON.', { errors: [{ field: 'body', message }] });

/** The largest JSON request body read: well inside DynamoDB's 400 KB item limit, with room for what the service adds. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

function readBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > MAX_JSON_BODY_BYTES) {
    throw new ProblemError(413, `The request body is over the ${MAX_JSON_BODY_BYTES}-byte limit.`, {
      errors: [{ field: 'body', message: `must be at most ${MAX_JSON_BODY_BYTES} bytes` }],
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw BAD_JSON('is not valid JSON');
  }
}

/**
 * Runs every schema and collects every problem, so one answer names all the offending fields. Exported for the
 * workspace's forms (functions/workspace/), which post what the API takes and must refuse it in the same words.
 */
export function validateRequest<S extends HttpSchemas>(schemas: S, raw: Record<Location, unknown>): Record<Location, unknown> {
  const out: Record<Location, unknown> = { path: undefined, query: undefined, headers: undefined, body: undefined };
  const problems: FieldProblem[] = [];
  for (const location of LOCATIONS) {
    const schema = schemas[location];
    if (schema === undefined) continue;
    const parsed = schema.safeParse(raw[location], { reportInput: true });
    if (parsed.success) out[location] = parsed.data;
    else problems.push(...fieldProblems(location, parsed.error.issues));
  }
  if (problems.length > 0) {
    throw new ProblemError(400, `The request has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; see errors.`, {
      errors: problems,
    });
  }
  return out;
}

function respond(result: HttpResult): HttpResponse {
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value;
  if (result.rawBody !== undefined)
    return {
      statusCode: result.statusCode,
      headers,
      body: result.rawBody,
      ...(result.isBase64Encoded === true ? { isBase64Encoded: true } : {}),
    };
  if (result.body === undefined) return { statusCode: result.statusCode, headers };
  headers['content-type'] ??= 'application/json';
  return { statusCode: result.statusCode, headers, body: JSON.stringify(result.body) };
}

/** The last middleware: logs one line per request, and turns any error into a problem answer. */
function problemResponses(): MiddlewareObj<HttpEvent, HttpResponse, Error, Context> {
  const line = (event: HttpEvent, status: number): void => {
    logger.info('request', {
      method: event.requestContext.http.method,
      route: event.routeKey,
      status,
      requestId: event.requestContext.requestId,
    });
  };
  return {
    after: (request) => {
      line(request.event, request.response?.statusCode ?? 200);
    },
    onError: (request) => {
      const response = toProblemResponse(request.error, request.event.rawPath);
      if (response.statusCode >= 500) logger.error('request failed', describeError(request.error));
      line(request.event, response.statusCode);
      request.response = response;
    },
  };
}

/**
 * An HTTP API route: `fn` receives the validated input and the caller, and answers a status, a body to
 * serialise as JSON and headers. Throw ProblemError (or a known domain error) for a 4xx; anything else
 * becomes a bare 500.
 */
export function httpHandler<S extends HttpSchemas, A extends AuthMode>(
  options: HttpOptions<S, A>,
  fn: (input: HttpInput<S, A>, ctx: HttpContext) => Promise<HttpResult>,
): MiddyfiedHandler<HttpEvent, HttpResponse, Error, Context> {
  return middy<HttpEvent, HttpResponse, Error, Context>()
    .use(injectLambdaContext(logger, { clearState: true, logEvent: false }))
    .use(problemResponses())
    .handler(async (event, context) => {
      let caller: Caller | null = null;
      if (options.auth === 'required') {
        caller = callerFrom(event.requestContext);
        logger.appendKeys({ callerOrg: caller.org, callerRole: caller.role });
        if (options.roles !== undefined) requireRole(caller, options.roles);
      }
      const raw: Record<Location, unknown> = {
        path: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        headers: lowerCaseHeaders(event.headers),
        body: options.schemas.body === undefined ? undefined : readBody(event),
      };
      const parsed = validateRequest(options.schemas, raw);
      const input = { ...parsed, caller } as HttpInput<S, A>;
      const requestText =
        event.body === undefined || event.body === ''
          ? undefined
          : event.isBase64Encoded
            ? Buffer.from(event.body, 'base64').toString('utf8')
            : event.body;
      const result = await fn(input, {
        requestId: event.requestContext.requestId,
        path: event.rawPath,
        lambda: context,
        ...(requestText === undefined ? {} : { requestText }),
      });
      return respond(result);
    });
}

/** One route a function serves: its spec (method and path) and its `httpHandler`. */
export interface ServedRoute {
  spec: { method: string; path: string };
  handler: (event: HttpEvent, context: Context) => Promise<HttpResponse>;
}

/**
 * A function that serves several routes of the route table (new routes go on a feature's existing function rather
 * than a new one): each request goes to its route's own `httpHandler`, chosen by API Gateway's route key
 * (`METHOD /path`, as deployed and as the local gateway sets it). A key the function does not serve is a 404 problem.
 */
export function routedHandler(routes: readonly ServedRoute[]): (event: HttpEvent, context: Context) => Promise<HttpResponse> {
  const byKey = new Map(routes.map((r) => [`${r.spec.method} ${r.spec.path}`, r.handler]));
  return async (event, context) => {
    const handler = byKey.get(event.routeKey);
    if (handler === undefined) return toProblemResponse(new ProblemError(404, 'No such route.'), event.rawPath);
    return handler(event, context);
  };
}

/**
 * A Step Functions task: the same logger, and failures thrown (never returned) so the state machine's
 * Retry and Catch match the error's name.
 */
export function taskHandler<TInput, TOutput>(
  fn: (input: TInput, context: Context) => Promise<TOutput>,
): MiddyfiedHandler<TInput, TOutput, Error, Context> {
  return middy<TInput, TOutput, Error, Context>()
    .use(injectLambdaContext(logger, { clearState: true, logEvent: false }))
    .use({
      onError: (request) => {
        logger.error('task failed', describeError(request.error));
      },
    })
    .handler(fn);
}

/** What a server-rendered page receives: the method (GET, HEAD or POST), path parameters and, for a POST, the form. */
export interface PageInput {
  method: string;
  path: Record<string, string>;
  /** The application/x-www-form-urlencoded body of a POST; null otherwise. */
  form: URLSearchParams | null;
  sourceIp: string;
  userAgent: string;
}

export interface PageResult {
  statusCode: number;
  html: string;
}

/** Security headers of every page: no scripts at all, forms post only to this origin, never framed, no referrer (links carry credentials). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

const MAX_FORM_BYTES = 16_384;

/**
 * A server-rendered HTML route (no JavaScript needed): the same logger, the form body parsed for a POST
 * (415 unless url-encoded, 413 above 16 KiB), and one error handler that answers `errorPage(status)`,
 * never the exception's text.
 */
export function pageHandler(
  fn: (input: PageInput, ctx: HttpContext) => Promise<PageResult>,
  errorPage: (status: 413 | 415 | 500) => string,
): MiddyfiedHandler<HttpEvent, HttpResponse, Error, Context> {
  const page = (statusCode: number, html: string): HttpResponse => ({ statusCode, headers: { ...PAGE_HEADERS }, body: html });
  return middy<HttpEvent, HttpResponse, Error, Context>()
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
        request.response = page(500, errorPage(500));
      },
    })
    .handler(async (event, context) => {
      const method = event.requestContext.http.method.toUpperCase();
      let form: URLSearchParams | null = null;
      if (method === 'POST') {
        const type = lowerCaseHeaders(event.headers)['content-type'] ?? '';
        if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) return page(415, errorPage(415));
        const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
        if (Buffer.byteLength(raw) > MAX_FORM_BYTES) return page(413, errorPage(413));
        form = new URLSearchParams(raw);
      }
      const input: PageInput = {
        method,
        path: Object.fromEntries(Object.entries(event.pathParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
        form,
        sourceIp: event.requestContext.http.sourceIp,
        userAgent: event.requestContext.http.userAgent,
      };
      const result = await fn(input, { requestId: event.requestContext.requestId, path: event.rawPath, lambda: context });
      return page(result.statusCode, method === 'HEAD' ? '' : result.html);
    });
}
