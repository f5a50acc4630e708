import { describe, expect, it } from 'vitest';
import { determine } from '#domain/responsibility/determine.ts';
import type { CaseEvent } from '#domain/facts.ts';
import { detained, discharged, endAftercare, facts, gp, home, settledInA } from '../support/case-builder.ts';

/** Lives in LA-A/ICB-A area but registered with an ICB-G practice; moves to LA-M/ICB-M (new GP ICB-N) later. */
const splitHome: CaseEvent[] = [home('2000-01-01', 'LA-A', 'ICB-A'), gp('2000-01-01', 'ICB-G')];

describe('NHS rule sets by date (rules.md 1.2)', () => {
  it.each([
    {
      name: 'set A: evaluated 31 March 2013 → area of residence before detention',
      evaluation: '2013-03-31',
      body: 'ICB-A',
      rule: 'R-WP-SET-A',
    },
    { name: 'set B: evaluated 1 April 2013 → GP practice now', evaluation: '2013-04-01', body: 'ICB-G', rule: 'R-WP-SET-B' },
    { name: 'set B: evaluated 31 March 2016 → GP practice now', evaluation: '2016-03-31', body: 'ICB-G', rule: 'R-WP-SET-B' },
    {
      name: 'set C saving: evaluated 1 April 2016, duty held on 31 March 2016',
      evaluation: '2016-04-01',
      body: 'ICB-G',
      rule: 'R-WP-SET-C-SAVING',
    },
  ])('$name', ({ evaluation, body, rule }) => {
    const d = determine(facts(evaluation, [splitHome, detained('2012-01-10'), discharged('2012-06-01')]));
    expect(d.icb.body).toBe(body);
    expect(d.icb.ruleIds).toContain(rule);
  });

  it('set B follows a GP change (the 2013 rules moved with the practice)', () => {
    const d = determine(facts('2015-01-01', [splitHome, detained('2013-05-10'), discharged('2013-09-01'), gp('2014-06-01', 'ICB-N')]));
    expect(d.icb).toMatchObject({ body: 'ICB-N' });
  });

  it('set C: a duty arising from 1 April 2016 follows ordinary residence before detention', () => {
    const d = determine(facts('2017-01-01', [splitHome, detained('2016-02-10'), discharged('2016-04-01')]));
    expect(d.icb).toMatchObject({ body: 'ICB-A', since: '2016-04-01' });
    expect(d.icb.ruleIds).toEqual(['R-WP-SET-C']);
  });

  it.each([
    { name: 'detention 31 August 2020 → set C (ordinary residence)', detention: '2020-08-31', body: 'ICB-A', rule: 'R-WP-SET-C' },
    { name: 'detention 1 September 2020 → set D (originating CCG pays)', detention: '2020-09-01', body: 'ICB-G', rule: 'R-WP-SET-D' },
  ])('$name', ({ detention, body, rule }) => {
    const d = determine(facts('2021-06-01', [splitHome, detained(detention), discharged('2021-01-10')]));
    expect(d.icb.body).toBe(body);
    expect(d.icb.ruleIds).toContain(rule);
  });

  it('set D records the commissioning CCG beside the paying one', () => {
    const d = determine(facts('2021-06-01', [splitHome, detained('2020-10-01'), discharged('2021-01-10')]));
    expect(d.icb.commissioner).toStrictEqual({ body: 'ICB-A', ruleIds: ['R-WP-SET-C'] });
  });

  it.each([
    { evaluation: '2022-06-30', body: 'ICB-G', rule: 'R-WP-SET-D' },
    { evaluation: '2022-07-01', body: 'ICB-N', rule: 'R-WP-117-4' },
  ])('the 2022 regulations take over on 1 July 2022 (evaluated $evaluation)', ({ evaluation, body, rule }) => {
    const d = determine(facts(evaluation, [splitHome, detained('2021-01-10'), discharged('2021-05-01'), gp('2022-01-01', 'ICB-N')]));
    expect(d.icb.body).toBe(body);
    expect(d.icb.ruleIds).toContain(rule);
  });
});

