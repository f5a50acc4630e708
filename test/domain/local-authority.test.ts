import { describe, expect, it } from 'vitest';
import { determine } from '#domain/responsibility/determine.ts';
import type { CaseEvent, ResidenceEvent } from '#domain/facts.ts';
import { detained, discharged, facts, gp, home, informal, prison, settledInA } from '../support/case-builder.ts';

const laOf = (events: (CaseEvent | CaseEvent[])[], evaluation = '2025-01-01', person?: Parameters<typeof facts>[2]) =>
  determine(facts(evaluation, events, person)).localAuthority;
const reviewCodes = (events: (CaseEvent | CaseEvent[])[], evaluation = '2025-01-01') =>
  determine(facts(evaluation, events)).needsHumanReview.map((r) => r.code);

const placedInB = (from: string, extra: Partial<ResidenceEvent> = {}): ResidenceEvent =>
  home(from, 'LA-B', 'ICB-B', { setting: 'care-home', arrangedBy: { body: 'LA-A', under: 'mha-s117' }, ...extra });

describe('ordinary residence immediately before the latest qualifying detention (R-LA-1, R-LA-6)', () => {
  it('is where the person chose to live', () => {
    const la = laOf([settledInA, detained('2024-01-10'), discharged('2024-04-01')]);
    expect(la).toMatchObject({ body: 'LA-A', kind: 'english-la', since: '2024-04-01' });
    expect(la.ruleIds).toEqual(['R-LA-6', 'R-LA-1']);
  });

  it('a move after discharge does not move the duty', () => {
    expect(laOf([settledInA, detained('2024-01-10'), discharged('2024-04-01'), home('2024-06-01', 'LA-C', 'ICB-C')]).body).toBe('LA-A');
  });

  it('a move on the day of detention recorded as coming first counts as where they lived before it (R-OR-4)', () => {
    const moved = home('2024-01-10', 'LA-C', 'ICB-C', { sameDayAsDetention: 'moved-before-detention' });
    expect(laOf([settledInA, moved, detained('2024-01-10'), discharged('2024-04-01')]).body).toBe('LA-C');
  });

  it('a move on the day of detention recorded as coming after it does not count (R-OR-4)', () => {
    const moved = home('2024-01-10', 'LA-C', 'ICB-C', { sameDayAsDetention: 'moved-after-detention' });
    expect(laOf([settledInA, moved, detained('2024-01-10'), discharged('2024-04-01')]).body).toBe('LA-A');
  });

  it('a move on the day of detention in another area, order unknown, goes to a person (R-OR-4)', () => {
    const d = determine(
      facts('2024-06-01', [settledInA, home('2024-01-10', 'LA-C', 'ICB-C'), detained('2024-01-10'), discharged('2024-04-01')]),
    );
    expect(d.localAuthority).toMatchObject({ body: null, kind: 'undetermined' });
    expect(d.localAuthority.candidates?.map((c) => c.body)).toEqual(['LA-C', 'LA-A']);
    expect(d.needsHumanReview.map((r) => [r.code, r.ruleIds])).toEqual([['SAME-DAY-MOVE-AND-DETENTION', ['R-OR-4']]]);
  });

  it('detention in hospital is never residence (R-LA-15)', () => {
    const la = laOf([
      settledInA,
      detained('2022-01-10'),
      home('2022-02-01', 'LA-H', 'ICB-H', { setting: 'other' }),
      discharged('2022-04-01'),
      detained('2024-01-10'),
      discharged('2024-04-01'),
    ]);
    expect(la.body).toBe('LA-A');
    expect(la.ruleIds).toContain('R-LA-15');
  });

  it('an out-of-area s117 placement does not keep the person resident in the placing area (R-LA-8)', () => {
    const la = laOf([
      settledInA,
      detained('2020-01-10'),
      discharged('2020-06-01'),
      placedInB('2020-06-01'),
      detained('2024-01-10'),
      discharged('2024-04-01'),
    ]);
    expect(la.body).toBe('LA-B');
    expect(la.ruleIds).toEqual(expect.arrayContaining(['R-LA-8', 'R-LA-5']));
  });

  it('a placement under other Acts does not deem residence for s117 either (R-LA-4)', () => {
    const la = laOf([
      settledInA,
      home('2020-01-01', 'LA-B', 'ICB-B', { setting: 'care-home', arrangedBy: { body: 'LA-A', under: 'care-act-2014' } }),
      detained('2024-01-10'),
      discharged('2024-04-01'),
    ]);
    expect(la.body).toBe('LA-B');
    expect(la.ruleIds).toContain('R-LA-4');
  });

  it('a best-interests decision supplies the voluntary element when capacity is lacking (R-LA-7)', () => {
    const events = [
      settledInA,
      home('2020-01-01', 'LA-B', 'ICB-B', { setting: 'care-home', basis: 'best-interests-decision' }),
      detained('2024-01-10'),
      discharged('2024-04-01'),
    ];
    const d = determine(facts('2025-01-01', events, { capacityToDecideResidence: false }));
    expect(d.localAuthority.body).toBe('LA-B');
    expect(d.localAuthority.ruleIds).toContain('R-LA-7');
    expect(d.needsHumanReview).toEqual([]);
  });

  it('flags "own choice" recorded for a person who lacks capacity', () => {
    const d = determine(
      facts('2025-01-01', [settledInA, detained('2024-01-10'), discharged('2024-04-01')], { capacityToDecideResidence: false }),
    );
    expect(d.localAuthority.body).toBe('LA-A');
    expect(d.needsHumanReview.map((r) => r.code)).toEqual(['CAPACITY-AND-BASIS-DISAGREE']);
  });

  it.each(['condition-of-discharge', 'secure-accommodation-order', 'court-order'] as const)(
    'involuntary residence (%s) does not create ordinary residence',
    (basis) => {
      const events = [
        settledInA,
        home('2022-01-01', 'LA-B', 'ICB-B', { setting: 'hostel', basis }),
        detained('2024-01-10'),
        discharged('2024-04-01'),
      ];
      const d = determine(facts('2025-01-01', events));
      expect(d.localAuthority.body).toBe('LA-A');
      expect(d.needsHumanReview).toEqual([]);
      expect(d.localAuthority.reasons[0]).toContain('not voluntarily adopted');
    },
  );

  it('prison is not residence: a transferred prisoner goes back to the last home, for a person to confirm', () => {
    const events = [settledInA, prison('2022-01-01'), detained('2024-01-10', '47'), discharged('2024-04-01')];
    expect(laOf(events).body).toBe('LA-A');
    expect(reviewCodes(events)).toEqual(expect.arrayContaining(['PRISON-BEFORE-DETENTION', 'PRISONER-TRANSFER-ICB']));
  });

  it('no residence before detention is a missing fact', () => {
    const d = determine(facts('2025-01-01', [gp('2000-01-01', 'ICB-A'), detained('2024-01-10'), discharged('2024-04-01')]));
    expect(d.localAuthority).toMatchObject({ body: null, kind: 'undetermined' });
    expect(d.needsHumanReview.map((r) => r.code)).toContain('RESIDENCE-BEFORE-DETENTION-MISSING');
  });

  it('no fixed abode: the area where they were living, for a person to confirm', () => {
    const events = [
      gp('2000-01-01', 'ICB-A'),
      home('2023-01-01', 'LA-N', 'ICB-N', { setting: 'no-fixed-abode', basis: 'unknown' }),
      detained('2024-01-10'),
      discharged('2024-04-01'),
    ];
    expect(laOf(events).body).toBe('LA-N');
    expect(reviewCodes(events)).toEqual(expect.arrayContaining(['NO-SETTLED-RESIDENCE', 'RESIDENCE-BASIS-UNKNOWN']));
  });
});

