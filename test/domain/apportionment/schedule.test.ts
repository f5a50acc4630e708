import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, fromDayNumber, toDayNumber, type LocalDate } from '#domain/dates.ts';
import type { FundingArrangement } from '#domain/applications/application.ts';
import { largestRemainder } from '#domain/money.ts';
import { fundedWeeklyCostOn, splitLine } from '#domain/apportionment/policy.ts';
import { dateOfDay, dayNumber, financialPeriod, isSanePeriodKey, periodOf, periodsBetween } from '#domain/apportionment/periods.ts';
import { fundingTerms, lineSchedule, payerCommitments, type PeriodCommitment } from '#domain/apportionment/schedule.ts';
import { arrangement, BY_CATEGORY, line, policy } from '../../support/finance-builder.ts';

describe('financial periods (April is period 1)', () => {
  it.each([
    ['2024-04', '2024/25', 1, '2024-04-01', '2024-04-30'],
    ['2024-12', '2024/25', 9, '2024-12-01', '2024-12-31'],
    ['2025-01', '2024/25', 10, '2025-01-01', '2025-01-31'],
    ['2024-02', '2023/24', 11, '2024-02-01', '2024-02-29'],
    ['2025-03', '2024/25', 12, '2025-03-01', '2025-03-31'],
    ['1999-04', '1999/00', 1, '1999-04-01', '1999-04-30'],
  ])('%s is %s period %i, %s to %s', (key, financialYear, period, start, end) => {
    expect(financialPeriod(key)).toStrictEqual({
      key,
      financialYear,
      period,
      start,
      end,
      startDay: toDayNumber(start),
      endDay: toDayNumber(end),
    });
  });

  it('refuses a key that is not YYYY-MM', () => {
    expect(() => financialPeriod('2024-13')).toThrow(RangeError);
  });

  it('lists the periods of a year in order', () => {
    expect(periodsBetween('2024-11', '2025-02')).toStrictEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
  });

  it('terminates on every value its type admits: early years, malformed keys, spans over a century (issue 12)', () => {
    // A year before 1000 once sent the financial-year loop round for ever ("0-04" <= "1-03", then NaN).
    expect(periodsBetween('0000-04', '0001-03')).toHaveLength(12);
    expect(periodsBetween('0001-04', '0001-03')).toStrictEqual([]);
    expect(() => periodsBetween('0-04', '1-03')).toThrow(RangeError);
    expect(() => periodsBetween('2024-04', 'zzzz')).toThrow(RangeError);
    expect(() => periodsBetween('0001-01', '9999-12')).toThrow(/at most 1200 periods/);
    expect(isSanePeriodKey('2024-04')).toBe(true);
    expect(isSanePeriodKey('0001-01')).toBe(false);
    expect(isSanePeriodKey('2200-01')).toBe(false);
  });
});

const agreed = arrangement('ARR-1', 'agreed', [
  ['ICB-A', 'icb', 5_000],
  ['LA-A', 'la', 5_000],
]);
const fixed50 = policy('FIX', { kind: 'fixed', icbBasisPoints: 5_000 });
const summary = (c: PeriodCommitment) => ({
  period: c.period.key,
  from: c.serviceFrom,
  to: c.serviceTo,
  days: c.days,
  gross: c.grossPence,
  rate: c.weeklyRatePence,
  shares: c.shares.map((s) => [s.body, s.basisPoints, s.pence]),
});

