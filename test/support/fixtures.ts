/**
 * The contracts and worked cases the tests read, kept in this repository (contracts/, test/fixtures/cases/), so a
 * clone stands on its own. test/contracts/shared-copies.test.ts compares them with ../shared when it is there.
 */
import { readFileSync } from 'node:fs';
import type { CaseFacts } from '#domain/facts.ts';

/** A file of the repository, from its root: `repoUrl('contracts/case-facts.schema.json')`. */
export const repoUrl = (path: string): URL => new URL(`../../${path}`, import.meta.url);

export const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, 'utf8'));

export interface PublicCase {
  facts: CaseFacts;
  expected: { eligibility?: string; icb?: string | null; la?: string | null; review?: boolean };
  source: string;
}

export const PUBLIC_CASES_PATH = 'test/fixtures/cases/public-cases.json';

export function loadPublicCases(): PublicCase[] {
  return readJson(repoUrl(PUBLIC_CASES_PATH)) as PublicCase[];
}
