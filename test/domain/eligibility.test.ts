import { describe, expect, it } from 'vitest';
import { determine } from '#domain/responsibility/determine.ts';
import { MHA_SECTIONS, type MhaSection } from '#domain/facts.ts';
import {
  cto,
  detained,
  discharged,
  endAftercare,
  ended,
  facts,
  home,
  informal,
  left,
  prison,
  recall,
  s17,
  settledInA,
} from '../support/case-builder.ts';

const QUALIFYING: MhaSection[] = ['3', '37', '37/41', '45A', '47', '47/49', '48', '48/49'];
const codes = (f: ReturnType<typeof facts>): string[] => determine(f).needsHumanReview.map((r) => r.code);

describe('qualifying sections (R-ELIG-1, s117(1))', () => {
  it.each(QUALIFYING)('section %s gives rise to aftercare once the person leaves hospital', (section) => {
    const d = determine(facts('2024-01-01', [settledInA, detained('2023-01-10', section), discharged('2023-06-01')]));
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-06-01', qualifyingSection: section });
    expect(d.eligibility.ruleIds).toEqual(expect.arrayContaining(['R-ELIG-1', 'R-ELIG-2']));
  });

  it.each(MHA_SECTIONS.filter((s) => !QUALIFYING.includes(s)))('section %s alone never gives rise to aftercare', (section) => {
    const d = determine(facts('2024-01-01', [settledInA, detained('2023-01-10', section), discharged('2023-02-01')]));
    expect(d.eligibility.status).toBe('not-eligible');
    expect(d.eligibility.ruleIds).toEqual(['R-ELIG-1']);
    expect([d.icb.body, d.localAuthority.body]).toEqual([null, null]);
  });

  it('a section 2 converted to section 3 qualifies from the conversion', () => {
    const d = determine(
      facts('2024-01-01', [settledInA, detained('2023-01-10', '2'), detained('2023-02-01', '3'), discharged('2023-06-01')]),
    );
    expect(d.eligibility).toMatchObject({ status: 'eligible', qualifyingSection: '3', detentionFrom: '2023-01-10' });
  });
});

describe('when the duty arises (R-ELIG-2): ceased to be detained and left hospital', () => {
  it('is not yet owed while the person is detained, and names the bodies for planning', () => {
    const d = determine(facts('2023-03-01', [settledInA, detained('2023-01-10')]));
    expect(d.eligibility.status).toBe('not-yet');
    expect(d.eligibility.ruleIds).toEqual(['R-ELIG-1', 'R-ELIG-2', 'R-PLAN-1']);
    expect([d.icb.body, d.localAuthority.body]).toEqual(['ICB-A', 'LA-A']);
  });

  it('is not yet owed while the person stays on as an informal patient', () => {
    const d = determine(facts('2023-08-01', [settledInA, detained('2023-01-10'), ended('2023-06-01', 'remained-informal')]));
    expect(d.eligibility.status).toBe('not-yet');
  });

  it('arises on the day the informal patient leaves, not the day detention ended', () => {
    const d = determine(
      facts('2023-09-01', [settledInA, detained('2023-01-10'), ended('2023-06-01', 'remained-informal'), left('2023-08-15')]),
    );
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-08-15' });
  });

  it('takes the end of detention as the day of leaving when a discharge records no departure', () => {
    const d = determine(facts('2023-09-01', [settledInA, detained('2023-01-10'), ended('2023-06-01')]));
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-06-01' });
    expect(d.explanation.join(' ')).toContain('No day of leaving hospital is recorded');
  });

  it('does not arise if the person died in hospital', () => {
    const d = determine(facts('2023-09-01', [settledInA, detained('2023-01-10'), ended('2023-06-01', 'died')]));
    expect(d.eligibility.status).toBe('not-eligible');
  });
});

