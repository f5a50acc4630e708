/**
 * Paths into ../shared (the contracts, rule book and worked cases), which CI checks out beside the repo.
 */
import { readFileSync } from 'node:fs';
import type { CaseFacts } from '../../domain/facts.ts';

export const sharedUrl = (path: string): URL => new URL(`../../../shared/${path}`, import.meta.url);

export interface PublicCase {
  facts: CaseFacts;
  expected: { eligibility?: string; icb?: string | null; la?: string | null; review?: boolean };
  source: string;
}

export function loadPublicCases(): PublicCase[] {
  return JSON.parse(readFileSync(sharedUrl('cases/public-cases.json'), 'utf8')) as PublicCase[];
}
