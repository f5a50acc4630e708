import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SERVICE_CATEGORIES, type ServiceCategory } from '#domain/applications/application.ts';
import {
  apportion,
  arrangementPolicy,
  bodiesOf,
  fundedWeeklyCostOn,
  policyInForce,
  splitLine,
  weeklyCostOn,
  type ApportionmentRule,
  type PayerBodies,
} from '#domain/apportionment/policy.ts';
import { arrangement, BY_CATEGORY, line, policy } from '../../support/finance-builder.ts';

const ICB_LA: PayerBodies = { icb: [{ body: 'ICB-A', weight: 1 }], la: [{ body: 'LA-A', weight: 1 }] };

describe('policyInForce', () => {
  const v1 = policy('P', { kind: 'fixed', icbBasisPoints: 5_000 }, { effectiveFrom: '2024-04-01', effectiveTo: '2025-03-31' });
  const v2 = policy('P', { kind: 'fixed', icbBasisPoints: 6_000 }, { version: 2, effectiveFrom: '2024-04-01', effectiveTo: '2025-03-31' });
  const next = policy('Q', BY_CATEGORY, { effectiveFrom: '2025-04-01' });

  it.each([
    { date: '2024-03-31', expected: null, why: 'before the first policy' },
    { date: '2024-04-01', expected: 'P@2', why: 'the first day: the higher version of the same start wins' },
    { date: '2025-03-31', expected: 'P@2', why: 'the last day of an ended policy is inclusive' },
    { date: '2025-04-01', expected: 'Q@1', why: 'the next policy from its first day' },
  ])('$date → $expected ($why)', ({ date, expected }) => {
    const p = policyInForce([next, v2, v1], date);
    expect(p === null ? null : `${p.id}@${p.version}`).toBe(expected);
  });

  it('a later-starting policy beats an earlier open-ended one', () => {
    const open = policy('OPEN', { kind: 'fixed', icbBasisPoints: 5_000 }, { effectiveFrom: '2020-01-01' });
    expect(policyInForce([open, next], '2025-06-01')?.id).toBe('Q');
  });
});