describe('section 17 leave (R-ELIG-3)', () => {
  it.each([
    { kind: 'escorted-day', status: 'not-yet', rules: ['R-ELIG-1', 'R-ELIG-2', 'R-PLAN-1', 'R-ELIG-3', 'R-LEAVE-1'], codes: [] },
    { kind: 'unescorted-day', status: 'not-yet', rules: ['R-ELIG-1', 'R-ELIG-2', 'R-PLAN-1', 'R-ELIG-3', 'R-LEAVE-3'], codes: [] },
    {
      kind: 'overnight',
      status: 'eligible',
      rules: ['R-ELIG-1', 'R-ELIG-2', 'R-PLAN-1', 'R-ELIG-3', 'R-LEAVE-2'],
      codes: ['S17-LEAVE-IN-COMMUNITY'],
    },
    {
      kind: 'extended-community',
      status: 'eligible',
      rules: ['R-ELIG-1', 'R-ELIG-2', 'R-PLAN-1', 'R-ELIG-3', 'R-LEAVE-2'],
      codes: ['S17-LEAVE-IN-COMMUNITY'],
    },
    {
      kind: 'trial-placement',
      status: 'eligible',
      rules: ['R-ELIG-1', 'R-ELIG-2', 'R-PLAN-1', 'R-ELIG-3', 'R-LEAVE-2'],
      codes: ['S17-LEAVE-IN-COMMUNITY'],
    },
  ] as const)('$kind leave: $status, asked: $codes', ({ kind, status, rules, codes: expected }) => {
    const f = facts('2023-05-01', [settledInA, detained('2023-01-10'), s17('2023-03-01', kind)]);
    const d = determine(f);
    expect(d.eligibility.status).toBe(status);
    expect(d.eligibility.ruleIds).toEqual(rules);
    expect(codes(f)).toEqual(expected);
  });

  it('leave that has finished by the evaluation date counts for nothing', () => {
    const f = facts('2023-05-01', [
      settledInA,
      detained('2023-01-10'),
      { type: 's17-leave', from: '2023-03-01', to: '2023-03-20', kind: 'trial-placement' },
    ]);
    expect(determine(f).eligibility.status).toBe('not-yet');
    expect(codes(f)).toEqual([]);
  });
});

describe('community treatment orders and conditional discharge (R-ELIG-4, R-ELIG-5)', () => {
  it('is owed throughout a CTO', () => {
    const d = determine(
      facts('2024-01-01', [settledInA, detained('2023-01-10'), discharged('2023-06-01', 'community-treatment-order'), cto('2023-06-01')]),
    );
    expect(d.eligibility.status).toBe('eligible');
    expect(d.eligibility.ruleIds).toContain('R-ELIG-4');
  });

  it('refuses an ending agreed by both bodies while the person is on a CTO', () => {
    const d = determine(
      facts('2024-03-01', [
        settledInA,
        detained('2023-01-10'),
        discharged('2023-06-01', 'community-treatment-order'),
        cto('2023-06-01'),
        endAftercare('2024-01-01', ['no-longer-needs-aftercare']),
      ]),
    );
    expect(d.eligibility.status).toBe('eligible');
    expect(d.eligibility.ruleIds).toContain('R-ELIG-4');
    expect(d.eligibility.reasons.join(' ')).toContain('community treatment order');
  });

  it('allows the ending once the CTO has ended', () => {
    const d = determine(
      facts('2024-03-01', [
        settledInA,
        detained('2023-01-10'),
        discharged('2023-06-01', 'community-treatment-order'),
        cto('2023-06-01', '2023-12-01'),
        endAftercare('2024-01-01', ['no-longer-needs-aftercare']),
      ]),
    );
    expect(d.eligibility.status).toBe('ended');
  });

  it('ends lawfully while conditionally discharged, but flags it for review', () => {
    const f = facts('2024-03-01', [
      settledInA,
      detained('2023-01-10', '37/41'),
      discharged('2023-06-01', 'conditional-discharge'),
      endAftercare('2024-01-01', ['no-longer-needs-aftercare']),
    ]);
    expect(determine(f).eligibility.status).toBe('ended');
    expect(codes(f)).toEqual(['ENDED-WHILE-CONDITIONALLY-DISCHARGED']);
  });
});

