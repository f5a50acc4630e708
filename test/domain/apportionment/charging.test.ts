import { describe, expect, it } from 'vitest';
import type { TopUpAgreement } from '#domain/applications/application.ts';
import { chargeability, checkTopUp, wrongCharges, type PersonCharge } from '#domain/apportionment/charging.ts';
import { line } from '../../support/finance-builder.ts';

const topUp: TopUpAgreement = {
  id: 'TU-1',
  payer: { kind: 'person' },
  usualCostWeeklyPence: 100_000,
  weeklyPence: 15_000,
  from: '2024-05-01',
  reviewDate: '2025-05-01',
  signedOn: '2024-04-20',
};
const home = line({ id: 'HOME', category: 'accommodation', weeklyCostPence: 120_000, startDate: '2024-04-01', topUp });
const support = line({ id: 'SUPPORT', category: 'social-care', weeklyCostPence: 35_000 });
const careAct = line({ id: 'CARE-ACT', category: 'social-care', s117: false, weeklyCostPence: 20_000 });
const plan = { serviceLines: [home, support, careAct] };

const charge = (
  id: string,
  lineId: string,
  amountPence: number,
  from = '2024-05-01',
  to = '2024-05-28',
  payer: PersonCharge['payer'] = 'person',
): PersonCharge => ({ id, lineId, from, to, amountPence, payer });

describe('chargeability', () => {
  it('an s117 line is free to the person (R-CHG-1) and a line under other law is chargeable under it', () => {
    expect([chargeability(support), chargeability(careAct)]).toStrictEqual([
      { lineId: 'SUPPORT', chargeable: false, basis: 'free-s117', ruleIds: ['R-CHG-1', 'R-CHG-2'] },
      { lineId: 'CARE-ACT', chargeable: true, basis: 'other-law', ruleIds: ['R-CHC-1'] },
    ]);
  });
});

describe('checkTopUp (R-CHG-3)', () => {
  it('accepts a top-up up to the cost above the usual cost, and reports that maximum', () => {
    expect(checkTopUp(home, topUp)).toStrictEqual({ kind: 'valid', maximumWeeklyPence: 20_000 });
  });

  it.each<[string, Partial<TopUpAgreement>, string]>([
    ['more than the excess', { weeklyPence: 20_001 }, 'The top-up (20001p a week) exceeds the cost above the usual cost (20000p a week).'],
    ['a review date before the start', { reviewDate: '2024-05-01' }, 'The review date must fall after the top-up starts.'],
    ['signed after it starts', { signedOn: '2024-05-02' }, 'The agreement must be signed before the top-up is first payable.'],
    ['an unnamed third party', { payer: { kind: 'third-party', name: ' ' } }, 'A third-party payer must be named.'],
    [
      'a usual cost at or above the actual cost',
      { usualCostWeeklyPence: 120_000 },
      'The preferred accommodation does not cost more than the usual cost, so nothing is payable by the person or anyone else.',
    ],
  ])('refuses %s', (_name, change, reason) => {
    const result = checkTopUp(home, { ...topUp, ...change });
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' ? result.reasons : []).toContain(reason);
  });

  it('refuses a top-up on a line that is not accommodation', () => {
    expect(checkTopUp(support, topUp)).toStrictEqual({
      kind: 'invalid',
      reasons: [
        'A top-up applies only to s117 accommodation chosen by the person.',
        'The preferred accommodation does not cost more than the usual cost, so nothing is payable by the person or anyone else.',
        'The top-up (15000p a week) exceeds the cost above the usual cost (0p a week).',
      ],
    });
  });
});

describe('wrongCharges', () => {
  it('finds none when the person is charged exactly the agreed top-up, and none for a line under other law', () => {
    // Four weeks of £150 = £600.
    expect(wrongCharges(plan, [charge('C1', 'HOME', 60_000), charge('C2', 'CARE-ACT', 80_000)])).toStrictEqual([]);
  });

  it('flags any charge for an s117 line without a top-up, in full', () => {
    expect(wrongCharges(plan, [charge('C1', 'SUPPORT', 1)])).toStrictEqual([
      { chargeId: 'C1', lineId: 'SUPPORT', excessPence: 1, reason: 's117 aftercare is free: no charge may be made for it (R-CHG-1).' },
    ]);
  });

  it('flags the part of a top-up charge above the agreed amount', () => {
    expect(wrongCharges(plan, [charge('C1', 'HOME', 60_001)])).toStrictEqual([
      {
        chargeId: 'C1',
        lineId: 'HOME',
        excessPence: 1,
        reason: 'Only the agreed top-up above the usual cost may be charged for s117 accommodation (R-CHG-3).',
      },
    ]);
  });

  it('allows nothing before the agreement starts, and nothing from someone the agreement does not name', () => {
    expect(
      wrongCharges(plan, [
        charge('EARLY', 'HOME', 15_000, '2024-04-01', '2024-04-07'),
        charge('OTHER', 'HOME', 15_000, '2024-05-01', '2024-05-07', 'third-party'),
      ]).map((w) => [w.chargeId, w.excessPence]),
    ).toStrictEqual([
      ['EARLY', 15_000],
      ['OTHER', 15_000],
    ]);
  });

  it('flags a charge for a line the plan does not have', () => {
    expect(wrongCharges(plan, [charge('C9', 'GHOST', 500)])).toStrictEqual([
      { chargeId: 'C9', lineId: 'GHOST', excessPence: 500, reason: 'The charge names no line of the care plan.' },
    ]);
  });
});