describe('splitLine: one row per rule and boundary', () => {
  const agreed = { icbBasisPoints: 3_333, panelDecisionRef: 'PANEL-17', decisionDate: '2024-05-02' };
  it.each<{
    name: string;
    rule: ApportionmentRule;
    category: ServiceCategory;
    s117?: boolean;
    agreed?: boolean;
    basis: string;
    shares: [string, number][];
  }>([
    {
      name: 'fixed 50:50 (Surrey)',
      rule: { kind: 'fixed', icbBasisPoints: 5_000 },
      category: 'social-care',
      basis: 'FIXED',
      shares: [
        ['ICB-A', 5_000],
        ['LA-A', 5_000],
      ],
    },
    { name: 'by category: health to the ICB', rule: BY_CATEGORY, category: 'health', basis: 'BY_CATEGORY', shares: [['ICB-A', 10_000]] },
    {
      name: 'by category: social care to the council',
      rule: BY_CATEGORY,
      category: 'social-care',
      basis: 'BY_CATEGORY',
      shares: [['LA-A', 10_000]],
    },
    {
      name: 'by category: accommodation shared',
      rule: BY_CATEGORY,
      category: 'accommodation',
      basis: 'BY_CATEGORY',
      shares: [
        ['ICB-A', 5_000],
        ['LA-A', 5_000],
      ],
    },
    {
      name: 'by category: employment as configured',
      rule: BY_CATEGORY,
      category: 'employment',
      basis: 'BY_CATEGORY',
      shares: [
        ['ICB-A', 2_500],
        ['LA-A', 7_500],
      ],
    },
    {
      name: 'per line: the panel split',
      rule: { kind: 'per-line', unagreedIcbBasisPoints: 5_000 },
      category: 'other',
      agreed: true,
      basis: 'PER_LINE_PANEL',
      shares: [
        ['ICB-A', 3_333],
        ['LA-A', 6_667],
      ],
    },
    {
      name: 'per line: not yet agreed, never blocks care (R-APP-1)',
      rule: { kind: 'per-line', unagreedIcbBasisPoints: 5_000 },
      category: 'other',
      basis: 'PER_LINE_UNAGREED',
      shares: [
        ['ICB-A', 5_000],
        ['LA-A', 5_000],
      ],
    },
    {
      name: 'lead commissioner (council) pays all',
      rule: { kind: 'lead-commissioner', lead: 'la' },
      category: 'health',
      basis: 'LEAD_COMMISSIONER',
      shares: [['LA-A', 10_000]],
    },
    {
      name: 'lead commissioner (ICB) pays all',
      rule: { kind: 'lead-commissioner', lead: 'icb' },
      category: 'social-care',
      basis: 'LEAD_COMMISSIONER',
      shares: [['ICB-A', 10_000]],
    },
    {
      name: 'not s117, health: NHS CHC under other law (R-CHC-1)',
      rule: { kind: 'fixed', icbBasisPoints: 5_000 },
      category: 'health',
      s117: false,
      basis: 'OTHER_LAW',
      shares: [['ICB-A', 10_000]],
    },
    {
      name: 'not s117, social care: Care Act under other law',
      rule: { kind: 'fixed', icbBasisPoints: 5_000 },
      category: 'social-care',
      s117: false,
      basis: 'OTHER_LAW',
      shares: [['LA-A', 10_000]],
    },
  ])('$name', ({ rule, category, s117, agreed: withPanel, basis, shares }) => {
    const l = line({ id: 'L1', category, s117: s117 ?? true, ...(withPanel ? { agreedSplit: agreed } : {}) });
    const split = splitLine(l, policy('P', rule), ICB_LA);
    expect(split.basis).toBe(basis);
    expect(split.shares.map((s) => [s.body, s.basisPoints])).toStrictEqual(shares);
    expect(split.panelDecisionRef).toBe(withPanel ? 'PANEL-17' : undefined);
  });

  it('splits the NHS side between two ICBs by their weights (interim Who Pays? 50:50)', () => {
    const interim = arrangement('ARR-1', 'interim', [
      ['ICB-A', 'icb', 2_500],
      ['ICB-B', 'icb', 2_500],
      ['LA-A', 'la', 5_000],
    ]);
    const split = splitLine(line({ id: 'L1' }), arrangementPolicy(interim, 'surrey'), bodiesOf(interim));
    expect(split).toStrictEqual({
      basis: 'ARRANGEMENT',
      shares: [
        { body: 'ICB-A', party: 'icb', basisPoints: 2_500 },
        { body: 'ICB-B', party: 'icb', basisPoints: 2_500 },
        { body: 'LA-A', party: 'la', basisPoints: 5_000 },
      ],
    });
  });

  it('gives the whole line to the one side that has a body when the other has none yet', () => {
    const split = splitLine(line({ id: 'L1', category: 'health' }), policy('P', BY_CATEGORY), {
      icb: [],
      la: [{ body: 'LA-A', weight: 1 }],
    });
    expect(split.shares).toStrictEqual([{ body: 'LA-A', party: 'la', basisPoints: 10_000 }]);
  });

  it('refuses a share outside 0..100%', () => {
    expect(() => splitLine(line({ id: 'L1' }), policy('P', { kind: 'fixed', icbBasisPoints: 10_001 }), ICB_LA)).toThrow(RangeError);
  });
});

describe('weekly cost on a date', () => {
  const l = line({
    id: 'L1',
    category: 'accommodation',
    weeklyCostPence: 120_000,
    uplifts: [
      { from: '2024-10-01', weeklyCostPence: 125_000 },
      { from: '2024-07-01', weeklyCostPence: 122_000 },
    ],
    topUp: {
      id: 'TU-1',
      payer: { kind: 'third-party', name: 'Sister' },
      usualCostWeeklyPence: 100_000,
      weeklyPence: 15_000,
      from: '2024-08-01',
      reviewDate: '2025-08-01',
      signedOn: '2024-07-20',
    },
  });
  it.each([
    ['2024-06-30', 120_000, 120_000],
    ['2024-07-01', 122_000, 122_000],
    ['2024-08-01', 122_000, 107_000],
    ['2024-10-01', 125_000, 110_000],
  ])('on %s the line costs %ip and the bodies fund %ip', (date, cost, funded) => {
    expect([weeklyCostOn(l, date), fundedWeeklyCostOn(l, date)]).toStrictEqual([cost, funded]);
  });
});

