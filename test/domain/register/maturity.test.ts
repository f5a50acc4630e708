import { describe, expect, it } from 'vitest';
import type { FundingArrangement, ServiceLine } from '#domain/applications/application.ts';
import type { CaseEvent } from '#domain/facts.ts';
import { DEFAULT_MATURITY_THRESHOLDS, levelFor, maturityReport, type PersonRegisterData } from '#domain/register/maturity.ts';
import { deriveEpisodes, reconcile, type Episode } from '#domain/register/register.ts';
import type { Review } from '#domain/register/reviews.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { application } from '../../support/application-builder.ts';
import { detained, discharged, endAftercare, gp, home } from '../../support/case-builder.ts';

const ASOF = '2025-12-01';
const first: CaseEvent[] = [
  home('2018-01-01', 'E10000034', 'QGH'),
  gp('2018-01-01', 'QGH'),
  detained('2025-01-10'),
  ...discharged('2025-03-10'),
];

function person(
  ref: string,
  events: CaseEvent[],
  extra: { practitioner?: boolean; reviews?: [number, string][] } = {},
): PersonRegisterData {
  const episodes: Episode[] = reconcile(
    { personRef: ref, partnershipId: 'test', at: '2025-01-01T00:00:00Z' },
    [],
    deriveEpisodes(ref, events, ASOF, DEFAULT_RULE_CONFIG),
  ).episodes.map((e) =>
    extra.practitioner === true && e.ended === undefined ? { ...e, namedPractitioner: { name: 'Sam', email: 'sam@example.org' } } : e,
  );
  const reviews = new Map<string, Review[]>();
  for (const [n, date] of extra.reviews ?? []) {
    const id = `${ref}-e${n}`;
    reviews.set(id, [
      ...(reviews.get(id) ?? []),
      {
        id: `r-${date}`,
        date,
        outcome: 'continue',
        personTookPart: true,
        participants: [],
        recordedAt: '',
        recordedBy: { userId: 'u', org: 'QGH' },
      },
    ]);
  }
  return { events, episodes, reviews };
}

const line: ServiceLine = {
  id: 'l1',
  description: 'Supported living',
  provider: 'Acme',
  category: 'accommodation',
  s117: true,
  weeklyCostPence: 155_000,
  startDate: '2025-03-10',
};
const arrangement = (state: 'interim' | 'agreed', createdAt: string): FundingArrangement => ({
  id: 'arr',
  state,
  withoutPrejudice: state === 'interim',
  startDate: '2025-03-10',
  lead: 'E10000034',
  shares: [],
  basis: '',
  ruleIds: [],
  createdAt,
});

describe('the maturity matrix, measured', () => {
  const people = [
    person(
      'p_a',
      [...first, home('2025-05-01', 'E06000030', 'QOX'), gp('2025-05-01', 'QOX'), detained('2025-07-01'), ...discharged('2025-09-01')],
      { practitioner: true, reviews: [[2, '2025-10-01']] },
    ),
    person('p_b', first),
    person('p_c', [...first, endAftercare('2025-10-15', ['no-longer-needs-aftercare'], { person: true })]),
  ];
  const applications = [
    application({
      id: 'app_i',
      partnershipId: 'test',
      status: 'interim',
      createdAt: '2025-10-01T09:00:00.000Z',
      carePlan: { serviceLines: [line] },
      arrangements: [arrangement('interim', '2025-10-02T09:00:00.000Z')],
    }),
    application({
      id: 'app_a',
      partnershipId: 'test',
      status: 'agreed',
      requestedStartDate: '2025-03-10',
      arrangements: [arrangement('agreed', '2025-03-20T09:00:00.000Z')],
    }),
    application({ id: 'app_other', partnershipId: 'elsewhere', status: 'in-dispute' }),
  ];

  it('computes every row from the register and the applications, and where the partnership sits', () => {
    const report = maturityReport({ partnershipId: 'test', asOf: ASOF, people, applications, wrongCharges: { count: 0, excessPence: 0 } });

    expect(report.statuses).toStrictEqual({ eligible: 0, active: 0, 'review-due': 2, ended: 1, 'ended-by-redetention': 1 });
    expect(report.rows.map((r) => [r.id, r.value, r.level])).toStrictEqual([
      ['register', 50, 'underdeveloped'],
      ['reviews-in-date', 50, 'underdeveloped'],
      ['disputes', 61, 'developing'],
      ['interim-funding', 155_000, 'mature'],
      ['days-to-agreed-funding', 10, 'developing'],
      ['readmissions', 33.3, 'underdeveloped'],
      ['endings-with-person', 100, 'mature'],
      ['wrong-charges', 0, 'mature'],
    ]);
    expect(report.rows[3]?.display).toBe('£1,550.00 a week under interim arrangements');
  });

  it('measures days to agreed funding from the clinically-ready date where one is recorded, not the requested start (issue 13 item 5)', () => {
    const agreedOn = (ready: string | undefined) =>
      maturityReport({
        partnershipId: 'test',
        asOf: ASOF,
        people,
        applications: [
          application({
            id: 'app_a',
            partnershipId: 'test',
            status: 'agreed',
            requestedStartDate: '2025-03-10',
            ...(ready === undefined
              ? {}
              : { discharge: { clinicallyReadyOn: ready, delayReasons: [], updatedAt: '2025-03-01T09:00:00.000Z' } }),
            arrangements: [arrangement('agreed', '2025-03-20T09:00:00.000Z')],
          }),
        ],
        wrongCharges: { count: 0, excessPence: 0 },
      }).rows.find((r) => r.id === 'days-to-agreed-funding')?.value;
    expect(agreedOn(undefined)).toBe(10);
    expect(agreedOn('2025-03-01')).toBe(19);
    expect(agreedOn('2025-03-20')).toBe(0);
  });

  it('a wrongly raised charge moves the charges row off mature', () => {
    const report = maturityReport({
      partnershipId: 'test',
      asOf: ASOF,
      people,
      applications,
      wrongCharges: { count: 1, excessPence: 5_000 },
    });
    expect(report.rows.at(-1)).toMatchObject({ value: 1, level: 'developing', display: '1 wrong charges, £50.00 to refund' });
  });

  it('an empty register has no data to judge, not a level', () => {
    const report = maturityReport({
      partnershipId: 'test',
      asOf: ASOF,
      people: [],
      applications: [],
      wrongCharges: { count: 0, excessPence: 0 },
    });
    expect(report.rows.map((r) => r.level)).toStrictEqual([
      'no-data',
      'no-data',
      'mature',
      'mature',
      'no-data',
      'no-data',
      'no-data',
      'mature',
    ]);
  });

  it.each([
    ['register', 95, 'mature'],
    ['register', 94.9, 'developing'],
    ['register', 69.9, 'underdeveloped'],
    ['disputes', 60, 'mature'],
    ['disputes', 120, 'developing'],
    ['disputes', 121, 'underdeveloped'],
    ['wrong-charges', 0, 'mature'],
    ['wrong-charges', 3, 'underdeveloped'],
  ] as const)('thresholds: %s at %s is %s', (id, value, level) => {
    expect(levelFor(id, value, DEFAULT_MATURITY_THRESHOLDS[id])).toBe(level);
  });
});
