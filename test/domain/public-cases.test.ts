import { describe, expect, it } from 'vitest';
import { determine } from '#domain/responsibility/determine.ts';
import { loadPublicCases } from '../support/fixtures.ts';

const cases = loadPublicCases();

describe('public worked cases (test/fixtures/cases/public-cases.json)', () => {
  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases.map((c) => [c.facts.id, c] as const))('%s', (_id, c) => {
    const d = determine(c.facts);
    const actual: Record<string, unknown> = {};
    if ('eligibility' in c.expected) actual['eligibility'] = d.eligibility.status;
    if ('icb' in c.expected) actual['icb'] = d.icb.body;
    if ('la' in c.expected) actual['la'] = d.localAuthority.body;
    if ('review' in c.expected) actual['review'] = d.needsHumanReview.length > 0;
    expect(actual).toStrictEqual(c.expected);
  });
});
