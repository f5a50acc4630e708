// ajv is CommonJS: under NodeNext its default export types as the module, so take the named class.
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseFactsSchema, checkCaseFactsSemantics, formatIssues, formatPath, parseCaseFacts } from '#functions/shared/case-facts.schema.ts';
import type { CaseFacts } from '#domain/facts.ts';
import { AFTERCARE_END_REASONS, MHA_SECTIONS } from '#domain/facts.ts';
import { loadPublicCases, readJson, repoUrl } from '../support/fixtures.ts';

const jsonSchema = readJson(repoUrl('contracts/case-facts.schema.json')) as object;
const publicCases = loadPublicCases();

interface InvalidFixture {
  name: string;
  paths: string[];
  document: unknown;
}
interface ImpossibleDateFixture {
  name: string;
  path: string;
  document: unknown;
}
const invalidDocuments = readJson(new URL('../fixtures/case-facts/invalid.json', import.meta.url)) as InvalidFixture[];
const impossibleDates = readJson(new URL('../fixtures/case-facts/impossible-dates.json', import.meta.url)) as ImpossibleDateFixture[];
const everyField = readJson(new URL('../fixtures/case-facts/valid-every-field.json', import.meta.url));

const ajv = new Ajv2020({ allErrors: true });
const ajvValidate = ajv.compile(jsonSchema);
const jsonSchemaAccepts = (doc: unknown): boolean => ajvValidate(doc);
const zodAccepts = (doc: unknown): boolean => caseFactsSchema.safeParse(doc).success;