describe('lineSchedule', () => {
  it('carries the sub-penny remainder forward, so the periods add up to the exact total', () => {
    // £10 a week: April 4,285.71p exact, May 4,428.57p, June 4,285.71p; 91 days = 13 weeks = 13,000p.
    const terms = fundingTerms([agreed], [fixed50], 'surrey');
    const rows = [...lineSchedule(line({ id: 'L', weeklyCostPence: 1_000 }), terms, '2024-06-30')].map(summary);
    expect(rows).toStrictEqual([
      {
        period: '2024-04',
        from: '2024-04-01',
        to: '2024-04-30',
        days: 30,
        gross: 4_286,
        rate: 1_000,
        shares: [
          ['ICB-A', 5_000, 2_143],
          ['LA-A', 5_000, 2_143],
        ],
      },
      {
        period: '2024-05',
        from: '2024-05-01',
        to: '2024-05-31',
        days: 31,
        gross: 4_428,
        rate: 1_000,
        shares: [
          ['ICB-A', 5_000, 2_214],
          ['LA-A', 5_000, 2_214],
        ],
      },
      {
        period: '2024-06',
        from: '2024-06-01',
        to: '2024-06-30',
        days: 30,
        gross: 4_286,
        rate: 1_000,
        shares: [
          ['ICB-A', 5_000, 2_143],
          ['LA-A', 5_000, 2_143],
        ],
      },
    ]);
  });

  it('prices an uplift from its day, part-periods at the start and end, and no unit rate when it changed', () => {
    const terms = fundingTerms([agreed], [fixed50], 'surrey');
    const l = line({
      id: 'L',
      weeklyCostPence: 1_000,
      startDate: '2024-04-10',
      endDate: '2024-06-15',
      uplifts: [{ from: '2024-05-20', weeklyCostPence: 1_400 }],
    });
    expect([...lineSchedule(l, terms, '2025-03-31')].map(summary)).toStrictEqual([
      {
        period: '2024-04',
        from: '2024-04-10',
        to: '2024-04-30',
        days: 21,
        gross: 3_000,
        rate: 1_000,
        shares: [
          ['ICB-A', 5_000, 1_500],
          ['LA-A', 5_000, 1_500],
        ],
      },
      {
        period: '2024-05',
        from: '2024-05-01',
        to: '2024-05-31',
        days: 31,
        gross: 5_114,
        rate: null,
        shares: [
          ['ICB-A', 5_000, 2_557],
          ['LA-A', 5_000, 2_557],
        ],
      },
      {
        period: '2024-06',
        from: '2024-06-01',
        to: '2024-06-15',
        days: 15,
        gross: 3_000,
        rate: 1_400,
        shares: [
          ['ICB-A', 5_000, 1_500],
          ['LA-A', 5_000, 1_500],
        ],
      },
    ]);
  });

  it('shares a period by the days each arrangement was in force when the payers change mid-period', () => {
    const interim = arrangement('ARR-I', 'interim', [
      ['ICB-A', 'icb', 5_000],
      ['LA-A', 'la', 5_000],
    ]);
    const later = arrangement(
      'ARR-2',
      'agreed',
      [
        ['ICB-B', 'icb', 5_000],
        ['LA-A', 'la', 5_000],
      ],
      { startDate: '2024-04-16' },
    );
    const terms = fundingTerms([interim, later], [], 'surrey');
    const [april] = [...lineSchedule(line({ id: 'L', weeklyCostPence: 700 }), terms, '2024-04-30')];
    expect(april && summary(april)).toStrictEqual({
      period: '2024-04',
      from: '2024-04-01',
      to: '2024-04-30',
      days: 30,
      gross: 3_000,
      rate: 700,
      shares: [
        ['ICB-A', 2_500, 750],
        ['LA-A', 5_000, 1_500],
        ['ICB-B', 2_500, 750],
      ],
    });
    expect(april?.term.arrangement.id).toBe('ARR-2');
  });

  it('commits nothing before the first arrangement starts', () => {
    const terms = fundingTerms([arrangement('ARR', 'agreed', [['LA-A', 'la', 10_000]], { startDate: '2024-05-01' })], [], 'surrey');
    expect(
      [...lineSchedule(line({ id: 'L', weeklyCostPence: 700 }), terms, '2024-05-31')].map((c) => [
        c.period.key,
        c.serviceFrom,
        c.grossPence,
      ]),
    ).toStrictEqual([['2024-05', '2024-05-01', 3_100]]);
  });
});

describe('fundingTerms', () => {
  it('keeps interim shares whatever the policy, applies the policy in force to an agreed arrangement, and lets a final arrangement replace the interim one from its start', () => {
    const interim = arrangement('ARR-I', 'interim', [
      ['ICB-A', 'icb', 5_000],
      ['LA-A', 'la', 5_000],
    ]);
    const final = arrangement('ARR-F', 'agreed', [
      ['ICB-B', 'icb', 5_000],
      ['LA-A', 'la', 5_000],
    ]);
    const cat = policy('CAT', BY_CATEGORY, { effectiveFrom: '2024-06-01' });
    expect(fundingTerms([interim], [cat], 'surrey').map((t) => [t.from, t.arrangement.id, t.policy.id])).toStrictEqual([
      ['2024-04-01', 'ARR-I', 'arrangement:ARR-I'],
    ]);
    expect(
      fundingTerms([interim, final], [cat, policy('ELSEWHERE', BY_CATEGORY, { partnershipId: 'kent' })], 'surrey').map((t) => [
        t.from,
        t.arrangement.id,
        t.policy.id,
      ]),
    ).toStrictEqual([
      ['2024-04-01', 'ARR-F', 'arrangement:ARR-F'],
      ['2024-06-01', 'ARR-F', 'CAT'],
    ]);
  });
});

describe('payerCommitments', () => {
  it('sums each body over the lines per period', () => {
    const terms = fundingTerms([agreed], [policy('CAT', BY_CATEGORY)], 'surrey');
    const plan = {
      serviceLines: [
        line({ id: 'H', category: 'health', weeklyCostPence: 700 }),
        line({ id: 'S', category: 'social-care', weeklyCostPence: 1_400 }),
      ],
    };
    expect(payerCommitments(plan, terms, '2024-05-31')).toStrictEqual([
      { body: 'ICB-A', period: '2024-04', pence: 3_000 },
      { body: 'LA-A', period: '2024-04', pence: 6_000 },
      { body: 'ICB-A', period: '2024-05', pence: 3_100 },
      { body: 'LA-A', period: '2024-05', pence: 6_200 },
    ]);
  });
});

