/** The OpenAPI document lists every route, and its request schemas are exactly the zod schemas the handlers run. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiDocument } from '#functions/api/openapi.ts';
import { ROUTES } from '#functions/api/routes.ts';
import { DISPUTE_ROUTES } from '#functions/disputes/routes.ts';

type Json = Record<string, unknown>;
const doc = openApiDocument() as { paths: Record<string, Record<string, Json>>; components: Json; openapi: string };
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

  it('lists exactly the routes the API serves', () => {
    const listed = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();

    expect(listed).toStrictEqual([
      'GET /v1/applications',
      'GET /v1/applications/{id}',
      'GET /v1/applications/{id}/chronology',
      'GET /v1/applications/{id}/dispute',
      'GET /v1/applications/{id}/dispute/referral-pack',
      'GET /v1/openapi.json',
      'POST /v1/applications',
      'POST /v1/applications/{id}/dispute/outcome',
      'POST /v1/applications/{id}/responses',
      'POST /v1/determinations',
    ]);
  });

  it.each([...ROUTES, ...DISPUTE_ROUTES].map((r) => ({ key: `${r.method} ${r.path}`, route: r })))(
    '$key: request and response schemas are the zod schemas',
    ({ route }) => {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as Json;

      const body = route.schemas.body;
      expect(op['requestBody']).toStrictEqual(
        body === undefined ? undefined : { required: true, content: { 'application/json': { schema: jsonSchema(body, 'input') } } },
      );
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
        const content = ((op['responses'] as Json)[status] as { content: Json }).content;
        expect(content).toStrictEqual({
          'application/json': { schema: answer.schema === null ? { type: 'object' } : jsonSchema(answer.schema, 'output') },
        });
      }
      expect(op['security']).toStrictEqual(route.auth === 'required' ? [{ bearer: [] }] : []);
    },
  );

  it('documents problem+json answers for every route, 500 included', () => {
    for (const route of ROUTES) {
      const responses = doc.paths[route.path]?.[route.method.toLowerCase()]?.['responses'] as Json;
      for (const status of [...route.problems, 500])
        expect(responses[String(status)]).toStrictEqual({ $ref: `#/components/responses/Problem${status}` });
    }
    expect((doc.components['responses'] as Json)['Problem400']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
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
});