describe('the zod schema and case-facts.schema.json agree', () => {
  it('loads the shared contract and the public cases from ../shared beside the repo', () => {
    expect((jsonSchema as { title: string }).title).toBe('Section 117 case facts (v1)');
    expect(publicCases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(publicCases.map((c, i) => ({ i, id: (c.facts as { id: string }).id, facts: c.facts })))(
    'both accept public case $i ($id)',
    ({ facts }) => {
      expect([jsonSchemaAccepts(facts), zodAccepts(facts)]).toStrictEqual([true, true]);
    },
  );

  it('both accept a document using every optional field', () => {
    expect([jsonSchemaAccepts(everyField), zodAccepts(everyField)]).toStrictEqual([true, true]);
  });

  it.each([
    { length: 64, verdict: true },
    { length: 65, verdict: false },
  ])('both count id length in code points, as JSON Schema does: $length emoji → $verdict', ({ length, verdict }) => {
    const doc = { id: '\u{1F600}'.repeat(length), evaluationDate: '2024-01-15', events: [] };
    expect([jsonSchemaAccepts(doc), zodAccepts(doc)]).toStrictEqual([verdict, verdict]);
  });

  it('has at least 30 invalid documents, each with its own name', () => {
    expect(invalidDocuments.length).toBeGreaterThanOrEqual(30);
    expect(new Set(invalidDocuments.map((f) => f.name)).size).toBe(invalidDocuments.length);
  });

  it.each(invalidDocuments)('both refuse: $name', ({ document }) => {
    expect([jsonSchemaAccepts(document), zodAccepts(document)]).toStrictEqual([false, false]);
  });

  it.each(invalidDocuments)('formatIssues names the field for: $name', ({ document, paths }) => {
    const result = caseFactsSchema.safeParse(document, { reportInput: true });
    expect(result.success).toBe(false);
    const reported = result.success ? [] : formatIssues(result.error.issues).map((issue) => issue.path);
    expect(reported).toStrictEqual(paths);
  });

  it.each(impossibleDates)('both accept the pattern-shaped impossible date ($name): the JSON Schema checks shape only', ({ document }) => {
    expect([jsonSchemaAccepts(document), zodAccepts(document)]).toStrictEqual([true, true]);
  });
});

describe('checkCaseFactsSemantics', () => {
  it.each(impossibleDates)('refuses an impossible calendar date: $name at $path', ({ document, path }) => {
    const facts = caseFactsSchema.parse(document);
    const value = path
      .split(/[.[\]]+/u)
      .filter(Boolean)
      .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], facts);
    expect(checkCaseFactsSemantics(facts)).toStrictEqual([{ path, message: `${JSON.stringify(value)} is not a real calendar date` }]);
  });

  it('finds nothing wrong with any public case', () => {
    expect(publicCases.flatMap((c) => checkCaseFactsSemantics(caseFactsSchema.parse(c.facts)))).toStrictEqual([]);
  });

  it("does not read a recall's from (what the person was recalled from) as a date", () => {
    const facts: CaseFacts = {
      id: 'R',
      evaluationDate: '2024-02-29',
      events: [{ type: 'recall', date: '2020-02-29', from: 'conditional-discharge' }],
    };
    expect(checkCaseFactsSemantics(facts)).toStrictEqual([]);
  });
});

describe('parseCaseFacts', () => {
  it('returns the facts when schema and calendar are both satisfied', () => {
    const facts = { id: 'OK', evaluationDate: '2024-01-15', events: [{ type: 'left-hospital', date: '2020-07-20' }] };
    expect(parseCaseFacts(facts)).toStrictEqual({ ok: true, facts });
  });

  it('reports schema problems as field lines, telling a missing field from a wrong one', () => {
    const doc = {
      evaluationDate: 20240115,
      events: [{ type: 'detention', from: '2020-01-01', section: '99' }, { type: 'cto' }],
      colour: 'red',
    };
    expect(parseCaseFacts(doc)).toStrictEqual({
      ok: false,
      issues: [
        { path: 'id', message: 'is required (a string)' },
        { path: 'evaluationDate', message: 'must be a string, not a number' },
        {
          path: 'events[0].section',
          message:
            'must be one of "2", "3", "4", "35", "36", "37", "38", "47", "48", "135", "136", "5(2)", "5(4)", "37/41", "45A", "47/49", "48/49", not "99"',
        },
        { path: 'events[1].from', message: 'is required (a string)' },
        { path: 'colour', message: 'is not a field case facts v1 allows' },
      ],
    });
  });

  it('names an unknown event type and lists the real ones', () => {
    expect(parseCaseFacts({ id: 'T', evaluationDate: '2024-01-15', events: [{ type: 'gp-change' }] })).toStrictEqual({
      ok: false,
      issues: [
        {
          path: 'events[0].type',
          message:
            '"gp-change" is not an event type; use one of residence, gp-registration, detention, detention-ended, ' +
            'left-hospital, informal-admission, cto, recall, s17-leave, imprisonment, aftercare-ended, ' +
            'aftercare-reinstated, child-status, aftercare-service',
        },
      ],
    });
  });

  it('checks the calendar only once the schema is satisfied', () => {
    expect(parseCaseFacts({ id: 'D', evaluationDate: '2023-02-30', events: [] })).toStrictEqual({
      ok: false,
      issues: [{ path: 'evaluationDate', message: '"2023-02-30" is not a real calendar date' }],
    });
  });
});

describe('formatPath', () => {
  it.each([
    { path: [], expected: '(document)' },
    { path: ['events', 3, 'section'], expected: 'events[3].section' },
    { path: ['events', 0, 'area', 'la'], expected: 'events[0].area.la' },
    { path: [2, 'id'], expected: '[2].id' },
    { path: ['odd key'], expected: '["odd key"]' },
  ])('renders $expected', ({ path, expected }) => {
    expect(formatPath(path)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property: random valid-ish documents and random mutations of them; ajv and zod must give the same verdict.

const DATE_LIKE = ['2020-01-01', '2023-02-30', '1999-12-31', '2020-1-01', '20200101', '2020-01-01 ', '٢٠٢٠-٠١-٠١', ''];
const ORG_LIKE = ['QOX', 'E06000030', 'W06-0001', 'Q', 'qox', '-AB', 'A-', 'ABCDEFGHIJKLMNOP', 'ABCDEFGHIJKLMNOPQ', 'A B', 'ÄB'];
const COUNTRIES = ['england', 'wales', 'scotland', 'northern-ireland', 'outside-uk'] as const;

const dateArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...DATE_LIKE) },
  { weight: 1, arbitrary: fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/u) },
);
const orgArb = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{1,15}$/u) },
  { weight: 1, arbitrary: fc.constantFrom(...ORG_LIKE) },
);
const areaArb = fc.record({ country: fc.constantFrom(...COUNTRIES), la: orgArb, icb: orgArb }, { requiredKeys: ['country'] });
const eventArb = fc.oneof(
  fc.record(
    {
      type: fc.constant('residence'),
      from: dateArb,
      area: areaArb,
      setting: fc.constantFrom('own-home', 'care-home', 'supported-living', 'prison', 'hospital-informal', 'other'),
      basis: fc.constantFrom('own-choice', 'best-interests-decision', 'condition-of-discharge', 'unknown'),
      arrangedBy: fc.record({ body: orgArb, under: fc.constantFrom('mha-s117', 'care-act-2014', 'other') }),
    },
    { requiredKeys: ['type', 'from', 'area', 'setting', 'basis'] },
  ),
  fc.record(
    {
      type: fc.constant('gp-registration'),
      from: dateArb,
      icb: fc.option(orgArb, { nil: null }),
      country: fc.constantFrom('england', 'wales', 'scotland', 'northern-ireland'),
    },
    { requiredKeys: ['type', 'from', 'icb'] },
  ),
  fc.record(
    {
      type: fc.constant('detention'),
      from: dateArb,
      section: fc.constantFrom(...MHA_SECTIONS),
      hospitalArea: areaArb,
      bedCommissionedBy: fc.constantFrom('icb', 'nhs-england'),
    },
    { requiredKeys: ['type', 'from', 'section'] },
  ),
  fc.record({
    type: fc.constant('detention-ended'),
    date: dateArb,
    outcome: fc.constantFrom('discharged', 'community-treatment-order', 'died'),
  }),
  fc.record({ type: fc.constant('left-hospital'), date: dateArb }),
  fc.record(
    { type: fc.constant('informal-admission'), from: dateArb, to: dateArb, hospitalArea: areaArb },
    { requiredKeys: ['type', 'from'] },
  ),
  fc.record({ type: fc.constant('cto'), from: dateArb, to: dateArb }, { requiredKeys: ['type', 'from'] }),
  fc.record(
    { type: fc.constant('recall'), date: dateArb, from: fc.constantFrom('cto', 'conditional-discharge'), ctoRevoked: fc.boolean() },
    { requiredKeys: ['type', 'date', 'from'] },
  ),
  fc.record(
    { type: fc.constant('s17-leave'), from: dateArb, to: dateArb, kind: fc.constantFrom('escorted-day', 'overnight', 'trial-placement') },
    { requiredKeys: ['type', 'from', 'kind'] },
  ),
  fc.record({ type: fc.constant('imprisonment'), from: dateArb, to: dateArb }, { requiredKeys: ['type', 'from'] }),
  fc.record(
    {
      type: fc.constant('aftercare-ended'),
      date: dateArb,
      icbAgreed: fc.boolean(),
      laAgreed: fc.boolean(),
      personInvolved: fc.boolean(),
      reasons: fc.array(fc.constantFrom(...AFTERCARE_END_REASONS), { minLength: 0, maxLength: 3 }),
    },
    { requiredKeys: ['type', 'date', 'icbAgreed', 'laAgreed', 'reasons'] },
  ),
);
const documentArb = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 0, maxLength: 70 }), fc.string({ unit: 'grapheme', minLength: 60, maxLength: 66 })),
    evaluationDate: dateArb,
    person: fc.record({ dateOfBirth: dateArb, capacityToDecideResidence: fc.option(fc.boolean(), { nil: null }) }, { requiredKeys: [] }),
    events: fc.array(eventArb, { maxLength: 8 }),
  },
  { requiredKeys: ['id', 'evaluationDate', 'events'] },
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every location in a document: object keys and array indexes, parents before children. */
function locations(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...locations(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...locations(v, [...prefix, k])]);
  }
  return [];
}