describe('the test by date (R-LA-3)', () => {
  const inpatient = (from: string): ResidenceEvent => home(from, 'LA-H', 'ICB-H', { setting: 'hospital-informal' });
  it.each([
    { detention: '2015-03-31', evaluation: '2015-03-31', rule: 'R-LA-3', codes: [] },
    { detention: '2015-04-01', evaluation: '2015-06-01', rule: 'R-LA-1', codes: ['VOLUNTARY-INPATIENT-RESIDENCE'] },
  ])('a detention on $detention uses $rule', ({ detention, evaluation, rule, codes }) => {
    const events = [settledInA, informal('2015-01-01'), inpatient('2015-01-01'), detained(detention)];
    const d = determine(facts(evaluation, events));
    expect(d.localAuthority.body).toBe('LA-H');
    expect(d.localAuthority.ruleIds).toContain(rule);
    expect(d.needsHumanReview.map((r) => r.code)).toEqual(codes);
  });
});

describe('Worcestershire on the date that matters (R-LA-5)', () => {
  const history = [
    settledInA,
    detained('2020-01-10'),
    discharged('2020-06-01'),
    placedInB('2020-06-01'),
    detained('2022-01-10'),
    discharged('2022-05-01'),
  ];
  it.each([
    { evaluation: '2022-06-01', codes: ['WORCESTERSHIRE-COURT-OF-APPEAL'] },
    { evaluation: '2023-08-10', codes: [] },
  ])('evaluated $evaluation: the new council, flagged while the Court of Appeal stood', ({ evaluation, codes }) => {
    const d = determine(facts(evaluation, history));
    expect(d.localAuthority.body).toBe('LA-B');
    expect(d.needsHumanReview.map((r) => r.code)).toEqual(codes);
  });
});

