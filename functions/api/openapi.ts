/**
 * The OpenAPI 3.1 document, generated from the zod schemas in routes.ts with `z.toJSONSchema`, so the
 * document and the validation cannot drift (test/functions/api/openapi.test.ts holds them equal).
 */
import * as z from 'zod';
import { problemSchema } from './common.schema.ts';
import { DISPUTE_ROUTES } from '../disputes/routes.ts';
import { ROUTES as APPLICATION_ROUTES, type RouteSpec } from './routes.ts';

/** Every JSON route with a full spec; register and export routes are still to be described (issues 6 and 8). */
const ROUTES: readonly RouteSpec[] = [...APPLICATION_ROUTES, ...DISPUTE_ROUTES];

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
  404: 'No such application, or the caller is not a party to it.',
  409: 'The request conflicts with the current state (an Idempotency-Key reused with another body, a changed answer).',
  422: 'The request is well formed but cannot be acted on (no partnership to apply to).',
  500: 'The server failed; the answer says nothing more.',
};

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

function operation(route: RouteSpec): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(route.responses)) {
    const response: JsonSchema = { description: answer.description };
    if (answer.schema !== null) response['content'] = { 'application/json': { schema: jsonSchemaOf(answer.schema, 'output') } };
    else response['content'] = { 'application/json': { schema: { type: 'object' } } };
    if (answer.headers !== undefined) {
      response['headers'] = Object.fromEntries(answer.headers.map((h) => [h, { schema: { type: 'string' } }]));
    }
    responses[status] = response;
  }
  for (const status of [...route.problems, 500]) {
    responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  }
  const op: JsonSchema = { operationId: route.operationId, summary: route.summary, responses };
  const params = parameters(route);
  if (params.length > 0) op['parameters'] = params;
  if (route.schemas.body !== undefined) {
    op['requestBody'] = { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.schemas.body, 'input') } } };
  }
  op['security'] = route.auth === 'required' ? [{ bearer: [] }] : [];
  if (route.roles !== undefined) op['x-roles'] = [...route.roles];
  return op;
}

let cached: JsonSchema | undefined;

export function openApiDocument(): JsonSchema {
  if (cached !== undefined) return cached;
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = operation(route);
  }
  const statuses = [...new Set([...ROUTES.flatMap((r) => r.problems), 500])].sort((a, b) => a - b);
  cached = {
    openapi: '3.1.0',
    info: {
      title: 's117 funding applications',
      version: '1.0.0',
      description:
        'Who pays for section 117 Mental Health Act aftercare, and interim funding so care never waits. Errors are RFC 9457 problems.',
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
      schemas: { Problem: jsonSchemaOf(problemSchema, 'output') },
      responses: Object.fromEntries(
        statuses.map((status) => [
          `Problem${status}`,
          {
            description: PROBLEM_DESCRIPTIONS[status] ?? 'A problem.',
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        ]),
      ),
    },
  };
  return cached;
}