describe('apportion', () => {
  it('records the policy and splits each line in force to the penny', () => {
    const plan = {
      serviceLines: [
        line({ id: 'H', category: 'health', weeklyCostPence: 30_001 }),
        line({ id: 'A', category: 'accommodation', weeklyCostPence: 100_001 }),
        line({ id: 'ENDED', endDate: '2024-04-30' }),
      ],
    };
    const result = apportion(plan, policy('SURREY-CAT', BY_CATEGORY, { version: 3 }), ICB_LA, '2024-05-01');
    expect(result).toStrictEqual({
      policyId: 'SURREY-CAT',
      policyVersion: 3,
      date: '2024-05-01',
      weeklyTotalPence: 130_002,
      lines: [
        {
          lineId: 'H',
          category: 'health',
          s117: true,
          weeklyCostPence: 30_001,
          basis: 'BY_CATEGORY',
          shares: [{ body: 'ICB-A', party: 'icb', basisPoints: 10_000 }],
          weeklyPence: [30_001],
        },
        {
          lineId: 'A',
          category: 'accommodation',
          s117: true,
          weeklyCostPence: 100_001,
          basis: 'BY_CATEGORY',
          shares: [
            { body: 'ICB-A', party: 'icb', basisPoints: 5_000 },
            { body: 'LA-A', party: 'la', basisPoints: 5_000 },
          ],
          weeklyPence: [50_001, 50_000],
        },
      ],
    });
  });

  it('shares always sum to the weekly cost, and none is negative', () => {
    const rule = fc.oneof(
      fc.record({ kind: fc.constant('fixed' as const), icbBasisPoints: fc.integer({ min: 0, max: 10_000 }) }),
      fc.record({ kind: fc.constant('lead-commissioner' as const), lead: fc.constantFrom<'icb' | 'la'>('icb', 'la') }),
      fc.tuple(...SERVICE_CATEGORIES.map(() => fc.integer({ min: 0, max: 10_000 }))).map((bps): ApportionmentRule => ({
        kind: 'by-category',
        icbBasisPoints: Object.fromEntries(SERVICE_CATEGORIES.map((c, i) => [c, bps[i] ?? 0])) as Record<ServiceCategory, number>,
      })),
    );
    const side = (prefix: string) =>
      fc.uniqueArray(
        fc.record({ body: fc.integer({ min: 1, max: 9 }).map((n) => `${prefix}-${n}`), weight: fc.integer({ min: 1, max: 10_000 }) }),
        { maxLength: 3, selector: (b) => b.body },
      );
    fc.assert(
      fc.property(
        rule,
        side('ICB'),
        side('LA'),
        fc.array(
          fc.record({ cost: fc.integer({ min: 0, max: 5_000_000 }), category: fc.constantFrom(...SERVICE_CATEGORIES), s117: fc.boolean() }),
          { minLength: 1, maxLength: 6 },
        ),
        (r, icb, la, specs) => {
          fc.pre(icb.length + la.length > 0);
          const plan = {
            serviceLines: specs.map((s, i) => line({ id: `L${i}`, weeklyCostPence: s.cost, category: s.category, s117: s.s117 })),
          };
          const result = apportion(plan, policy('P', r), { icb, la }, '2024-06-01');
          for (const l of result.lines) {
            expect(l.weeklyPence.reduce((a, b) => a + b, 0)).toBe(l.weeklyCostPence);
            expect(l.shares.reduce((a, s) => a + s.basisPoints, 0)).toBe(10_000);
            expect(l.weeklyPence.every((p) => Number.isInteger(p) && p >= 0)).toBe(true);
          }
        },
      ),
    );
  });
});
