/**
 * Ordinary residence as a question of fact (rules.md 2.5, 2.6): R-OR-1 to R-OR-7 and R-CHILD-1 to R-CHILD-6.
 * Every expected answer is read from the rule book; each boundary date has a row on each side.
 */
import { describe, expect, it } from 'vitest';
import { determine } from '#domain/responsibility/determine.ts';
import type { CaseEvent, CaseFacts, ChildStatusEvent, ResidenceEvent } from '#domain/facts.ts';
import { detained, discharged, facts, gp, home, settledInA } from '../../support/case-builder.ts';

type Events = (CaseEvent | CaseEvent[])[];
const run = (events: Events, evaluation = '2025-01-01', person?: CaseFacts['person']) => determine(facts(evaluation, events, person));
const codes = (d: ReturnType<typeof run>) => d.needsHumanReview.map((r) => r.code);
const stayInC = (extra: Partial<ResidenceEvent>): ResidenceEvent => home('2024-01-01', 'LA-C', 'ICB-C', extra);
const detention = [detained('2024-01-10'), ...discharged('2024-04-01')];
const child = (from: string, status: ChildStatusEvent['status'], extra: Partial<ChildStatusEvent> = {}): ChildStatusEvent => ({
  type: 'child-status',
  from,
  status,
  ...extra,
});

describe('R-OR-1: no minimum period', () => {
  it.each([
    { name: 'a settled move the day before detention moves ordinary residence', move: '2024-01-09', body: 'LA-C', asked: [] },
    {
      name: 'a move on the day of detention, order unknown, goes to a person (R-OR-4)',
      move: '2024-01-10',
      body: null,
      asked: ['SAME-DAY-MOVE-AND-DETENTION'],
    },
    {
      name: 'a move the day after detention began is made while detained, never residence (R-LA-15)',
      move: '2024-01-11',
      body: 'LA-A',
      asked: [],
    },
  ])('$name', ({ move, body, asked }) => {
    const d = run([settledInA, home(move, 'LA-C', 'ICB-C', { nature: 'settled' }), detention]);
    expect(d.localAuthority.body).toBe(body);
    expect(codes(d)).toEqual(asked);
  });

  it('R-OR-4: a same-day move within the same authority raises nothing', () => {
    const d = run([settledInA, home('2024-01-10', 'LA-A', 'ICB-A', { setting: 'supported-living' }), detention]);
    expect(d.localAuthority.body).toBe('LA-A');
    expect(codes(d)).toEqual([]);
  });
});

