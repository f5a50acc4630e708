/**
 * The repository keeps its own copies of the shared contracts and worked cases, so a clone stands on its own.
 * Where ../shared sits beside the clone (as in development and CI), the copies must match it byte for byte:
 * a change there is taken here on purpose, never missed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PUBLIC_CASES_PATH, repoUrl } from '../support/fixtures.ts';

const SHARED: URL | null = existsSync(new URL('../../../shared/', import.meta.url)) ? new URL('../../../shared/', import.meta.url) : null;
const COPIES: readonly (readonly [shared: string, repo: string])[] = [
  ['contracts/case-facts.schema.json', 'contracts/case-facts.schema.json'],
  ['contracts/determination.schema.json', 'contracts/determination.schema.json'],
  ['cases/public-cases.json', PUBLIC_CASES_PATH],
];

describe('the repository copies of ../shared', () => {
  it.each(COPIES)('%s is in the repository at %s and parses as JSON', (_shared, repo) => {
    expect(() => JSON.parse(readFileSync(repoUrl(repo), 'utf8')) as unknown).not.toThrow();
  });

  it.skipIf(SHARED === null).each(COPIES)('%s matches the copy at %s', (shared, repo) => {
    expect(readFileSync(repoUrl(repo), 'utf8')).toBe(readFileSync(new URL(shared, SHARED ?? undefined), 'utf8'));
  });
});