describe('Mental Health Act 2025 s46 deeming (R-LA-16), off by default', () => {
  const history = [
    settledInA,
    detained('2026-01-10'),
    discharged('2026-06-01'),
    placedInB('2026-06-01'),
    detained('2027-06-10'),
    discharged('2027-09-01'),
  ];
  it.each([
    { name: 'not commenced (default)', commencement: null, body: 'LA-B', deemed: false, codes: [] as string[] },
    {
      name: 'commenced before the fresh detention',
      commencement: '2027-04-01',
      body: 'LA-A',
      deemed: true,
      codes: ['MHA2025-S46-DEEMING'],
    },
    { name: 'commenced after the fresh detention', commencement: '2027-07-01', body: 'LA-B', deemed: false, codes: [] as string[] },
  ])('$name → $body', ({ commencement, body, deemed, codes }) => {
    const d = determine(facts('2027-12-01', history), { name: 't', mha2025S46CommencementDate: commencement });
    expect(d.localAuthority.body).toBe(body);
    expect(d.localAuthority.ruleIds.includes('R-LA-16')).toBe(deemed);
    expect(d.needsHumanReview.map((r) => r.code)).toEqual(codes);
  });

  it('deems a Care Act placement back to where the person lived before it', () => {
    const events = [
      settledInA,
      home('2026-01-01', 'LA-B', 'ICB-B', { setting: 'care-home', arrangedBy: { body: 'LA-A', under: 'care-act-2014' } }),
      detained('2027-06-10'),
      discharged('2027-09-01'),
    ];
    expect(determine(facts('2027-12-01', events), { name: 't', mha2025S46CommencementDate: '2027-04-01' }).localAuthority.body).toBe(
      'LA-A',
    );
  });

  it('names the dated rule sets and the configuration in ruleSet', () => {
    expect(determine(facts('2027-12-01', history), { name: 'from-april', mha2025S46CommencementDate: '2027-04-01' }).ruleSet).toBe(
      'nhs:icb-regulations-2022+who-pays-v3;la:ordinary-residence+worcestershire-2023;s46:commenced-2027-04-01;config:from-april',
    );
  });
});