describe('R-OR-2: temporary stays and the intention to return', () => {
  it.each(['temporary', 'holiday-or-visit', 'respite'] as const)(
    'a %s stay with a home kept elsewhere leaves residence at the kept home',
    (nature) => {
      const d = run([settledInA, stayInC({ nature, homeKeptElsewhere: true }), detention]);
      expect(d.localAuthority).toMatchObject({ body: 'LA-A', kind: 'english-la' });
      expect(d.localAuthority.ruleIds).toContain('R-OR-2');
      expect(codes(d)).toEqual([]);
    },
  );

  it.each([
    { nature: 'temporary' as const, kept: undefined },
    { nature: 'respite' as const, kept: undefined },
    { nature: 'unknown' as const, kept: undefined },
    { nature: 'unknown' as const, kept: true },
  ])('a $nature stay (home kept: $kept) in another area goes to a person, naming both places', ({ nature, kept }) => {
    const extra: Partial<ResidenceEvent> = { nature };
    if (kept !== undefined) extra.homeKeptElsewhere = kept;
    const d = run([settledInA, stayInC(extra), detention]);
    expect(d.localAuthority).toMatchObject({ body: null, kind: 'undetermined' });
    expect(d.localAuthority.candidates?.map((c) => [c.body, c.kind])).toEqual([
      ['LA-C', 'english-la'],
      ['LA-A', 'english-la'],
    ]);
    const item = d.needsHumanReview.find((r) => r.code === 'STAY-OF-UNCERTAIN-NATURE');
    expect(item?.ruleIds).toEqual(['R-OR-2']);
    expect(item?.factsNeeded?.length).toBeGreaterThan(0);
  });

  it('a stay of unknown nature in the same area as the last settled home changes nothing and asks nothing', () => {
    const d = run([settledInA, home('2024-01-01', 'LA-A', 'ICB-A', { nature: 'unknown', setting: 'hostel' }), detention]);
    expect(d.localAuthority.body).toBe('LA-A');
    expect(codes(d)).toEqual([]);
  });

  it('a temporary stay with a home kept elsewhere that is not recorded goes to a person (R-HUMAN-1: a missing fact)', () => {
    const d = run([gp('2000-01-01', 'ICB-A'), stayInC({ nature: 'temporary', homeKeptElsewhere: true }), detention]);
    expect(d.localAuthority.body).toBeNull();
    const item = d.needsHumanReview.find((r) => r.code === 'KEPT-HOME-NOT-RECORDED');
    expect(item?.ruleIds).toEqual(['R-OR-2']);
    expect(item?.candidates?.map((c) => c.body)).toEqual(['LA-C', null]);
  });

  it('a settled home recorded with its nature is used without a question', () => {
    const d = run([settledInA, stayInC({ nature: 'settled' }), detention]);
    expect(d.localAuthority.body).toBe('LA-C');
    expect(codes(d)).toEqual([]);
  });
});

describe('R-OR-3: temporary accommodation from a housing authority', () => {
  it('in another area from the last settled home: a person decides, naming both', () => {
    const d = run([settledInA, stayInC({ providedAs: 'homelessness-temporary-accommodation', setting: 'hostel' }), detention]);
    expect(d.localAuthority.body).toBeNull();
    expect(d.localAuthority.candidates?.map((c) => c.body)).toEqual(['LA-C', 'LA-A']);
    expect(d.needsHumanReview.map((r) => [r.code, r.ruleIds])).toEqual([['TEMPORARY-ACCOMMODATION-ELSEWHERE', ['R-OR-3']]]);
  });

  it('in the same area as the last settled home: where the person ate and slept, no question', () => {
    const d = run([
      settledInA,
      home('2024-01-01', 'LA-A', 'ICB-A', { providedAs: 'homelessness-temporary-accommodation', setting: 'hostel' }),
      detention,
    ]);
    expect(d.localAuthority.body).toBe('LA-A');
    expect(codes(d)).toEqual([]);
  });
});

describe('R-OR-5 and R-IMM-3: residence that may not be voluntary', () => {
  it.each(['immigration-bail-address', 'home-office-accommodation'] as const)(
    'an address %s is a provisional answer for a person to confirm',
    (providedAs) => {
      const d = run([settledInA, stayInC({ providedAs }), detention]);
      expect(d.localAuthority).toMatchObject({ body: 'LA-C', kind: 'english-la', provisional: true });
      expect(d.localAuthority.candidates?.map((c) => c.body)).toEqual(['LA-C', 'LA-A']);
      const item = d.needsHumanReview.find((r) => r.code === 'RESIDENCE-MAY-BE-INVOLUNTARY');
      expect(item?.ruleIds).toEqual(['R-OR-5']);
    },
  );

  it('R-IMM-1: immigration status alone never gates eligibility', () => {
    const d = run([settledInA, stayInC({ providedAs: 'immigration-bail-address' }), detention]);
    expect(d.eligibility.status).toBe('eligible');
  });

  it('a prison address is never ordinary residence; the last home before it is used, for a person to confirm', () => {
    const d = run([settledInA, home('2023-01-01', 'LA-P', 'ICB-P', { setting: 'prison' }), detention]);
    expect(d.localAuthority.body).toBe('LA-A');
    expect(d.localAuthority.reasons.join(' ')).toContain('not voluntarily adopted');
  });
});

