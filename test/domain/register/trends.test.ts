/** The maturity matrix's figures over time (issue 16, item 3): each point is what was known on its date. */
import { describe, expect, it } from 'vitest';
import type { FundingArrangement } from '#domain/applications/application.ts';
import { formatMeasure, thresholdText } from '#domain/register/maturity.ts';
import { ageBands, interimExposureOn, monthEnds, MAX_TREND_MONTHS } from '#domain/register/trends.ts';
import { application } from '../../support/application-builder.ts';

const arrangement = (state: 'interim' | 'agreed', startDate: string, createdAt: string): FundingArrangement => ({
  id: `arr-${state}-${createdAt}`,
  state,
  withoutPrejudice: state === 'interim',
  startDate,
  lead: 'LA-A',
  shares: [{ body: 'LA-A', party: 'la', basisPoints: 10_000 }],
  basis: 'test',
  ruleIds: [],
  createdAt,
});

const app = application({
  carePlan: {
    serviceLines: [
      { id: 'l', description: 'd', provider: 'p', category: 'health', s117: true, weeklyCostPence: 12_345, startDate: '2024-06-10' },
    ],
  },
  // Interim from 10 June; agreed in August, backdated to 10 June.
  arrangements: [arrangement('interim', '2024-06-10', '2024-06-01T09:00:00Z'), arrangement('agreed', '2024-06-10', '2024-08-15T09:00:00Z')],
});

describe('monthEnds', () => {
  it('gives the last day of each month, oldest first, ending on the date itself', () => {
    expect(monthEnds('2024-03-15', 4)).toStrictEqual(['2023-12-31', '2024-01-31', '2024-02-29', '2024-03-15']);
    expect(monthEnds('2024-03-15', 1)).toStrictEqual(['2024-03-15']);
    expect(monthEnds('2024-03-15', 1000)).toHaveLength(MAX_TREND_MONTHS);
  });
});

describe('interimExposureOn', () => {
  it('counts what was interim on the date, as known then: a later backdated agreement does not rewrite the past', () => {
    expect(interimExposureOn([app], 'test', '2024-06-05')).toStrictEqual({ date: '2024-06-05', weeklyPence: 0, arrangements: 0 });
    expect(interimExposureOn([app], 'test', '2024-07-31')).toStrictEqual({ date: '2024-07-31', weeklyPence: 12_345, arrangements: 1 });
    expect(interimExposureOn([app], 'test', '2024-08-31')).toStrictEqual({ date: '2024-08-31', weeklyPence: 0, arrangements: 0 });
    expect(interimExposureOn([app], 'another', '2024-07-31').weeklyPence).toBe(0);
  });
});

describe('ageBands', () => {
  it('counts ages into bands at the thresholds, each age in exactly one', () => {
    const bands = ageBands([0, 30, 31, 60, 61, 120, 121, 999], { mature: 60, developing: 120 });
    expect(bands.map((b) => [b.label, b.count])).toStrictEqual([
      ['0 to 30 days', 2],
      ['31 to 60 days', 2],
      ['61 to 120 days', 2],
      ['Over 120 days', 2],
    ]);
  });
});

describe('figures in words', () => {
  it('writes pence as pounds and pence, never raw pence', () => {
    expect(formatMeasure('pence-per-week', 200_000)).toBe('£2,000.00 a week');
    expect(formatMeasure('percent', 95)).toBe('95%');
    expect(formatMeasure('days', 1)).toBe('1 day');
    expect(thresholdText({ unit: 'pence-per-week', threshold: { mature: 200_000, developing: 1_000_000, better: 'lower' } })).toBe(
      'mature at most £2,000.00 a week; developing at most £10,000.00 a week',
    );
  });
});