const replacementArb: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, 3, -1.5, '', '3', 'england', 'cto', 'residence', 'QOX', [], {}, ['time-elapsed']),
  dateArb,
  orgArb,
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

type Mutation =
  { kind: 'replace'; at: number; value: Json } | { kind: 'delete'; at: number } | { kind: 'add'; at: number; key: string; value: Json };
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: replacementArb }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.constantFrom('extra', 'type', 'from', 'to', 'icb', '__proto__', 'constructor'),
    value: replacementArb,
  }),
);

function mutate(doc: Json, mutation: Mutation): Json {
  const copy = structuredClone(doc);
  const all = locations(copy);
  if (all.length === 0) return copy;
  const loc = all[mutation.at % all.length] ?? [];
  const parent = loc.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k] as Json, copy) as
    Record<string | number, Json> | Json[];
  const key = loc[loc.length - 1] as string | number;
  if (mutation.kind === 'replace') (parent as Record<string | number, Json>)[key] = mutation.value;
  else if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else Reflect.deleteProperty(parent, key);
  } else {
    const target = (parent as Record<string | number, Json>)[key];
    // JSON.parse makes "__proto__" an own property; defineProperty does the same here.
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      Object.defineProperty(target, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy;
}

describe('property: ajv and zod agree on generated documents', () => {
  it('give the same verdict on random valid-ish documents', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        expect(zodAccepts(doc)).toBe(jsonSchemaAccepts(doc));
      }),
      { numRuns: 2000 },
    );
  });

  it('give the same verdict on random mutations of them', () => {
    fc.assert(
      fc.property(documentArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (doc, mutations) => {
        const mutated = mutations.reduce<Json>((d, m) => mutate(d, m), doc as Json);
        expect(zodAccepts(mutated)).toBe(jsonSchemaAccepts(mutated));
      }),
      { numRuns: 3000 },
    );
  });

  it('give the same verdict on mutations of the public cases', () => {
    const facts = publicCases.map((c) => c.facts as unknown as Json);
    fc.assert(
      fc.property(fc.constantFrom(...facts), mutationArb, (doc, mutation) => {
        const mutated = mutate(doc, mutation);
        expect(zodAccepts(mutated)).toBe(jsonSchemaAccepts(mutated));
      }),
      { numRuns: 2000 },
    );
  });

  it('give the same verdict on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (doc) => {
        expect(zodAccepts(doc)).toBe(jsonSchemaAccepts(doc));
      }),
      { numRuns: 500 },
    );
  });

  it('the generators reach both verdicts often (so agreement is not vacuous)', () => {
    const docs = fc.sample(documentArb, { numRuns: 500, seed: 117 });
    const accepted = docs.filter(jsonSchemaAccepts).length;
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(450);
  });
});
