/**
 * R-OR-6 and R-HUMAN-1 as properties (issue 14 item 4): contradictory same-day records never produce a confident single
 * answer where they change it, and permuting or relabelling them never changes a confident answer without a flag.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates.ts';
import type { Area, CaseEvent, CaseFacts, MhaSection, ResidenceEvent } from '#domain/facts.ts';
import { determine } from '#domain/responsibility/determine.ts';
import type { ResponsibleBody } from '#domain/determination.ts';

const RUNS = { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 300) };
const AREAS: Area[] = [
  ...['A', 'B', 'C', 'D'].map((x) => ({ country: 'england' as const, la: `LA-${x}`, icb: `ICB-${x}` })),
  { country: 'wales', la: 'LA-W', icb: 'LHB-W' },
];
const QUALIFYING: MhaSection[] = ['3', '37', '37/41', '45A', '47', '48'];

const residenceArb = (from: string): fc.Arbitrary<ResidenceEvent> =>
  fc
    .record({
      area: fc.constantFrom(...AREAS),
      setting: fc.constantFrom<ResidenceEvent['setting']>('own-home', 'family-home', 'care-home', 'supported-living', 'hostel'),
      basis: fc.constantFrom<ResidenceEvent['basis']>('own-choice', 'own-choice', 'best-interests-decision', 'court-order', 'unknown'),
      nature: fc.option(fc.constantFrom<NonNullable<ResidenceEvent['nature']>>('settled', 'temporary', 'unknown'), { nil: undefined }),
      kept: fc.option(fc.boolean(), { nil: undefined }),
      placedBy: fc.option(fc.constantFrom('LA-A', 'LA-B'), { nil: undefined }),
    })
    .map(({ area, setting, basis, nature, kept, placedBy }) => {
      const r: ResidenceEvent = { type: 'residence', from, area, setting, basis };
      if (nature !== undefined) r.nature = nature;
      if (kept !== undefined) r.homeKeptElsewhere = kept;
      if (placedBy !== undefined) r.arrangedBy = { body: placedBy, under: 'mha-s117' };
      return r;
    });

/** A history whose deciding facts include a same-day pair: two homes (or two GP registrations) from one day. */
const contradictionArb = fc
  .record({
    day: fc.integer({ min: 0, max: 4000 }).map((n) => addDays('2015-04-01', n)),
    gap: fc.integer({ min: 1, max: 400 }),
    stay: fc.integer({ min: 1, max: 300 }),
    after: fc.integer({ min: 0, max: 400 }),
    section: fc.constantFrom(...QUALIFYING),
    nhse: fc.boolean(),
    gpPair: fc.boolean(),
    gps: fc.tuple(fc.constantFrom('ICB-A', 'ICB-B', 'ICB-C', null), fc.constantFrom('ICB-A', 'ICB-B', 'ICB-C', null)),
  })
  .chain((p) =>
    fc.tuple(fc.constant(p), residenceArb(p.day), p.gpPair ? fc.constant(null) : residenceArb(p.day)).map(([q, x, y]) => {
      const detention = addDays(q.day, q.gap);
      const discharge = addDays(detention, q.stay);
      const prior: CaseEvent[] = [
        { type: 'residence', from: '2000-01-01', area: AREAS[0] as Area, setting: 'own-home', basis: 'own-choice' },
        { type: 'gp-registration', from: '2000-01-01', icb: 'ICB-A' },
      ];
      const pair: CaseEvent[] =
        y === null
          ? [x, { type: 'gp-registration', from: q.day, icb: q.gps[0] }, { type: 'gp-registration', from: q.day, icb: q.gps[1] }]
          : [x, y];
      const tail: CaseEvent[] = [
        { type: 'detention', from: detention, section: q.section, ...(q.nhse ? { bedCommissionedBy: 'nhs-england' as const } : {}) },
        { type: 'detention-ended', date: discharge, outcome: 'discharged' },
        { type: 'left-hospital', date: discharge },
      ];
      return { prior, pair, tail, evaluationDate: addDays(discharge, q.after) };
    }),
  );

const build = (evaluationDate: string, events: CaseEvent[]): CaseFacts => ({ id: 'C-1', evaluationDate, events });
const confident = (b: ResponsibleBody): boolean => b.body !== null && b.provisional !== true;
const answer = (b: ResponsibleBody): string => `${b.kind}:${b.body ?? '-'}`;

/** Swaps two codes everywhere in the events: the relabelling the property must be indifferent to. */
function relabel(events: CaseEvent[], a: string, b: string): CaseEvent[] {
  const swap = (s: string) => (s === a ? b : s === b ? a : s);
  return JSON.parse(JSON.stringify(events), (_k, v: unknown) => (typeof v === 'string' ? swap(v) : v)) as CaseEvent[];
}

describe('contradictory same-day facts (R-OR-6, R-HUMAN-1)', () => {
  it('never give a confident single answer where the records, read one at a time, give different answers', () => {
    fc.assert(
      fc.property(contradictionArb, ({ prior, pair, tail, evaluationDate }) => {
        const both = determine(build(evaluationDate, [...prior, ...pair, ...tail]));
        const [first, ...rest] = pair;
        // One reading per record of the pair (the first record is common to the GP pair's readings).
        const readings =
          rest.length === 1
            ? [[first], rest]
            : [
                [first, rest[0]],
                [first, rest[1]],
              ];
        const answers = readings.map((r) => determine(build(evaluationDate, [...prior, ...(r as CaseEvent[]), ...tail])));
        for (const side of ['localAuthority', 'icb'] as const) {
          const differ = new Set(answers.map((d) => answer(d[side]))).size > 1;
          if (differ) {
            expect(confident(both[side]), `${side}: ${answers.map((d) => answer(d[side])).join(' vs ')}`).toBe(false);
            expect(both.needsHumanReview.length).toBeGreaterThan(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('permuting the pair or relabelling its areas never changes a confident answer, except by the relabelling itself', () => {
    fc.assert(
      fc.property(
        contradictionArb,
        fc.constantFrom<[string, string]>(['B', 'C'], ['A', 'D'], ['C', 'D']),
        ({ prior, pair, tail, evaluationDate }, [p, q]) => {
          const original = determine(build(evaluationDate, [...prior, ...pair, ...tail]));
          const permuted = determine(build(evaluationDate, [...prior, ...[...pair].reverse(), ...tail]));
          expect(permuted).toStrictEqual(original);
          const renamed = determine(
            build(evaluationDate, relabel(relabel([...prior, ...pair, ...tail], `LA-${p}`, `LA-${q}`), `ICB-${p}`, `ICB-${q}`)),
          );
          const back = (s: string | null) =>
            s === null ? null : s.replace(new RegExp(`-(${p}|${q})$`, 'u'), (_m, x: string) => `-${x === p ? q : p}`);
          for (const side of ['localAuthority', 'icb'] as const) {
            expect(confident(renamed[side])).toBe(confident(original[side]));
            if (confident(original[side])) expect(back(renamed[side].body)).toBe(original[side].body);
          }
          expect(renamed.needsHumanReview.map((r) => r.code).sort()).toEqual(original.needsHumanReview.map((r) => r.code).sort());
        },
      ),
      RUNS,
    );
  });
});
