/**
 * The OpenAPI 3.1 document of every `/v1` route in the route table (functions/routes.ts), generated from the zod
 * schemas with `z.toJSONSchema`, so the document and the validation cannot drift. Request bodies and answers are
 * named component schemas (`#/components/schemas/...`), registered here by name.
 */
import * as z from 'zod';
import { disputeViewSchema, referralPackViewSchema } from '../disputes/api.ts';
import { API_ROUTES } from '../routes.ts';
import type { RouteSpec } from '../shared/route-spec.ts';
import {
  applicationListSchema,
  applicationSummarySchema,
  applicationViewSchema,
  chronologyViewSchema,
  determinationSchema,
  fundingViewSchema,
  responseViewSchema,
} from './application-view.schema.ts';
import { problemSchema } from './common.schema.ts';

type JsonSchema = Record<string, unknown>;

/** The JSON Schema of a zod schema as the request (`input`) or the answer (`output`) side sees it, without `$schema`. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = { ...(z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema) };
  delete json['$schema'];
  return json;
}

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The request is malformed; `errors` names each offending field.',
  401: 'No valid bearer token.',
  403: 'The caller may not do this.',
  404: 'No such resource, or the caller is not a party to it.',
  409: 'The request conflicts with the current state (an Idempotency-Key still in use, a changed answer).',
  413: 'The request body is too large.',
  422: 'The request is well formed but cannot be acted on (no partnership to apply to, an Idempotency-Key reused with another body).',
  500: 'The server failed; the answer says nothing more.',
};

/**
 * What the HTTP API answers itself, before any function runs, as `{"message": ...}` (docs/api.md, "Errors the
 * gateway answers itself"; the local runtime answers the same): 401 from the JWT authorizer, 413 over the 10 MB
 * body quota, 429 when throttled, 500 when a function fails or answers too much, 503 while nothing can take the
 * request. A 404 for a path no route matches is the gateway's too, but no operation is that path.
 */
const GATEWAY_DESCRIPTIONS: Readonly<Record<number, string>> = {
  401: 'No valid bearer token (the gateway answers this itself).',
  413: 'The request body is over the HTTP API quota (the gateway answers this itself).',
  429: 'Too many requests; retry later (the gateway answers this itself).',
  500: 'The server failed; the answer says nothing more.',
  503: 'Nothing could take the request just now; retry after the Retry-After header, when given.',
};
const gatewayStatuses = (route: RouteSpec): number[] => [...(route.auth === 'required' ? [401] : []), 413, 429, 500, 503];
const GATEWAY_ERROR: JsonSchema = {
  type: 'object',
  description: "An error the HTTP API answered itself, in API Gateway's own shape (not a problem).",
  required: ['message'],
  properties: { message: { type: 'string', examples: ['Unauthorized', 'Not Found', 'Internal Server Error'] } },
  additionalProperties: false,
};
const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const GATEWAY_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } };

function parameters(route: RouteSpec): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (location: 'path' | 'query' | 'header', schema: z.ZodType | undefined): void => {
    if (schema === undefined) return;
    const json = jsonSchemaOf(schema, 'input');
    const properties = (json['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json['required'] ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      out.push({ name, in: location, required: location === 'path' || required.has(name), schema: property });
    }
  };
  add('path', route.schemas.path);
  add('query', route.schemas.query);
  add('header', route.schemas.headers);
  return out;
}

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** Answer schemas shared by several routes, or nested in others, by the name the document gives them. */
const NAMED_ANSWERS: readonly (readonly [z.ZodType, string])[] = [
  [problemSchema, 'Problem'],
  [applicationViewSchema, 'Application'],
  [applicationSummarySchema, 'ApplicationSummary'],
  [applicationListSchema, 'ApplicationList'],
  [determinationSchema, 'Determination'],
  [responseViewSchema, 'Response'],
  [fundingViewSchema, 'Funding'],
  [chronologyViewSchema, 'Chronology'],
  [disputeViewSchema, 'Dispute'],
  [referralPackViewSchema, 'ReferralPack'],
];

interface Names {
  requests: z.core.$ZodRegistry<{ id: string }>;
  answers: z.core.$ZodRegistry<{ id: string }>;
}

/** Every request body as `<OperationId>Request`; every answer by its shared name, else `<OperationId><status>`. */
function register(routes: readonly RouteSpec[]): Names {
  const requests = z.registry<{ id: string }>();
  const answers = z.registry<{ id: string }>();
  for (const [schema, id] of NAMED_ANSWERS) answers.add(schema, { id });
  for (const route of routes) {
    if (route.schemas.body !== undefined && !requests.has(route.schemas.body))
      requests.add(route.schemas.body, { id: `${pascal(route.operationId)}Request` });
    for (const [status, answer] of Object.entries(route.responses))
      if (answer.schema !== null && !answers.has(answer.schema))
        answers.add(answer.schema, { id: `${pascal(route.operationId)}${status}` });
  }
  return { requests, answers };
}

