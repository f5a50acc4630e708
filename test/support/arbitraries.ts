/**
 * fast-check arbitraries for plausible s117 histories: a walk through life steps (moves, GP changes,
 * detentions and conversions, discharges, informal stays, CTOs, recalls, leave, prison, endings).
 */
import fc from 'fast-check';
import { addDays, type LocalDate } from '#domain/dates.ts';
import type { AftercareEndReason, CaseEvent, CaseFacts, DetentionOutcome, MhaSection, ResidenceEvent } from '#domain/facts.ts';

const AREAS = ['A', 'B', 'C', 'D', 'E'].map((x) => ({ country: 'england' as const, la: `LA-${x}`, icb: `ICB-${x}` }));
const SECTIONS: MhaSection[] = ['2', '3', '3', '3', '37', '37/41', '47', '48', '136', '45A'];
const OUTCOMES: DetentionOutcome[] = [
  'discharged',
  'discharged',
  'community-treatment-order',
  'conditional-discharge',
  'remained-informal',
];
const REASONS: AftercareEndReason[] = [
  'no-longer-needs-aftercare',
  'refuses-services',
  'time-elapsed',
  'moved-area',
  'discharged-from-specialist-services',
];

type Step =
  | { kind: 'move'; area: number; setting: ResidenceEvent['setting']; basis: ResidenceEvent['basis']; placedBy: number | null }
  | { kind: 'gp'; area: number | null }
  | { kind: 'detain'; section: number; nhse: boolean; hospital: number }
  | { kind: 'end'; outcome: number; leaveLater: boolean }
  | { kind: 'informal' }
  | { kind: 'leave'; which: 'escorted-day' | 'trial-placement' }
  | { kind: 'prison' }
  | { kind: 'aftercare-ended'; reasons: number[]; icb: boolean; la: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      area: fc.nat(4),
      setting: fc.constantFrom<ResidenceEvent['setting']>('own-home', 'supported-living', 'care-home', 'hostel'),
      basis: fc.constantFrom<ResidenceEvent['basis']>('own-choice', 'own-choice', 'best-interests-decision', 'condition-of-discharge'),
      placedBy: fc.option(fc.nat(4)),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('gp' as const), area: fc.option(fc.nat(4), { freq: 6 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('detain' as const),
      section: fc.nat(SECTIONS.length - 1),
      nhse: fc.boolean(),
      hospital: fc.nat(4),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('end' as const), outcome: fc.nat(OUTCOMES.length - 1), leaveLater: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('informal' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('leave' as const),
      which: fc.constantFrom('escorted-day' as const, 'trial-placement' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('prison' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('aftercare-ended' as const),
      reasons: fc.uniqueArray(fc.nat(REASONS.length - 1), { minLength: 1, maxLength: 2 }),
      icb: fc.boolean(),
      la: fc.boolean(),
    }),
  },
);

/** Turns steps into dated events; `days` are the gaps between steps (0 = same day). */
export function buildEvents(start: LocalDate, steps: Step[], days: number[]): CaseEvent[] {
  const events: CaseEvent[] = [
    { type: 'residence', from: start, area: AREAS[0] as (typeof AREAS)[number], setting: 'own-home', basis: 'own-choice' },
    { type: 'gp-registration', from: start, icb: 'ICB-A' },
  ];
  let date = start;
  steps.forEach((s, i) => {
    date = addDays(date, days[i] ?? 30);
    const area = (n: number) => AREAS[n] as (typeof AREAS)[number];
    switch (s.kind) {
      case 'move': {
        const r: ResidenceEvent = { type: 'residence', from: date, area: area(s.area), setting: s.setting, basis: s.basis };
        if (s.placedBy !== null && s.placedBy !== s.area) r.arrangedBy = { body: area(s.placedBy).la, under: 'mha-s117' };
        events.push(r);
        break;
      }
      case 'gp':
        events.push({ type: 'gp-registration', from: date, icb: s.area === null ? null : area(s.area).icb });
        break;
      case 'detain':
        events.push({
          type: 'detention',
          from: date,
          section: SECTIONS[s.section] as MhaSection,
          hospitalArea: area(s.hospital),
          ...(s.nhse ? { bedCommissionedBy: 'nhs-england' as const } : {}),
        });
        break;
      case 'end': {
        const outcome = OUTCOMES[s.outcome] as DetentionOutcome;
        events.push({ type: 'detention-ended', date, outcome });
        if (outcome !== 'remained-informal' || s.leaveLater)
          events.push({ type: 'left-hospital', date: s.leaveLater ? addDays(date, 3) : date });
        break;
      }
      case 'informal':
        events.push({ type: 'informal-admission', from: date, to: addDays(date, 20) });
        break;
      case 'leave':
        events.push({ type: 's17-leave', from: date, kind: s.which });
        break;
      case 'prison':
        events.push({ type: 'imprisonment', from: date, to: addDays(date, 90) });
        break;
      case 'aftercare-ended':
        events.push({
          type: 'aftercare-ended',
          date,
          icbAgreed: s.icb,
          laAgreed: s.la,
          personInvolved: true,
          reasons: s.reasons.map((r) => REASONS[r] as AftercareEndReason),
        });
        break;
    }
  });
  return events;
}

export const historyArb = (options: { start?: fc.Arbitrary<LocalDate> } = {}): fc.Arbitrary<CaseFacts> =>
  fc
    .record({
      start: options.start ?? fc.integer({ min: 0, max: 6000 }).map((n) => addDays('2005-01-01', n)),
      steps: fc.array(stepArb, { minLength: 1, maxLength: 25 }),
      gaps: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 25, maxLength: 25 }),
      tail: fc.integer({ min: 0, max: 800 }),
    })
    .map(({ start, steps, gaps, tail }) => {
      const events = buildEvents(start, steps, gaps);
      const last = events.reduce((m, e) => {
        const d = 'date' in e ? e.date : e.from;
        return d > m ? d : m;
      }, start);
      return { id: 'P-1', evaluationDate: addDays(last, tail), events };
    });
