/**
 * The OpenAPI document lists every /v1 route of the route table, its request schemas are exactly the zod schemas the
 * handlers run (as named components), every request body has an example its schema accepts, and a maintained
 * validator (@seriousme/openapi-schema-validator) accepts the whole document.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiDocument } from '#functions/api/openapi.ts';
import { API_ROUTES, ROUTE_TABLE } from '#functions/routes.ts';

type Json = Record<string, unknown>;
const doc = openApiDocument() as { paths: Record<string, Record<string, Json>>; components: Json; openapi: string };
const schemas = doc.components['schemas'] as Record<string, Json>;
/** The component a `$ref` names. */
const deref = (ref: unknown): Json => {
  const name = String((ref as { $ref: string }).$ref).replace('#/components/schemas/', '');
  const found = schemas[name];
  if (found === undefined) throw new Error(`no component ${name}`);
  return found;
};
/** The schema with every component `$ref` replaced by the component itself (as the zod schema inlines it). */
const inline = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(inline);
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as Json)['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return inline(deref(value));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inline(v)]));
};
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const out = { ...(z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json) };
  delete out['$schema'];
  return out;
};

describe('GET /v1/openapi.json document', () => {
  it('is OpenAPI 3.1 with a bearer JWT security scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect((doc.components['securitySchemes'] as Json)['bearer']).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('lists exactly the /v1 routes of the route table, and no page', () => {
    const listed = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const v1 = ROUTE_TABLE.filter((r) => r.path.startsWith('/v1/'))
      .map((r) => `${r.method} ${r.path}`)
      .sort();

    expect(listed).toStrictEqual(v1);
    expect(listed).toHaveLength(API_ROUTES.length);
    expect(ROUTE_TABLE.filter((r) => r.kind === 'api').every((r) => r.path.startsWith('/v1/'))).toBe(true);
  });

  it('is a valid OpenAPI 3.1 document to a maintained validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));

    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('names its schemas: every JSON request body and answer is a $ref to a component', () => {
    for (const route of API_ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as Json;
      const body = (op['requestBody'] as { content: Record<string, { schema: Json }> } | undefined)?.content['application/json'];
      if (route.schemas.body !== undefined) expect(body?.schema['$ref']).toMatch(/^#\/components\/schemas\/[A-Z]\w+Request$/);
      for (const [status, answer] of Object.entries(route.responses)) {
        const json = ((op['responses'] as Json)[status] as { content?: Record<string, { schema: Json }> }).content?.['application/json'];
        if (answer.schema !== null) expect(Object.keys(deref(json?.schema))).not.toHaveLength(0);
      }
    }
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['Problem', 'Application', 'Dispute', 'Determination']));
  });

  it.each(API_ROUTES.filter((r) => r.schemas.body !== undefined).map((r) => ({ key: `${r.method} ${r.path}`, route: r })))(
    '$key: has at least one request example, and its schema accepts each',
    ({ route }) => {
      const examples = Object.entries(route.examples ?? {});
      expect(examples.length).toBeGreaterThan(0);
      for (const [name, value] of examples) {
        const parsed = route.schemas.body?.safeParse(value);
        expect({ name, issues: parsed?.error?.issues ?? [] }).toStrictEqual({ name, issues: [] });
      }
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as Json;
      const media = (op['requestBody'] as { content: Record<string, { examples: Json }> }).content['application/json'];
      expect(media?.examples).toStrictEqual(Object.fromEntries(examples.map(([k, value]) => [k, { value }])));
    },
  );

  it.each(API_ROUTES.map((r) => ({ key: `${r.method} ${r.path}`, route: r })))(
    '$key: request and response schemas are the zod schemas',
    ({ route }) => {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as Json;

      const body = route.schemas.body;
      if (body !== undefined) {
        const media = (op['requestBody'] as { content: Record<string, { schema: Json }> }).content['application/json'];
        expect(inline(deref(media?.schema))).toStrictEqual(jsonSchema(body, 'input'));
      }
      const params = (op['parameters'] ?? []) as { name: string; in: string; schema: Json }[];
      for (const [location, schema] of [
        ['path', route.schemas.path],
        ['query', route.schemas.query],
        ['header', route.schemas.headers],
      ] as const) {
        const properties = schema === undefined ? {} : (jsonSchema(schema, 'input')['properties'] as Json);
        expect(Object.fromEntries(params.filter((p) => p.in === location).map((p) => [p.name, p.schema]))).toStrictEqual(properties);
      }
      for (const [status, answer] of Object.entries(route.responses)) {
        const content = ((op['responses'] as Json)[status] as { content?: Record<string, { schema: Json }> }).content;
        if (answer.contentTypes !== undefined) expect(Object.keys(content ?? {})).toStrictEqual([...answer.contentTypes]);
        else if (answer.schema !== null) expect(Object.keys(deref(content?.['application/json']?.schema))).toContain('type');
      }
      expect(op['security']).toStrictEqual(route.auth === 'required' ? [{ bearer: [] }] : []);
    },
  );

  it('documents problem+json answers for every route, 500 included', () => {
    for (const route of API_ROUTES) {
      const responses = doc.paths[route.path]?.[route.method.toLowerCase()]?.['responses'] as Json;
      for (const status of [...route.problems, 500])
        expect(responses[String(status)]).toStrictEqual({ $ref: `#/components/responses/Problem${status}` });
    }
    expect((doc.components['responses'] as Json)['Problem400']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  });

  it('documents the gateway\'s own {"message"} answers: 401 on authenticated routes, 413, 429, 500 and 503 on every route', async () => {
    const { GATEWAY_MESSAGES } = await import('#local/api-gateway.ts');
    const components = doc.components['responses'] as Record<string, { content: Record<string, { schema: unknown }> }>;
    const shapes = (ref: unknown): string[] => {
      const name = String((ref as { $ref: string }).$ref).replace('#/components/responses/', '');
      return Object.keys(components[name]?.content ?? {}).sort();
    };
    for (const route of API_ROUTES) {
      const responses = doc.paths[route.path]?.[route.method.toLowerCase()]?.['responses'] as Json;
      const expected = [...(route.auth === 'required' ? [401] : []), 413, 429, 500, 503];
      for (const status of expected) expect(shapes(responses[String(status)])).toContain('application/json');
      if (route.auth !== 'required') expect(responses['401']).toBeUndefined();
    }
    // 500 may be either shape: the media type tells a client which (a function's problem, or the gateway's message).
    expect(shapes({ $ref: '#/components/responses/Problem500' })).toStrictEqual(['application/json', 'application/problem+json']);
    // What the local gateway answers is what the document says, and a problem is not mistaken for it.
    const valid = new Ajv2020({ strict: false }).compile(schemas['GatewayError'] as Json);
    expect(Object.values(GATEWAY_MESSAGES).map((message) => valid({ message }))).toStrictEqual(
      Object.values(GATEWAY_MESSAGES).map(() => true),
    );
    expect(valid({ type: 'about:blank', title: 'Not Found', status: 404 })).toBe(false);
  });

  it('documents the Idempotency-Key header as required on create, with its pattern', () => {
    const params = doc.paths['/v1/applications']?.['post']?.['parameters'];

    expect(params).toStrictEqual([
      {
        name: 'idempotency-key',
        in: 'header',
        required: true,
        schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' },
      },
    ]);
  });
  it('documents bom=true|false on both CSV exports, optional and false by default (issue 16, item 4)', () => {
    for (const path of ['/v1/exports/apportionment', '/v1/exports/recharges']) {
      const params = (doc.paths[path]?.['get']?.['parameters'] ?? []) as { name: string; in: string; required: boolean; schema: Json }[];
      expect(params.find((p) => p.name === 'bom')).toStrictEqual({
        name: 'bom',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['true', 'false'], default: 'false' },
      });
    }
  });
});