describe('ICB Regulations 2022 (SI 2022/635)', () => {
  it.each([
    {
      name: 'application 29 June 2022, still detained on 1 July → reg 6: core ICB on 1 July',
      detention: '2022-06-29',
      gpChange: '2022-06-30',
      body: 'ICB-N',
      rule: 'R-WP-117-4',
    },
    {
      name: 'application 1 July 2022 → reg 5: core ICB at the application',
      detention: '2022-07-01',
      gpChange: '2022-07-02',
      body: 'ICB-G',
      rule: 'R-WP-117-1',
    },
  ])('$name', ({ detention, gpChange, body, rule }) => {
    const d = determine(facts('2023-01-01', [splitHome, detained(detention), gp(gpChange, 'ICB-N'), discharged('2022-09-01')]));
    expect(d.icb.body).toBe(body);
    expect(d.icb.ruleIds).toContain(rule);
  });

  it('reg 5 fixes the ICB at the application even if the GP changes the same week', () => {
    const d = determine(facts('2023-06-01', [splitHome, detained('2023-01-10'), gp('2023-01-12', 'ICB-N'), discharged('2023-04-01')]));
    expect(d.icb).toMatchObject({ body: 'ICB-G', since: '2023-04-01' });
    expect(d.icb.ruleIds).toEqual(['R-WP-117-2', 'R-WP-117-1', 'R-WP-GEN-1']);
  });

  it('a re-detention inside the exclusion period keeps the originating ICB (reg 5(3))', () => {
    const d = determine(
      facts('2024-06-01', [
        splitHome,
        detained('2023-01-10'),
        discharged('2023-04-01'),
        gp('2023-06-01', 'ICB-N'),
        detained('2024-01-10'),
        discharged('2024-04-01'),
      ]),
    );
    expect(d.icb.body).toBe('ICB-G');
    expect(d.icb.ruleIds).toContain('R-WP-117-3');
  });

  it('a lawful discharge from aftercare ends the exclusion period: the next application decides afresh', () => {
    const d = determine(
      facts('2024-06-01', [
        splitHome,
        detained('2023-01-10'),
        discharged('2023-04-01'),
        endAftercare('2023-05-01', ['no-longer-needs-aftercare']),
        gp('2023-06-01', 'ICB-N'),
        detained('2024-01-10'),
        discharged('2024-04-01'),
      ]),
    );
    expect(d.icb.body).toBe('ICB-N');
    expect(d.icb.ruleIds).not.toContain('R-WP-117-3');
  });

  it('a section 2 that gave rise to no aftercare does not open a lasting exclusion period', () => {
    const d = determine(
      facts('2024-06-01', [
        splitHome,
        detained('2023-01-10', '2'),
        discharged('2023-02-01'),
        gp('2023-06-01', 'ICB-N'),
        detained('2024-01-10'),
        discharged('2024-04-01'),
      ]),
    );
    expect(d.icb.body).toBe('ICB-N');
  });

  it('an unregistered person: the ICB where they usually live (R-WP-GEN-2)', () => {
    const d = determine(
      facts('2024-06-01', [home('2020-01-01', 'LA-D', 'ICB-D'), gp('2020-01-01', null), detained('2024-01-10'), discharged('2024-04-01')]),
    );
    expect(d.icb.body).toBe('ICB-D');
    expect(d.icb.ruleIds).toContain('R-WP-GEN-2');
    expect(d.needsHumanReview).toEqual([]);
  });

  it('no GP record at all is a missing fact; the usual residence is the best answer', () => {
    const d = determine(facts('2024-06-01', [home('2020-01-01', 'LA-D', 'ICB-D'), detained('2024-01-10'), discharged('2024-04-01')]));
    expect(d.icb.body).toBe('ICB-D');
    expect(d.needsHumanReview.map((r) => r.code)).toEqual(['GP-REGISTRATION-MISSING']);
  });

  it('NHS England-commissioned detention from 1 July 2022: core ICB on its first day (reg 7(5))', () => {
    const d = determine(
      facts('2024-06-01', [
        splitHome,
        detained('2023-01-10', '37/41', { nhsEnglandBed: true }),
        gp('2023-03-01', 'ICB-N'),
        discharged('2024-01-01', 'conditional-discharge'),
      ]),
    );
    expect(d.icb.body).toBe('ICB-G');
    expect(d.icb.ruleIds).toContain('R-WP-117-5');
  });

  it('NHS England-commissioned detention spanning 1 July 2022: core ICB on discharge (reg 7(4))', () => {
    const d = determine(
      facts('2023-06-01', [
        splitHome,
        detained('2021-01-10', '37/41', { nhsEnglandBed: true }),
        gp('2022-10-01', 'ICB-N'),
        discharged('2023-01-01', 'conditional-discharge'),
      ]),
    );
    expect(d.icb.body).toBe('ICB-N');
    expect(d.icb.ruleIds).toEqual(expect.arrayContaining(['R-WP-117-4', 'R-WP-117-5']));
  });

  it('Part 3 in an ICB bed with a GP change mid-detention goes to a person (R-WP-117-7)', () => {
    const f = facts('2024-06-01', [splitHome, detained('2023-01-10', '37'), gp('2023-03-01', 'ICB-N'), discharged('2024-01-01')]);
    const d = determine(f);
    expect(d.icb.body).toBe('ICB-G');
    expect(d.needsHumanReview.map((r) => r.code)).toEqual(['PART3-GP-CHANGED-DURING-DETENTION']);
  });

  it('hospital location never decides the ICB', () => {
    const hospitals = ['ICB-X', 'ICB-Y'].map((icb) =>
      determine(
        facts('2024-06-01', [
          settledInA,
          detained('2024-01-10', '3', { hospital: { country: 'england', la: 'LA-X', icb } }),
          discharged('2024-04-01'),
        ]),
      ),
    );
    expect(hospitals[0]?.icb).toStrictEqual(hospitals[1]?.icb);
    expect(hospitals[0]?.icb.body).toBe('ICB-A');
  });
});