describe('R-OR-6: contradictory records', () => {
  const twoHomes = [home('2020-01-01', 'LA-B', 'ICB-B'), home('2020-01-01', 'LA-C', 'ICB-C', { setting: 'family-home' })];

  it('two homes from the same day in different areas go to a person; the council is not chosen by record order', () => {
    for (const order of [twoHomes, [...twoHomes].reverse()]) {
      const d = run([gp('2000-01-01', 'ICB-A'), ...order, detention]);
      expect(d.localAuthority).toMatchObject({ body: null, kind: 'undetermined' });
      expect(new Set(d.localAuthority.candidates?.map((c) => c.body))).toEqual(new Set(['LA-B', 'LA-C']));
      expect(d.needsHumanReview.find((r) => r.code === 'CONTRADICTORY-RESIDENCES')?.ruleIds).toEqual(['R-OR-6']);
      // An answer that does not depend on the conflict may still be given: the ICB fixed by GP registration (reg 5).
      expect(d.icb).toMatchObject({ body: 'ICB-A', kind: 'english-icb' });
    }
  });

  it('two records from the same day in the same area are not a contradiction that matters', () => {
    const d = run([
      gp('2000-01-01', 'ICB-A'),
      home('2020-01-01', 'LA-B', 'ICB-B'),
      home('2020-01-01', 'LA-B', 'ICB-B', { setting: 'supported-living' }),
      detention,
    ]);
    expect(d.localAuthority.body).toBe('LA-B');
    expect(codes(d)).toEqual([]);
  });

  it('unregistered, with two same-day homes in different ICB areas: the ICB is not chosen either (R-WP-GEN-2)', () => {
    const d = run([gp('2000-01-01', null), ...twoHomes, detention]);
    expect(d.icb).toMatchObject({ body: null, kind: 'undetermined' });
    expect(d.icb.ruleIds).toEqual(expect.arrayContaining(['R-WP-GEN-2', 'R-OR-6']));
  });

  it('two GP registrations from the same day naming different ICBs go to a person (R-OR-6, R-WP-GEN-1)', () => {
    const d = run([home('2000-01-01', 'LA-A', 'ICB-A'), gp('2020-01-01', 'ICB-B'), gp('2020-01-01', 'ICB-C'), detention]);
    expect(d.icb).toMatchObject({ body: null, kind: 'undetermined' });
    const item = d.needsHumanReview.find((r) => r.code === 'CONTRADICTORY-GP-REGISTRATIONS');
    expect(item?.ruleIds).toEqual(['R-OR-6', 'R-WP-GEN-1']);
    expect(new Set(item?.candidates?.map((c) => c.body))).toEqual(new Set(['ICB-B', 'ICB-C']));
    expect(d.localAuthority.body).toBe('LA-A');
  });
});

describe('R-OR-7 and missing residence', () => {
  it('no residence at all: no council is named and a person is asked', () => {
    const d = run([gp('2000-01-01', 'ICB-A'), detention]);
    expect(d.localAuthority).toMatchObject({ body: null, kind: 'undetermined' });
    expect(codes(d)).toContain('RESIDENCE-BEFORE-DETENTION-MISSING');
  });

  it('an area recorded without its council code is not guessed', () => {
    const d = run([
      gp('2000-01-01', 'ICB-A'),
      { type: 'residence', from: '2000-01-01', area: { country: 'england', icb: 'ICB-A' }, setting: 'own-home', basis: 'own-choice' },
      detention,
    ]);
    expect(d.localAuthority).toMatchObject({ body: null, kind: 'undetermined' });
    expect(codes(d)).toContain('LOCAL-AUTHORITY-CODE-MISSING');
  });
});

