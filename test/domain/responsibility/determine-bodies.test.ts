/**
 * What determine() says about the bodies when it cannot or need not name them: the qualifying detention missing
 * (R-CTO-4), no duty (R-ELIG-1), the duty ended (R-END-1). Exact rule ids, reasons and explanation lines.
 */
import { describe, expect, it } from 'vitest';
import { determine, ruleSetName } from '#domain/responsibility/determine.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { cto, detained, discharged, endAftercare, facts, settledInA } from '../../support/case-builder.ts';

const MISSING = 'The qualifying detention is missing from the record, so the responsible body cannot be named until it is supplied.';
const NO_DUTY = 'No aftercare duty is owed, so no body is responsible.';
const ENDED = 'The aftercare duty has ended, so no body owes it now.';

describe('bodies when the qualifying detention is missing (R-CTO-4)', () => {
  const d = determine(facts('2024-03-01', [settledInA, cto('2024-01-10')]));

  it('names neither body, as undetermined, for R-CTO-4 alone', () => {
    for (const side of [d.icb, d.localAuthority]) {
      expect(side).toMatchObject({ body: null, kind: 'undetermined', ruleIds: ['R-CTO-4'], reasons: [MISSING] });
    }
  });

  it('explains both sides with the same reason, and asks for the detention once', () => {
    expect(d.explanation).toContain(`ICB: ${MISSING}`);
    expect(d.explanation).toContain(`Local authority: ${MISSING}`);
    expect(d.explanation).not.toContain(MISSING);
    expect(d.needsHumanReview.map((r) => r.code)).toEqual(['QUALIFYING-DETENTION-MISSING']);
    expect(d.explanation.filter((l) => l.startsWith('A person must decide: '))).toHaveLength(1);
  });
});

describe('bodies when no duty is owed (R-ELIG-1)', () => {
  const d = determine(facts('2024-03-01', [settledInA, detained('2023-01-10', '2'), discharged('2023-02-01')]));

  it('names no body, of kind none, citing only the eligibility rules', () => {
    for (const side of [d.icb, d.localAuthority]) {
      expect(side).toMatchObject({ body: null, kind: 'none', ruleIds: ['R-ELIG-1'], reasons: [NO_DUTY] });
    }
    expect(d.needsHumanReview).toEqual([]);
  });

  it('says so once in the explanation, without an ICB or council prefix', () => {
    expect(d.explanation.filter((l) => l === NO_DUTY)).toHaveLength(1);
    expect(d.explanation.some((l) => l.startsWith('ICB: ') || l.startsWith('Local authority: '))).toBe(false);
    expect(d.ruleIds).toEqual(['R-ELIG-1']);
  });
});

describe('bodies when the duty has ended (R-END-1)', () => {
  const d = determine(
    facts('2024-09-01', [
      settledInA,
      detained('2023-01-10'),
      discharged('2023-06-01'),
      endAftercare('2024-05-01', ['no-longer-needs-aftercare']),
    ]),
  );

  it('names no body, of kind none, with the ending rules', () => {
    expect(d.eligibility.status).toBe('ended');
    for (const side of [d.icb, d.localAuthority]) {
      expect(side).toMatchObject({ body: null, kind: 'none', ruleIds: d.eligibility.ruleIds, reasons: [ENDED] });
    }
    expect(d.eligibility.ruleIds).toEqual(['R-ELIG-1', 'R-ELIG-2', 'R-END-1']);
    expect(d.explanation.filter((l) => l === ENDED)).toHaveLength(1);
    expect(d.explanation).not.toContain(NO_DUTY);
  });
});

describe('named bodies are explained with their side', () => {
  it('prefixes each body reason with its side', () => {
    const d = determine(facts('2024-03-01', [settledInA, detained('2023-01-10'), discharged('2023-06-01')]));
    expect(d.icb.body).toBe('ICB-A');
    expect(d.localAuthority.body).toBe('LA-A');
    for (const r of d.icb.reasons) expect(d.explanation).toContain(`ICB: ${r}`);
    for (const r of d.localAuthority.reasons) expect(d.explanation).toContain(`Local authority: ${r}`);
    expect(d.icb.reasons.length).toBeGreaterThan(0);
    expect(d.localAuthority.reasons.length).toBeGreaterThan(0);
  });
});

describe('ruleSetName (the dated rule sets)', () => {
  it.each([
    ['2013-03-31', 'nhs:pre-2013;la:resident-test'],
    ['2013-04-01', 'nhs:standing-rules-2012;la:resident-test'],
    ['2015-03-31', 'nhs:standing-rules-2012;la:resident-test'],
    ['2015-04-01', 'nhs:standing-rules-2012;la:ordinary-residence'],
    ['2016-03-31', 'nhs:standing-rules-2012;la:ordinary-residence'],
    ['2016-04-01', 'nhs:si-2016-293;la:ordinary-residence'],
    ['2020-08-31', 'nhs:si-2016-293;la:ordinary-residence'],
    ['2020-09-01', 'nhs:who-pays-2020;la:ordinary-residence'],
    ['2022-06-30', 'nhs:who-pays-2020;la:ordinary-residence'],
    ['2022-07-01', 'nhs:icb-regulations-2022+who-pays-v2;la:ordinary-residence'],
    ['2023-08-09', 'nhs:icb-regulations-2022+who-pays-v2;la:ordinary-residence'],
    ['2023-08-10', 'nhs:icb-regulations-2022+who-pays-v2;la:ordinary-residence+worcestershire-2023'],
    ['2024-03-31', 'nhs:icb-regulations-2022+who-pays-v2;la:ordinary-residence+worcestershire-2023'],
    ['2024-04-01', 'nhs:icb-regulations-2022+who-pays-v3;la:ordinary-residence+worcestershire-2023'],
  ])('on %s: %s', (date, prefix) => {
    expect(ruleSetName(date, DEFAULT_RULE_CONFIG)).toBe(`${prefix};s46:not-commenced;config:${DEFAULT_RULE_CONFIG.name}`);
  });

  it('names the s46 deeming before and from its commencement', () => {
    const config = { ...DEFAULT_RULE_CONFIG, mha2025S46CommencementDate: '2027-01-01' };
    expect(ruleSetName('2026-12-31', config)).toMatch(/;s46:from-2027-01-01;/u);
    expect(ruleSetName('2027-01-01', config)).toMatch(/;s46:commenced-2027-01-01;/u);
  });
});