describe('not usually resident in England (R-WP-117-6)', () => {
  it('Wales: the Welsh Local Health Board and council (s117(3)(b))', () => {
    const d = determine(
      facts('2024-06-01', [
        {
          type: 'residence',
          from: '2010-01-01',
          area: { country: 'wales', la: 'W06000015', icb: '7A4' },
          setting: 'own-home',
          basis: 'own-choice',
        },
        { type: 'gp-registration', from: '2010-01-01', icb: '7A4', country: 'wales' },
        detained('2024-01-10'),
        discharged('2024-04-01'),
      ]),
    );
    expect(d.icb).toMatchObject({ body: '7A4', kind: 'welsh-health-board', since: '2024-04-01' });
    expect(d.icb.reasons[0]).toContain('Welsh Local Health Board for that area, 7A4,');
    expect(d.localAuthority).toMatchObject({ body: 'W06000015', kind: 'welsh-la' });
  });

  it('Scotland: the bodies where the person is sent on discharge in England (s117(3)(c)); nothing to ask (R-XB-3)', () => {
    const d = determine(
      facts('2024-06-01', [
        { type: 'residence', from: '2010-01-01', area: { country: 'scotland', la: 'S12000036' }, setting: 'own-home', basis: 'own-choice' },
        detained('2024-01-10'),
        discharged('2024-04-01'),
        home('2024-04-01', 'LA-E', 'ICB-E', { setting: 'supported-living', basis: 'best-interests-decision' }),
      ]),
    );
    expect(d.icb).toMatchObject({ body: 'ICB-E', kind: 'english-icb' });
    expect(d.localAuthority).toMatchObject({ body: 'LA-E', kind: 'english-la' });
    expect(d.icb.ruleIds).toContain('R-XB-3');
    expect(d.needsHumanReview.map((r) => r.code)).not.toContain('CROSS-BORDER-RESIDENCE');
  });

  it('Scotland: a person sent on discharge back to Scotland goes to a person (R-XB-3)', () => {
    const d = determine(
      facts('2024-06-01', [
        { type: 'residence', from: '2010-01-01', area: { country: 'scotland', la: 'S12000036' }, setting: 'own-home', basis: 'own-choice' },
        detained('2024-01-10'),
        discharged('2024-04-01'),
        { type: 'residence', from: '2024-04-01', area: { country: 'scotland', la: 'S12000036' }, setting: 'own-home', basis: 'own-choice' },
      ]),
    );
    expect(d.localAuthority).toMatchObject({ body: null, kind: 'outside-england-and-wales' });
    expect(d.needsHumanReview.map((r) => r.code)).toContain('CROSS-BORDER-RESIDENCE');
  });
});
