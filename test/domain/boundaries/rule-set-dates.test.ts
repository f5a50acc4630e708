/**
 * Every commencement date the engine switches on, with a row on the day before and a row on the day itself, so a
 * mutated comparison (< for <=) or a shifted date fails. The rule-set name records which law applied on the
 * evaluation date; the Worcestershire window decides whether a review item is raised.
 */
import { describe, expect, it } from 'vitest';
import { determine, ruleSetName } from '#domain/responsibility/determine.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { detained, discharged, facts, home, settledInA } from '../../support/case-builder.ts';

const nhsPart = (date: string) => ruleSetName(date, DEFAULT_RULE_CONFIG).split(';')[0];
const laPart = (date: string) => ruleSetName(date, DEFAULT_RULE_CONFIG).split(';')[1];

describe('NHS rule sets switch on their commencement dates', () => {
  it.each([
    ['2013-03-31', 'nhs:pre-2013'],
    ['2013-04-01', 'nhs:standing-rules-2012'],
    ['2016-03-31', 'nhs:standing-rules-2012'],
    ['2016-04-01', 'nhs:si-2016-293'],
    ['2020-08-31', 'nhs:si-2016-293'],
    ['2020-09-01', 'nhs:who-pays-2020'],
    ['2022-06-30', 'nhs:who-pays-2020'],
    ['2022-07-01', 'nhs:icb-regulations-2022+who-pays-v2'],
    ['2024-03-31', 'nhs:icb-regulations-2022+who-pays-v2'],
    ['2024-04-01', 'nhs:icb-regulations-2022+who-pays-v3'],
  ])('%s → %s', (date, name) => {
    expect(nhsPart(date)).toBe(name);
  });
});

describe('local authority tests switch on the Care Act 2014 amendment and the Supreme Court in Worcestershire', () => {
  it.each([
    ['2015-03-31', 'la:resident-test'],
    ['2015-04-01', 'la:ordinary-residence'],
    ['2023-08-09', 'la:ordinary-residence'],
    ['2023-08-10', 'la:ordinary-residence+worcestershire-2023'],
  ])('%s → %s', (date, name) => {
    expect(laPart(date)).toBe(name);
  });

  it('names the MHA 2025 s46 deeming before, on and after its commencement', () => {
    const config = { name: 'c', mha2025S46CommencementDate: '2027-04-01' };
    expect(ruleSetName('2027-03-31', config)).toBe(
      'nhs:icb-regulations-2022+who-pays-v3;la:ordinary-residence+worcestershire-2023;s46:from-2027-04-01;config:c',
    );
    expect(ruleSetName('2027-04-01', config)).toBe(
      'nhs:icb-regulations-2022+who-pays-v3;la:ordinary-residence+worcestershire-2023;s46:commenced-2027-04-01;config:c',
    );
    expect(ruleSetName('2027-04-01', DEFAULT_RULE_CONFIG)).toBe(
      'nhs:icb-regulations-2022+who-pays-v3;la:ordinary-residence+worcestershire-2023;s46:not-commenced;config:default',
    );
  });
});

describe('the Court of Appeal in Worcestershire (22 December 2021 to 9 August 2023) raises a review on a fresh detention elsewhere', () => {
  // Lived in A, detained and discharged; then moved to C of their own choice, and were detained again from C.
  const history = [
    settledInA,
    detained('2019-01-10'),
    discharged('2019-04-01'),
    home('2019-06-01', 'LA-C', 'ICB-C'),
    detained('2021-06-10'),
    discharged('2021-09-01'),
  ];
  const codes = (evaluation: string) => determine(facts(evaluation, history)).needsHumanReview.map((r) => r.code);

  it.each([
    ['2021-12-21', false],
    ['2021-12-22', true],
    ['2023-08-09', true],
    ['2023-08-10', false],
  ])('evaluated on %s: review raised %s', (evaluation, raised) => {
    const d = determine(facts(evaluation, history));
    expect(d.localAuthority.body).toBe('LA-C');
    expect(d.localAuthority.ruleIds).toEqual(['R-LA-6', 'R-LA-1', 'R-LA-5']);
    expect(codes(evaluation).includes('WORCESTERSHIRE-COURT-OF-APPEAL')).toBe(raised);
  });
});