describe('R-CHILD-1 to R-CHILD-6: children and young people', () => {
  const born = { dateOfBirth: '2008-06-15' };
  const placedInB = home('2020-01-01', 'LA-B', 'ICB-B', { setting: 'other', arrangedBy: { body: 'LA-A', under: 'children-act-1989' } });

  it('R-CHILD-1/2: a child living with parents is owed aftercare where the family lives', () => {
    const d = run([settledInA, child('2008-06-15', 'living-with-parents'), detention], '2025-01-01', born);
    expect(d.eligibility.status).toBe('eligible');
    expect(d.localAuthority.body).toBe('LA-A');
    expect(d.localAuthority.ruleIds).toContain('R-CHILD-2');
    expect(codes(d)).toEqual([]);
  });

  it.each(['parents-living-apart', 'informal-arrangement'] as const)('R-CHILD-2: %s with homes in two areas goes to a person', (status) => {
    const d = run(
      [settledInA, home('2023-01-01', 'LA-C', 'ICB-C', { setting: 'family-home' }), child('2023-01-01', status), detention],
      '2025-01-01',
      born,
    );
    expect(d.localAuthority.body).toBeNull();
    expect(d.localAuthority.candidates?.map((c) => c.body)).toEqual(['LA-C', 'LA-A']);
    expect(d.needsHumanReview.find((r) => r.code === 'CHILD-BETWEEN-HOMES')?.ruleIds).toEqual(['R-CHILD-2']);
  });

  it('R-CHILD-2: parents living apart in the same area raises nothing', () => {
    const d = run(
      [settledInA, home('2023-01-01', 'LA-A', 'ICB-A', { setting: 'family-home' }), child('2023-01-01', 'parents-living-apart'), detention],
      '2025-01-01',
      born,
    );
    expect(d.localAuthority.body).toBe('LA-A');
    expect(codes(d)).toEqual([]);
  });

  it('R-CHILD-2: the family moving while the child is detained does not move the council', () => {
    const d = run(
      [
        settledInA,
        child('2008-06-15', 'living-with-parents'),
        detained('2024-01-10'),
        home('2024-02-01', 'LA-C', 'ICB-C'),
        discharged('2024-04-01'),
      ],
      '2025-01-01',
      born,
    );
    expect(d.localAuthority.body).toBe('LA-A');
  });

  it.each([
    { status: 'care-order' as const, extra: {}, bodies: ['LA-B', 'LA-A'] },
    { status: 's20-accommodated' as const, extra: { parentalResponsibility: ['parents' as const] }, bodies: ['LA-B', 'LA-A'] },
  ])('R-CHILD-3: a looked-after child ($status) placed out of area goes to a person', ({ status, extra, bodies }) => {
    const d = run(
      [gp('2008-06-15', 'ICB-B'), placedInB, child('2020-01-01', status, { authority: 'LA-A', ...extra }), detention],
      '2025-01-01',
      born,
    );
    expect(d.localAuthority).toMatchObject({ body: null, kind: 'undetermined' });
    expect(d.localAuthority.candidates?.map((c) => c.body)).toEqual(bodies);
    const item = d.needsHumanReview.find((r) => r.code === 'LOOKED-AFTER-CHILD-PLACED-OUT-OF-AREA');
    expect(item?.ruleIds).toEqual(['R-CHILD-3']);
  });

  it("R-CHILD-3: for a s20 child the parents' home in a third area is a candidate too", () => {
    const d = run(
      [
        home('2008-06-15', 'LA-P', 'ICB-P', { setting: 'family-home' }),
        gp('2008-06-15', 'ICB-B'),
        placedInB,
        child('2020-01-01', 's20-accommodated', { authority: 'LA-A' }),
        detention,
      ],
      '2025-01-01',
      born,
    );
    expect(d.localAuthority.candidates?.map((c) => c.body)).toEqual(['LA-B', 'LA-A', 'LA-P']);
  });

  it('R-CHILD-3: a looked-after child placed inside the looking-after area raises nothing', () => {
    const inA = home('2020-01-01', 'LA-A', 'ICB-A', { setting: 'other', arrangedBy: { body: 'LA-A', under: 'children-act-1989' } });
    const d = run(
      [gp('2008-06-15', 'ICB-A'), inA, child('2020-01-01', 'care-order', { authority: 'LA-A' }), detention],
      '2025-01-01',
      born,
    );
    expect(d.localAuthority.body).toBe('LA-A');
    expect(d.localAuthority.ruleIds).toContain('R-CHILD-3');
    expect(codes(d)).toEqual([]);
  });

  // A Children Act placement with no status recorded: the 18th birthday decides whether it is a child's placement.
  it.each([
    { name: 'detained the day before the 18th birthday: a child placed out of area, to a person', birth: '2006-01-11', body: null },
    { name: 'detained on the 18th birthday: an adult, ordinary meaning (R-LA-4), no question', birth: '2006-01-10', body: 'LA-B' },
  ])('R-CHILD-3/R-CHILD-6: $name', ({ birth, body }) => {
    const d = run([gp('2008-06-15', 'ICB-B'), placedInB, detention], '2025-01-01', { dateOfBirth: birth });
    expect(d.localAuthority.body).toBe(body);
  });

  it.each([
    { detention: '2026-02-28', under18: true },
    { detention: '2026-03-01', under18: false },
  ])('R-CHILD-6: a person born on 29 February turns 18 on 1 March in a common year (detained $detention)', ({ detention: on, under18 }) => {
    const d = run([gp('2010-01-01', 'ICB-B'), placedInB, detained(on), discharged('2026-06-01')], '2026-07-01', {
      dateOfBirth: '2008-02-29',
    });
    expect(d.localAuthority.body).toBe(under18 ? null : 'LA-B');
  });

  it('R-CHILD-6: turning 18 after discharge changes neither body and raises nothing', () => {
    const events: Events = [settledInA, child('2008-06-15', 'living-with-parents'), detained('2025-01-10', '3'), discharged('2025-04-01')];
    const before = run(events, '2026-06-14', born);
    const after = run(events, '2026-06-15', born);
    expect([after.localAuthority.body, after.icb.body]).toEqual([before.localAuthority.body, before.icb.body]);
    expect(codes(after)).toEqual(codes(before));
  });

  it('R-CHILD-5: a care leaver who chose their own accommodation is ordinarily resident there', () => {
    const flat = home('2024-01-01', 'LA-C', 'ICB-C', { arrangedBy: { body: 'LA-A', under: 'children-act-1989' } });
    const d = run(
      [settledInA, flat, child('2024-01-01', 'care-leaver', { authority: 'LA-A', chosenByYoungPerson: true }), detention],
      '2025-01-01',
      { dateOfBirth: '2005-01-01' },
    );
    expect(d.localAuthority.body).toBe('LA-C');
    expect(d.localAuthority.ruleIds).toContain('R-CHILD-5');
    expect(codes(d)).toEqual([]);
  });

  it.each([false, undefined])(
    'R-CHILD-5: a care leaver placed by the leaving-care authority (chosen by young person: %s) goes to a person',
    (chosen) => {
      const flat = home('2024-01-01', 'LA-C', 'ICB-C', { arrangedBy: { body: 'LA-A', under: 'children-act-1989' } });
      const status = child('2024-01-01', 'care-leaver', { authority: 'LA-A' });
      if (chosen !== undefined) status.chosenByYoungPerson = chosen;
      const d = run([settledInA, flat, status, detention], '2025-01-01', { dateOfBirth: '2005-01-01' });
      expect(d.localAuthority.body).toBeNull();
      expect(d.localAuthority.candidates?.map((c) => c.body)).toEqual(['LA-C', 'LA-A']);
      expect(d.needsHumanReview.find((r) => r.code === 'CARE-LEAVER-PLACED')?.ruleIds).toEqual(['R-CHILD-5']);
    },
  );
});