describe('ending aftercare (R-END-1, R-END-3)', () => {
  const base = [settledInA, detained('2022-09-01'), discharged('2023-01-05')];
  it.each([
    {
      name: 'the ICB alone',
      ending: endAftercare('2024-05-01', ['no-longer-needs-aftercare'], { la: false }),
      status: 'eligible',
      rule: 'R-END-1',
    },
    {
      name: 'the council alone',
      ending: endAftercare('2024-05-01', ['no-longer-needs-aftercare'], { icb: false }),
      status: 'eligible',
      rule: 'R-END-1',
    },
    { name: 'refusal of services', ending: endAftercare('2024-05-01', ['refuses-services']), status: 'eligible', rule: 'R-END-3' },
    { name: 'moving area', ending: endAftercare('2024-05-01', ['moved-area']), status: 'eligible', rule: 'R-END-3' },
    {
      name: 'time elapsed and deprivation of liberty',
      ending: endAftercare('2024-05-01', ['time-elapsed', 'deprived-of-liberty-mca']),
      status: 'eligible',
      rule: 'R-END-3',
    },
    {
      name: 'both bodies, no longer needed, with a 33.22 reason besides',
      ending: endAftercare('2024-05-01', ['no-longer-needs-aftercare', 'time-elapsed']),
      status: 'ended',
      rule: 'R-END-1',
    },
    {
      name: 'the person died, whoever agreed',
      ending: endAftercare('2024-05-01', ['died'], { icb: false, la: false }),
      status: 'ended',
      rule: 'R-END-1',
    },
  ])('$name → $status ($rule)', ({ ending, status, rule }) => {
    const d = determine(facts('2024-09-01', [...base, ending]));
    expect(d.eligibility.status).toBe(status);
    expect(d.eligibility.ruleIds).toContain(rule);
  });

  it('does not treat an ending made without the person as lawful, and asks (R-END-5)', () => {
    const f = facts('2024-09-01', [...base, endAftercare('2024-05-01', ['no-longer-needs-aftercare'], { person: false })]);
    expect(determine(f).eligibility.status).toBe('eligible');
    expect(determine(f).needsHumanReview.map((r) => [r.code, r.ruleIds])).toEqual([['ENDING-MAY-BE-UNLAWFUL', ['R-END-5']]]);
  });

  it('does not treat an ending recorded during a detention as an ending, and asks (R-END-4)', () => {
    const f = facts('2023-03-01', [settledInA, detained('2022-09-01'), endAftercare('2023-01-01', ['no-longer-needs-aftercare'])]);
    expect(determine(f).eligibility.status).toBe('not-yet');
    expect(codes(f)).toEqual(['ENDING-DURING-DETENTION']);
  });

  it('ignores an ending recorded when no duty was ever in force', () => {
    const f = facts('2023-03-01', [settledInA, endAftercare('2023-01-01', ['no-longer-needs-aftercare'])]);
    expect(determine(f).eligibility.status).toBe('not-eligible');
    expect(codes(f)).toEqual(['ENDING-WITHOUT-DUTY']);
  });

  it('under MHA 2025 s46, once commenced, asks for the joint written notice', () => {
    const f = facts('2027-09-01', [...base, endAftercare('2027-05-01', ['no-longer-needs-aftercare'])]);
    const d = determine(f, { name: 's46', mha2025S46CommencementDate: '2027-04-01' });
    expect(d.eligibility.status).toBe('ended');
    expect(d.needsHumanReview.map((r) => r.code)).toEqual(['MHA2025-JOINT-WRITTEN-NOTICE']);
  });
});