function components(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const out = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(out.schemas).map(([id, schema]) => {
      const copy = { ...schema };
      delete copy['$schema'];
      delete copy['$id'];
      return [id, copy];
    }),
  );
}

function operation(route: RouteSpec, names: Names): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(route.responses)) {
    const response: JsonSchema = { description: answer.description };
    if (answer.contentTypes !== undefined) {
      const text = (type: string): boolean => type.startsWith('text/');
      response['content'] = Object.fromEntries(
        answer.contentTypes.map((type) => [
          type,
          {
            // A route answering JSON or a file (the referral pack) keeps its JSON schema for the JSON.
            schema:
              type === 'application/json' && answer.schema !== null
                ? ref(names.answers.get(answer.schema)?.id ?? '')
                : text(type)
                  ? { type: 'string' }
                  : { type: 'string', contentEncoding: 'binary' },
          },
        ]),
      );
    } else if (answer.schema !== null) {
      response['content'] = { 'application/json': { schema: ref(names.answers.get(answer.schema)?.id ?? '') } };
    } else if (Number(status) !== 303) {
      response['content'] = { 'application/json': { schema: { type: 'object' } } };
    }
    if (answer.headers !== undefined) {
      response['headers'] = Object.fromEntries(answer.headers.map((h) => [h, { schema: { type: 'string' } }]));
    }
    responses[status] = response;
  }
  for (const status of [...route.problems, 500]) {
    responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  }
  // Where the function may answer a status too, its Problem response lists both shapes (see openApiDocument).
  for (const status of gatewayStatuses(route)) {
    responses[String(status)] ??= { $ref: `#/components/responses/Gateway${status}` };
  }
  const op: JsonSchema = { operationId: route.operationId, summary: route.summary, tags: [tagOf(route.path)], responses };
  const params = parameters(route);
  if (params.length > 0) op['parameters'] = params;
  if (route.schemas.body !== undefined) {
    const media: JsonSchema = { schema: ref(names.requests.get(route.schemas.body)?.id ?? '') };
    if (route.examples !== undefined)
      media['examples'] = Object.fromEntries(Object.entries(route.examples).map(([k, value]) => [k, { value }]));
    op['requestBody'] = { required: true, content: { 'application/json': media } };
  } else if (route.requestContentType !== undefined) {
    op['requestBody'] = { required: true, content: { [route.requestContentType]: { schema: { type: 'string' } } } };
  }
  op['security'] = route.auth === 'required' ? [{ bearer: [] }] : [];
  if (route.roles !== undefined) op['x-roles'] = [...route.roles];
  return op;
}

/** The first path segment after /v1 groups the operations in the reference. */
const tagOf = (path: string): string => path.split('/')[2] ?? 'api';

let cached: JsonSchema | undefined;

export function openApiDocument(): JsonSchema {
  if (cached !== undefined) return cached;
  const names = register(API_ROUTES);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of API_ROUTES) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = operation(route, names);
  }
  const statuses = [...new Set([...API_ROUTES.flatMap((r) => r.problems), 500])].sort((a, b) => a - b);
  cached = {
    openapi: '3.1.0',
    info: {
      title: 's117',
      version: '1.0.0',
      description:
        'Who pays for section 117 Mental Health Act aftercare, and interim funding so care never waits. Errors are RFC 9457 problems (application/problem+json), except those the HTTP API answers itself before any function runs, which are {"message"} (application/json).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Claims: sub, custom:org (or org), custom:role (or role): commissioner, panel, finance or admin.',
        },
      },
      schemas: { ...components(names.answers, 'output'), ...components(names.requests, 'input'), GatewayError: GATEWAY_ERROR },
      responses: {
        ...Object.fromEntries(
          statuses.map((status) => [
            `Problem${status}`,
            {
              description: PROBLEM_DESCRIPTIONS[status] ?? 'A problem.',
              // A status both the function and the gateway answer comes in either shape; the media type tells which.
              content: GATEWAY_DESCRIPTIONS[status] === undefined ? PROBLEM_CONTENT : { ...PROBLEM_CONTENT, ...GATEWAY_CONTENT },
            },
          ]),
        ),
        ...Object.fromEntries(
          Object.entries(GATEWAY_DESCRIPTIONS).map(([status, description]) => [
            `Gateway${status}`,
            { description, content: GATEWAY_CONTENT },
          ]),
        ),
      },
    },
  };
  return cached;
}
