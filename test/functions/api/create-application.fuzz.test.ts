/**
 * Fuzz: thousands of generated bodies and headers through the create handler. Never a 5xx; every 4xx is a
 * problem naming at least one field; and nothing is half-written: unless the answer is 201 there is no
 * application, no chronology entry and no workflow start.
 */
import './quiet-logs.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Chronology } from '#domain/ports.ts';
import { applicationIdFor } from '#functions/api/create-application.use-case.ts';
import { handler } from '#functions/api/create-application.handler.ts';
import { context } from '../../fixtures/context.ts';
import { createBody, fixture, installPorts, memoryDeps, type TestDeps } from './support.ts';

const HUGE = 'x'.repeat(300_000);
const HEADER_NAMES = ['idempotency-key', 'Idempotency-Key', 'IDEMPOTENCY-KEY', 'iDeMpOtEnCy-KeY'];
const PATHS: (string | number)[][] = [
  ['person'],
  ['person', 'nhsNumber'],
  ['person', 'name'],
  ['person', 'extra'],
  ['facts'],
  ['facts', 'id'],
  ['facts', 'evaluationDate'],
  ['facts', 'events'],
  ['facts', 'events', 0],
  ['facts', 'events', 0, 'from'],
  ['facts', 'events', 2, 'section'],
  ['facts', 'events', 1, 'icb'],
  ['carePlan'],
  ['carePlan', 'serviceLines'],
  ['carePlan', 'serviceLines', 0],
  ['carePlan', 'serviceLines', 0, 'weeklyCostPence'],
  ['carePlan', 'serviceLines', 0, 'category'],
  ['carePlan', 'serviceLines', 1, 'id'],
  ['carePlan', 'serviceLines', 2, 'endDate'],
  ['carePlan', 'serviceLines', 2, 's117'],
  ['requestedStartDate'],
  ['partnershipId'],
  ['meetingNeedsNow'],
  ['__proto__'],
  ['constructor'],
];

/** Sets (or, for undefined, deletes) the value at `path`, creating containers on the way. */
function mutate(body: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  let node: Record<string | number, unknown> = body;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path.at(-1) as string | number;
  if (value === undefined) Reflect.deleteProperty(node, last);
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return body;
}

const oddValue = fc.oneof(
  fc.jsonValue(),
  fc.constant(undefined),
  fc.constant(HUGE),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '9434765919',
    '943 476 5919',
    '9434765918',
    '2024-02-30',
    '2024-06-10',
    'LA-A',
    'north',
    'test',
    'health',
    -1,
    10_000_001,
    1e308,
  ),
);

const bodyText = fc.oneof(
  { weight: 1, arbitrary: fc.constant(JSON.stringify(createBody())) },
  {
    weight: 6,
    arbitrary: fc.tuple(fc.array(fc.tuple(fc.constantFrom(...PATHS), oddValue), { minLength: 1, maxLength: 4 })).map(([changes]) => {
      const body = createBody();
      for (const [path, value] of changes) mutate(body, path, value);
      return JSON.stringify(body);
    }),
  },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constant(JSON.stringify(createBody())).chain((text) => fc.nat({ max: text.length - 1 }).map((n) => text.slice(0, n))),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '{', 'null', '[]', '"body"', '{"person": {"nhsNumber": 9434765919}}', `{"person":"${HUGE}"}`),
  },
);

const keyValue = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', ' ', 'a'.repeat(129), 'key with spaces', 'ключ', HUGE),
);

const request = fc.record({
  body: fc.option(bodyText, { nil: undefined, freq: 10 }),
  keyName: fc.option(fc.constantFrom(...HEADER_NAMES), { nil: undefined, freq: 8 }),
  key: keyValue,
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', undefined),
  base64: fc.boolean(),
});

interface Counting {
  deps: TestDeps;
  appended: () => number;
}

function countingDeps(): Counting {
  const deps = memoryDeps();
  let appended = 0;
  const chronology: Chronology = {
    append: async (personRef, entry) => {
      appended += 1;
      return deps.memory.chronology.append(personRef, entry);
    },
    list: async (personRef, options) => deps.memory.chronology.list(personRef, options),
  };
  return { deps: { ...deps, chronology }, appended: () => appended };
}

describe('POST /v1/applications under fuzzing', () => {
  it('never answers 5xx, names a field in every 4xx, and leaves no partial records', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ body, keyName, key, contentType, base64 }) => {
        const { deps, appended } = countingDeps();
        installPorts(deps);
        const e = fixture('create-application');
        delete e.headers['idempotency-key'];
        delete e.headers['content-type'];
        if (keyName !== undefined) e.headers[keyName] = key;
        if (contentType !== undefined) e.headers['content-type'] = contentType;
        if (body === undefined) delete e.body;
        else if (base64) {
          e.body = Buffer.from(body, 'utf8').toString('base64');
          e.isBase64Encoded = true;
        } else e.body = body;

        const result = await handler(e, context);
        if (typeof result === 'string') throw new Error('Expected a structured result');

        const status = result.statusCode ?? 0;
        expect(status).toBeLessThan(500);
        const starts = deps.memory.workflow.starts.length;
        const listed = (await deps.applications.listForOrganisation('LA-A', { limit: 10 })).items.length;
        if (status === 201) {
          // The submission entry, plus the interim funding entry when the engine finds a duty to fund (issue 13).
          const funded = (await deps.applications.get(applicationIdFor('LA-A', key)))?.arrangements.length ?? -1;
          expect([starts, listed, appended()]).toStrictEqual([1, 1, 1 + funded]);
          return;
        }
        expect(status).toBeGreaterThanOrEqual(400);
        expect(result.headers?.['content-type']).toBe('application/problem+json');
        const problem = JSON.parse(result.body ?? '{}') as { status: number; errors?: { field: string; message: string }[] };
        expect(problem.status).toBe(status);
        expect(problem.errors?.length ?? 0).toBeGreaterThan(0);
        for (const error of problem.errors ?? []) expect(error.field).toMatch(/^(body|headers)\b/);
        expect([starts, listed, appended()]).toStrictEqual([0, 0, 0]);
        expect(await deps.applications.get(applicationIdFor('LA-A', key))).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it('answers every replay of a valid request identically, with one application however often it is sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/),
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom(...HEADER_NAMES),
        async (key, times, keyName) => {
          const { deps, appended } = countingDeps();
          installPorts(deps);
          const e = fixture('create-application');
          delete e.headers['idempotency-key'];
          e.headers[keyName] = key;
          const answers = [];
          for (let i = 0; i < times; i += 1) answers.push(await handler(structuredClone(e), context));

          expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
          expect([deps.memory.workflow.starts.length, appended()]).toStrictEqual([1, 2]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