describe('readmission (R-LA-5, R-LA-9)', () => {
  const placedInB = home('2023-06-01', 'LA-B', 'ICB-B', { setting: 'supported-living', arrangedBy: { body: 'LA-A', under: 'mha-s117' } });
  const first = [settledInA, detained('2023-01-10'), discharged('2023-06-01'), placedInB];

  it('an informal admission ends nothing', () => {
    const d = determine(facts('2024-06-01', [...first, informal('2024-01-10', '2024-02-10')]));
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2023-06-01' });
    expect(d.localAuthority.body).toBe('LA-A');
  });

  it('a section 2 admission ends nothing, even while it lasts', () => {
    const d = determine(facts('2024-02-01', [...first, detained('2024-01-10', '2')]));
    expect(d.eligibility.status).toBe('eligible');
    expect(d.eligibility.ruleIds).toContain('R-LA-9');
    expect(d.localAuthority.body).toBe('LA-A');
  });

  it('a fresh section 3 ends the council duty; the new council follows residence before it', () => {
    const d = determine(facts('2024-06-01', [...first, detained('2024-01-10', '3'), discharged('2024-05-01')]));
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2024-05-01' });
    expect(d.localAuthority).toMatchObject({ body: 'LA-B', since: '2024-05-01' });
    expect(d.localAuthority.ruleIds).toEqual(expect.arrayContaining(['R-LA-5', 'R-LA-8']));
    expect(d.icb.body).toBe('ICB-A');
  });

  it('a section 2 converted to section 3 ends the council duty at the conversion', () => {
    const d = determine(facts('2024-03-01', [...first, detained('2024-01-10', '2'), detained('2024-02-01', '3')]));
    expect(d.eligibility.status).toBe('not-yet');
    expect(d.localAuthority.body).toBe('LA-B');
  });

  it('a recall from conditional discharge keeps the existing duty; a person decides where the areas differ (R-CTO-3)', () => {
    const f = facts('2024-03-01', [
      settledInA,
      detained('2023-01-10', '37/41'),
      discharged('2023-06-01', 'conditional-discharge'),
      placedInB,
      recall('2024-01-10', 'conditional-discharge'),
    ]);
    const d = determine(f);
    expect(d.localAuthority.body).toBe('LA-A');
    expect(d.needsHumanReview.map((r) => [r.code, r.ruleIds])).toEqual([['RECALL-COUNCIL-CONTESTED', ['R-CTO-3']]]);
    expect(d.localAuthority.ruleIds).toContain('R-CTO-3');
  });

  it('imprisonment does not close aftercare; a person decides', () => {
    const f = facts('2024-03-01', [...first, prison('2024-01-10')]);
    expect(determine(f).eligibility.status).toBe('eligible');
    expect(codes(f)).toEqual(['IMPRISONMENT-DURING-AFTERCARE', 'SERVICE-MAY-BE-NHS-ENGLAND']);
  });

  it('after a lawful ending and a fresh detention, a new duty arises', () => {
    const d = determine(
      facts('2025-01-01', [
        ...first,
        endAftercare('2024-01-01', ['no-longer-needs-aftercare']),
        detained('2024-06-01'),
        discharged('2024-10-01'),
      ]),
    );
    expect(d.eligibility).toMatchObject({ status: 'eligible', since: '2024-10-01' });
  });
});

describe('several things on one day', () => {
  it('discharged and readmitted under section 3 the same day: a duty arose and the council duty ended', () => {
    const placed = home('2023-06-01', 'LA-B', 'ICB-B', { setting: 'supported-living' });
    const d = determine(
      facts('2024-06-01', [
        settledInA,
        detained('2023-01-10'),
        ended('2023-06-01'),
        placed,
        detained('2024-01-10', '2'),
        ended('2024-02-01'),
        detained('2024-02-01', '3'),
      ]),
    );
    expect(d.eligibility).toMatchObject({ status: 'not-yet', qualifyingSection: '3', detentionFrom: '2024-02-01' });
    expect(d.localAuthority.body).toBe('LA-B');
    expect(d.needsHumanReview).toEqual([]);
  });

  it('a holding power that starts and ends on one day leaves the person not detained', () => {
    const d = determine(facts('2024-06-01', [settledInA, detained('2024-01-10', '136'), ended('2024-01-10')]));
    expect(d.eligibility.status).toBe('not-eligible');
    expect(d.needsHumanReview).toEqual([]);
  });

  it('re-detained while still an informal in-patient: no duty arose from the first detention', () => {
    const d = determine(
      facts('2024-06-01', [settledInA, detained('2023-01-10'), ended('2023-06-01', 'remained-informal'), detained('2023-08-01', '3')]),
    );
    expect(d.eligibility).toMatchObject({ status: 'not-yet', detentionFrom: '2023-08-01' });
    expect(d.needsHumanReview).toEqual([]);
    expect(d.explanation.join(' ')).toContain('no aftercare duty arose from that one');
  });
});

describe('contradictory facts', () => {
  it('flags a span that ends before it starts and reads it as open', () => {
    const f = facts('2023-05-01', [
      settledInA,
      detained('2023-01-10'),
      { type: 's17-leave', from: '2023-03-01', to: '2023-02-01', kind: 'extended-community' },
    ]);
    expect(codes(f)).toEqual(['SPAN-ENDS-BEFORE-START', 'S17-LEAVE-IN-COMMUNITY']);
  });
});
