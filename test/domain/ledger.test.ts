/**
 * The dated funding ledger (issue 13 item 2): what is in force on a day, to the penny, and that it reads
 * the same arrangement and split as the rest of the system (arrangementOn, the finance export).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FundingArrangement, ServiceLine } from '#domain/applications/application.ts';
import { addDays } from '#domain/dates.ts';
import { exportRows } from '#domain/exports/rows.ts';
import { arrangementOn } from '#domain/funding/funding-decisions.ts';
import { inForceOn, type LedgerCase } from '#domain/funding/ledger.ts';
import { arrangement, BY_CATEGORY, exportCase, line, policy } from '../support/finance-builder.ts';

const RUNS = { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 200) };
const POLICIES = [policy('CAT', BY_CATEGORY)];

const atSubmission = arrangement(
  'S',
  'interim',
  [
    ['ICB-A', 'icb', 5_000],
    ['LA-A', 'la', 5_000],
  ],
  { cause: 'submission' },
);
const agreed = arrangement(
  'A',
  'agreed',
  [
    ['ICB-A', 'icb', 5_000],
    ['LA-A', 'la', 5_000],
  ],
  { ruleIds: ['R-APP-1'] },
);

const plan: ServiceLine[] = [
  line({
    id: 'ACC',
    category: 'accommodation',
    weeklyCostPence: 100_001,
    uplifts: [{ from: '2025-04-01', weeklyCostPence: 104_001 }],
    topUp: {
      id: 'TU-1',
      payer: { kind: 'third-party', name: 'A relative' },
      usualCostWeeklyPence: 90_000,
      weeklyPence: 5_000,
      from: '2024-06-01',
      reviewDate: '2025-06-01',
      signedOn: '2024-05-20',
    },
  }),
  line({ id: 'HLT', category: 'health', weeklyCostPence: 33_333 }),
  line({ id: 'DAY', category: 'social-care', s117: false, weeklyCostPence: 7_000, startDate: '2024-05-01', endDate: '2024-12-31' }),
];

const theCase = (arrangements: FundingArrangement[]): LedgerCase => ({
  partnershipId: 'surrey',
  carePlan: { serviceLines: plan },
  arrangements,
});

describe('what is in force on a day', () => {
  it('nothing before the first arrangement starts', () => {
    expect(inForceOn(theCase([atSubmission]), POLICIES, '2024-03-31')).toStrictEqual({
      date: '2024-03-31',
      decision: null,
      lines: [],
      fundedWeeklyPence: 0,
      byBody: [],
    });
  });

  it('the interim recorded at submission shares every line by its own shares, without prejudice', () => {
    const day = inForceOn(theCase([atSubmission]), POLICIES, '2024-04-15');
    expect(day.decision).toStrictEqual({
      arrangementId: 'S',
      state: 'interim',
      withoutPrejudice: true,
      cause: 'submission',
      lead: 'LA-A',
      policyId: 'arrangement:S',
      policyVersion: 1,
      agreementRef: 'S',
      ruleIds: ['R-APP-1'],
    });
    expect(day.lines.map((l) => [l.lineId, l.basis, l.payers.map((p) => [p.body, p.basisPoints, p.weeklyPence])])).toStrictEqual([
      [
        'ACC',
        'ARRANGEMENT',
        [
          ['ICB-A', 5_000, 50_001],
          ['LA-A', 5_000, 50_000],
        ],
      ],
      [
        'HLT',
        'ARRANGEMENT',
        [
          ['ICB-A', 5_000, 16_667],
          ['LA-A', 5_000, 16_666],
        ],
      ],
    ]);
  });

  it('once agreed: the policy in force, uplifts and top-ups from their dates, a chargeable line under other law', () => {
    const c = theCase([atSubmission, agreed]);
    const summer = inForceOn(c, POLICIES, '2024-06-10');
    expect(summer.decision).toMatchObject({
      arrangementId: 'A',
      state: 'agreed',
      withoutPrejudice: false,
      policyId: 'CAT',
      policyVersion: 1,
    });
    expect(summer.decision?.cause).toBeUndefined();
    expect(
      summer.lines.map((l) => [
        l.lineId,
        l.s117,
        l.chargeable,
        l.weeklyCostPence,
        l.topUpWeeklyPence,
        l.fundedWeeklyPence,
        l.basis,
        l.payers.map((p) => [p.body, p.weeklyPence]),
      ]),
    ).toStrictEqual([
      [
        'ACC',
        true,
        false,
        100_001,
        5_000,
        95_001,
        'BY_CATEGORY',
        [
          ['ICB-A', 47_501],
          ['LA-A', 47_500],
        ],
      ],
      ['HLT', true, false, 33_333, 0, 33_333, 'BY_CATEGORY', [['ICB-A', 33_333]]],
      ['DAY', false, true, 7_000, 0, 7_000, 'OTHER_LAW', [['LA-A', 7_000]]],
    ]);
    expect(summer.fundedWeeklyPence).toBe(135_334);
    expect(summer.byBody).toStrictEqual([
      { body: 'ICB-A', party: 'icb', weeklyPence: 80_834 },
      { body: 'LA-A', party: 'la', weeklyPence: 54_500 },
    ]);

    const afterUplift = inForceOn(c, POLICIES, '2025-04-01');
    expect(afterUplift.lines.map((l) => [l.lineId, l.weeklyCostPence, l.fundedWeeklyPence])).toStrictEqual([
      ['ACC', 104_001, 99_001],
      ['HLT', 33_333, 33_333],
    ]);
  });

  it('a policy version dated later takes over from its date, and the day says which version', () => {
    const v2 = policy('CAT', { kind: 'fixed', icbBasisPoints: 6_000 }, { version: 2, effectiveFrom: '2025-04-01' });
    const c = theCase([atSubmission, agreed]);
    expect(inForceOn(c, [...POLICIES, v2], '2025-03-31').decision).toMatchObject({ policyId: 'CAT', policyVersion: 1 });
    const day = inForceOn(c, [...POLICIES, v2], '2025-04-01');
    expect(day.decision).toMatchObject({ policyId: 'CAT', policyVersion: 2 });
    expect(day.lines.find((l) => l.lineId === 'HLT')?.payers.map((p) => [p.body, p.basisPoints])).toStrictEqual([
      ['ICB-A', 6_000],
      ['LA-A', 4_000],
    ]);
  });

  it('agrees with the finance export: on every day of every month, the same payers at the same shares', () => {
    const c = theCase([atSubmission, agreed]);
    const rows = [
      ...exportRows([exportCase('app_1', { carePlan: c.carePlan, arrangements: [...c.arrangements] })], {
        batch: { id: 'B1', generatedAt: '2025-06-01T00:00:00.000Z', period: '2025-05' },
        from: '2024-04',
        to: '2025-05',
        policies: POLICIES,
      }),
    ];
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      for (let date = r.serviceFrom; date <= r.serviceTo; date = addDays(date, 1)) {
        const l = inForceOn(c, POLICIES, date).lines.find((x) => x.lineId === r.packageLineId);
        const payer = l?.payers.find((p) => p.body === r.payerOrgCode);
        expect([date, r.packageLineId, r.payerOrgCode, payer?.basisPoints, l?.basis]).toStrictEqual([
          date,
          r.packageLineId,
          r.payerOrgCode,
          r.payerSharePct,
          r.splitBasis,
        ]);
      }
    }
  });
});

const arrangementArb: fc.Arbitrary<FundingArrangement> = fc
  .record({
    state: fc.constantFrom('interim' as const, 'agreed' as const),
    startOffset: fc.integer({ min: 0, max: 400 }),
    icb: fc.integer({ min: 0, max: 10_000 }),
    secondIcb: fc.boolean(),
  })
  .map(({ state, startOffset, icb, secondIcb }) => {
    const shares: [string, 'icb' | 'la', number][] = [];
    if (icb > 0 && secondIcb) shares.push(['ICB-A', 'icb', Math.ceil(icb / 2)], ['ICB-B', 'icb', Math.floor(icb / 2)]);
    else if (icb > 0) shares.push(['ICB-A', 'icb', icb]);
    if (icb < 10_000) shares.push(['LA-A', 'la', 10_000 - icb]);
    return arrangement(
      `ARR-${startOffset}-${icb}`,
      state,
      shares.filter(([, , bp]) => bp > 0),
      {
        startDate: addDays('2024-04-01', startOffset),
      },
    );
  });

const lineArb = (n: number): fc.Arbitrary<ServiceLine> =>
  fc
    .record({
      category: fc.constantFrom(
        'health' as const,
        'social-care' as const,
        'accommodation' as const,
        'employment' as const,
        'other' as const,
      ),
      s117: fc.boolean(),
      weekly: fc.integer({ min: 0, max: 500_000 }),
      start: fc.integer({ min: 0, max: 300 }),
      length: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
      uplift: fc.option(fc.record({ after: fc.integer({ min: 1, max: 300 }), weekly: fc.integer({ min: 0, max: 600_000 }) }), {
        nil: undefined,
      }),
    })
    .map(({ category, s117, weekly, start, length, uplift }) => {
      const startDate = addDays('2024-04-01', start);
      const l = line({ id: `L${n}`, category, s117, weeklyCostPence: weekly, startDate });
      if (length !== undefined) l.endDate = addDays(startDate, length);
      if (uplift !== undefined) l.uplifts = [{ from: addDays(startDate, uplift.after), weeklyCostPence: uplift.weekly }];
      return l;
    });

describe('the ledger on every day (property)', () => {
  it('reads the arrangement arrangementOn names, and each line is shared exactly: pence sum to the funded weekly cost', () => {
    fc.assert(
      fc.property(
        fc.array(arrangementArb, { minLength: 1, maxLength: 5 }),
        fc.tuple(lineArb(1), lineArb(2), lineArb(3)),
        fc.integer({ min: -10, max: 800 }),
        (arrangements, lines, dayOffset) => {
          const date = addDays('2024-04-01', dayOffset);
          const c: LedgerCase = { partnershipId: 'surrey', carePlan: { serviceLines: lines }, arrangements };
          const day = inForceOn(c, POLICIES, date);
          expect(day.decision?.arrangementId ?? null).toBe(arrangementOn(arrangements, date)?.id ?? null);
          if (day.decision === null) {
            expect(day.lines).toStrictEqual([]);
            return;
          }
          for (const l of day.lines) {
            expect(l.payers.reduce((sum, p) => sum + p.weeklyPence, 0)).toBe(l.fundedWeeklyPence);
            expect(l.payers.reduce((sum, p) => sum + p.basisPoints, 0)).toBe(10_000);
            expect(l.payers.every((p) => p.weeklyPence >= 0 && p.basisPoints > 0)).toBe(true);
            expect(l.chargeable).toBe(!l.s117);
          }
          expect(day.byBody.reduce((sum, b) => sum + b.weeklyPence, 0)).toBe(day.fundedWeeklyPence);
        },
      ),
      RUNS,
    );
  });
});
