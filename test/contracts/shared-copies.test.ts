/**
 * The repository keeps its own copies of the shared contracts and worked cases, so a clone stands on its own.
 * Where ../shared sits beside the clone (as in development and CI):
 * - the worked cases must match it byte for byte;
 * - each repository schema must be a compatible extension of the shared one: every schema, property, enum
 *   value and keyword in the shared copy is present with the same definition, and additions (new optional
 *   properties, new event types, new enum values) are allowed, so every document valid under ../shared keeps
 *   its meaning here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PUBLIC_CASES_PATH, repoUrl } from '../support/fixtures.ts';

const SHARED: URL | null = existsSync(new URL('../../../shared/', import.meta.url)) ? new URL('../../../shared/', import.meta.url) : null;
const SCHEMAS: readonly (readonly [shared: string, repo: string])[] = [
  ['contracts/case-facts.schema.json', 'contracts/case-facts.schema.json'],
  ['contracts/determination.schema.json', 'contracts/determination.schema.json'],
];
const CASES: readonly (readonly [shared: string, repo: string])[] = [['cases/public-cases.json', PUBLIC_CASES_PATH]];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Keywords whose members may grow: maps of named schemas, and lists of alternatives or allowed values. */
const MAPS = new Set(['properties', '$defs']);
const GROWING_LISTS = new Set(['enum', 'oneOf', 'anyOf']);

/**
 * Where `repo` fails to extend `shared`, one line per difference (empty when it is a compatible extension).
 * `required` and every other keyword must be equal, so nothing that was optional becomes required.
 */
export function extensionProblems(shared: Json, repo: Json | undefined, path = '#'): string[] {
  if (repo === undefined) return [`${path}: missing`];
  if (!isObject(shared) || !isObject(repo)) return JSON.stringify(shared) === JSON.stringify(repo) ? [] : [`${path}: changed`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(shared)) {
    const here = `${path}/${key}`;
    const mine = repo[key];
    if (MAPS.has(key) && isObject(value) && isObject(mine)) {
      for (const [name, schema] of Object.entries(value)) problems.push(...extensionProblems(schema, mine[name], `${here}/${name}`));
    } else if (GROWING_LISTS.has(key) && Array.isArray(value) && Array.isArray(mine)) {
      const present = new Set(mine.map((m) => JSON.stringify(m)));
      for (const item of value) if (!present.has(JSON.stringify(item))) problems.push(`${here}: ${JSON.stringify(item)} removed`);
    } else {
      problems.push(...extensionProblems(value, mine, here));
    }
  }
  return problems;
}

const read = (url: URL): Json => JSON.parse(readFileSync(url, 'utf8')) as Json;

describe('the repository copies of ../shared', () => {
  it.each([...SCHEMAS, ...CASES])('%s is in the repository at %s and parses as JSON', (_shared, repo) => {
    expect(() => read(repoUrl(repo))).not.toThrow();
  });

  it.skipIf(SHARED === null).each(CASES)('%s matches the copy at %s byte for byte', (shared, repo) => {
    expect(readFileSync(repoUrl(repo), 'utf8')).toBe(readFileSync(new URL(shared, SHARED ?? undefined), 'utf8'));
  });

  it.skipIf(SHARED === null).each(SCHEMAS)('%s is extended compatibly by the copy at %s', (shared, repo) => {
    expect(extensionProblems(read(new URL(shared, SHARED ?? undefined)), read(repoUrl(repo)))).toEqual([]);
  });
});

describe('what counts as a compatible extension', () => {
  const base: Json = {
    required: ['a'],
    properties: { a: { enum: ['x', 'y'] }, b: { type: 'string' } },
    $defs: { e: { oneOf: [{ $ref: '#/a' }] } },
  };
  it('accepts added properties, enum values and alternatives', () => {
    const grown: Json = {
      required: ['a'],
      properties: { a: { enum: ['x', 'y', 'z'] }, b: { type: 'string' }, c: { type: 'boolean' } },
      $defs: { e: { oneOf: [{ $ref: '#/a' }, { $ref: '#/b' }] }, f: { type: 'null' } },
    };
    expect(extensionProblems(base, grown)).toEqual([]);
  });
  it.each([
    ['a removed enum value', { ...base, properties: { a: { enum: ['x'] }, b: { type: 'string' } } }, ['#/properties/a/enum: "y" removed']],
    ['a retyped property', { ...base, properties: { a: { enum: ['x', 'y'] }, b: { type: 'number' } } }, ['#/properties/b/type: changed']],
    ['a removed property', { ...base, properties: { a: { enum: ['x', 'y'] } } }, ['#/properties/b: missing']],
    ['a newly required field', { ...base, required: ['a', 'b'] }, ['#/required: changed']],
    ['a removed alternative', { ...base, $defs: { e: { oneOf: [] } } }, ['#/$defs/e/oneOf: {"$ref":"#/a"} removed']],
  ] satisfies [string, Json, string[]][])('refuses %s', (_name, repo, problems) => {
    expect(extensionProblems(base, repo)).toEqual(problems);
  });
});