/** A random line with uplifts and one to three arrangements, some with two ICBs. */
const scenario = fc.record({
  weekly: fc.integer({ min: 0, max: 2_000_000 }),
  startOffset: fc.integer({ min: 0, max: 400 }),
  length: fc.integer({ min: 1, max: 900 }),
  open: fc.boolean(),
  uplifts: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 900 }), weekly: fc.integer({ min: 0, max: 2_000_000 }) }), {
    maxLength: 3,
  }),
  arrangements: fc.array(
    fc.record({
      offset: fc.integer({ min: 0, max: 600 }),
      icbA: fc.integer({ min: 0, max: 10_000 }),
      icbB: fc.integer({ min: 0, max: 10_000 }),
      la: fc.integer({ min: 0, max: 10_000 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  category: fc.constantFrom('health' as const, 'accommodation' as const, 'social-care' as const),
  usePolicy: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario) {
  const base: LocalDate = '2023-04-01';
  const start = addDays(base, s.startOffset);
  const l = line({
    id: 'L',
    weeklyCostPence: s.weekly,
    category: s.category,
    startDate: start,
    ...(s.open ? {} : { endDate: addDays(start, s.length) }),
    uplifts: s.uplifts.map((u) => ({ from: addDays(start, u.offset), weeklyCostPence: u.weekly })),
  });
  const arrangements: FundingArrangement[] = s.arrangements.map((a, i) => {
    const shares: [string, 'icb' | 'la', number][] = [];
    if (a.icbA > 0) shares.push(['ICB-A', 'icb', a.icbA]);
    if (a.icbB > 0) shares.push(['ICB-B', 'icb', a.icbB]);
    if (a.la > 0 || shares.length === 0) shares.push(['LA-A', 'la', Math.max(1, a.la)]);
    const bp = largestRemainder(
      10_000,
      shares.map(([, , w]) => w),
    );
    shares.forEach((sh, j) => {
      sh[2] = bp[j] ?? 0;
    });
    return arrangement(`ARR-${i}`, i === 0 ? 'interim' : 'agreed', shares, { startDate: addDays(base, a.offset) });
  });
  const terms = fundingTerms(arrangements, s.usePolicy ? [policy('CAT', BY_CATEGORY, { effectiveFrom: '2024-01-01' })] : [], 'surrey');
  return { l, terms, through: addDays(base, 1_200) };
}

describe('schedule properties', () => {
  it('periods sum to the exact total rounded once; each period is within a penny of its exact cost; shares sum to the gross, none negative', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { l, terms, through } = build(s);
        const periods = [...lineSchedule(l, terms, through)];
        // The exact cost and each body's exact share, day by day, independently of the period walk.
        const exactByPeriod = new Map<string, number>();
        const exactByBody = new Map<string, number>();
        let sevenths = 0;
        const first = terms[0] === undefined ? null : l.startDate > terms[0].from ? l.startDate : terms[0].from;
        const last = l.endDate !== undefined && l.endDate < through ? l.endDate : through;
        for (let d = first; d !== null && d <= last; d = addDays(d, 1)) {
          const term = terms.filter((t) => t.from <= d).at(-1);
          if (term === undefined) continue;
          const weekly = fundedWeeklyCostOn(l, d);
          sevenths += weekly;
          const key = periodOf(d).key;
          exactByPeriod.set(key, (exactByPeriod.get(key) ?? 0) + weekly / 7);
          for (const sh of splitLine(l, term.policy, term.bodies).shares)
            exactByBody.set(sh.body, (exactByBody.get(sh.body) ?? 0) + (weekly * sh.basisPoints) / 7 / 10_000);
        }
        const total = periods.reduce((a, p) => a + p.grossPence, 0);
        expect(total).toBe(Math.floor((2 * sevenths + 7) / 14));
        const byBody = new Map<string, number>();
        for (const p of periods) {
          expect(Math.abs(p.grossPence - (exactByPeriod.get(p.period.key) ?? 0))).toBeLessThan(1 + 1e-6);
          expect(p.shares.reduce((a, sh) => a + sh.pence, 0)).toBe(p.grossPence);
          expect(p.shares.every((sh) => Number.isInteger(sh.pence) && sh.pence >= 0)).toBe(true);
          expect(p.days).toBe(daysBetween(p.serviceFrom, p.serviceTo) + 1);
          for (const sh of p.shares) byBody.set(sh.body, (byBody.get(sh.body) ?? 0) + sh.pence);
        }
        for (const [body, pence] of byBody) expect(Math.abs(pence - (exactByBody.get(body) ?? 0))).toBeLessThanOrEqual(periods.length);
      }),
      { numRuns: 150 },
    );
  });
});

describe('day numbers', () => {
  it('match dates.ts from 1900 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_567, max: 2_932_896 }), (n) => {
        expect(dateOfDay(n)).toBe(fromDayNumber(n));
        expect(dayNumber(fromDayNumber(n))).toBe(toDayNumber(fromDayNumber(n)));
      }),
    );
  });
});
