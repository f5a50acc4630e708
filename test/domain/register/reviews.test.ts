import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '#domain/facts.ts';
import { statusOn } from '#domain/register/register.ts';
import {
  DEFAULT_REVIEW_SETTINGS,
  movesOfArea,
  nextReview,
  overdue,
  reviewSchedule,
  reviewsInDate,
  reviewTimes,
  type ReviewSettings,
} from '#domain/register/reviews.ts';
import { home } from '../../support/case-builder.ts';

const ARose = '2025-03-10';
const settled: CaseEvent[] = [home('2018-01-01', 'LA-A', 'ICB-A')];
const review = (id: string, date: string) => ({ id, date });
const schedule = (
  reviews: { id: string; date: string }[],
  events: CaseEvent[] = settled,
  settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
  ended?: string,
) => reviewSchedule({ arose: ARose, ended, events, reviews }, settings);
const summary = (s: ReturnType<typeof schedule>) => s.map((o) => [o.key, o.due, o.metBy?.date ?? null, o.metBy?.inDate ?? null]);

describe('review schedule (R-REVIEW-1 defaults, configurable)', () => {
  it('owes an eligibility review 6 weeks and a care plan review 3 months after leaving hospital, nothing before', () => {
    expect(summary(schedule([]))).toStrictEqual([
      ['eligibility', '2025-04-21', null, null],
      ['care-plan', '2025-06-10', null, null],
    ]);
    expect(reviewSchedule({ arose: undefined, ended: undefined, events: settled, reviews: [] })).toStrictEqual([]);
  });

  it('after the care plan review, owes one at least every 12 months from the last review', () => {
    expect(summary(schedule([review('r1', '2025-04-15'), review('r2', '2025-06-01'), review('r3', '2026-05-20')]))).toStrictEqual([
      ['eligibility', '2025-04-21', '2025-04-15', true],
      ['care-plan', '2025-06-10', '2025-06-01', true],
      ['annual-2026-06-01', '2026-06-01', '2026-05-20', true],
      ['annual-2027-05-20', '2027-05-20', null, null],
    ]);
  });

  it('a late first review meets the eligibility review late, and the care plan review is still owed', () => {
    const s = schedule([review('r1', '2025-04-25')]);
    expect(summary(s)).toStrictEqual([
      ['eligibility', '2025-04-21', '2025-04-25', false],
      ['care-plan', '2025-06-10', null, null],
    ]);
    expect(nextReview(s)?.key).toBe('care-plan');
  });

  it('a move to another council area owes a review within 6 weeks of the move', () => {
    const events = [...settled, home('2025-08-01', 'LA-B', 'ICB-B')];
    expect(movesOfArea(events, ARose)).toStrictEqual(['2025-08-01']);
    expect(summary(schedule([review('r1', '2025-04-15'), review('r2', '2025-06-01')], events))).toStrictEqual([
      ['eligibility', '2025-04-21', '2025-04-15', true],
      ['care-plan', '2025-06-10', '2025-06-01', true],
      ['move-2025-08-01', '2025-09-12', null, null],
      ['annual-2026-06-01', '2026-06-01', null, null],
    ]);
  });

  it('a move within the same council, or before aftercare began, owes no extra review', () => {
    expect(movesOfArea([...settled, home('2025-08-01', 'LA-A', 'ICB-A', { setting: 'supported-living' })], ARose)).toStrictEqual([]);
    expect(movesOfArea([home('2018-01-01', 'LA-B', 'ICB-B'), home('2024-01-01', 'LA-A', 'ICB-A')], ARose)).toStrictEqual([]);
  });

  it('takes its figures from the partnership configuration', () => {
    const custom: ReviewSettings = { ...DEFAULT_REVIEW_SETTINGS, eligibilityReviewWeeks: 4, carePlanReviewMonths: 2, moveReviewWeeks: 0 };
    expect(summary(schedule([], [...settled, home('2025-08-01', 'LA-B', 'ICB-B')], custom))).toStrictEqual([
      ['eligibility', '2025-04-07', null, null],
      ['care-plan', '2025-05-10', null, null],
    ]);
  });

  it('an ended episode owes no review falling due after its end', () => {
    expect(summary(schedule([], settled, DEFAULT_REVIEW_SETTINGS, '2025-05-01'))).toStrictEqual([
      ['eligibility', '2025-04-21', null, null],
    ]);
  });

  it('reminds 14 days before a review falls due and escalates the day after', () => {
    const first = schedule([])[0];
    if (first === undefined) throw new Error('no obligation');
    expect(reviewTimes(first)).toStrictEqual({ remindOn: '2025-04-07', escalateOn: '2025-04-22' });
  });

  it.each([
    ['the day it falls due', '2025-04-21', true, 'review-due'],
    ['the day after it falls due', '2025-04-22', false, 'review-due'],
    ['inside the reminder lead', '2025-04-07', true, 'review-due'],
    ['before the reminder lead', '2025-04-06', true, 'active'],
  ])('on %s: in date %s, status %s', (_, asOf, inDate, status) => {
    expect(reviewsInDate(schedule([]), asOf)).toBe(inDate);
    expect(overdue(schedule([]), asOf).map((o) => o.key)).toStrictEqual(inDate ? [] : ['eligibility']);
    expect(statusOn({ dutyArose: ARose }, { events: settled, reviews: [], asOf })).toBe(status);
  });

  it('status: eligible before the duty arises, ended, ended by re-detention', () => {
    expect(statusOn({}, { events: settled, reviews: [], asOf: '2025-03-01' })).toBe('eligible');
    expect(
      statusOn(
        { dutyArose: ARose, ended: { date: '2025-07-01', by: 're-detention' } },
        { events: settled, reviews: [], asOf: '2025-07-01' },
      ),
    ).toBe('ended-by-redetention');
    expect(
      statusOn(
        { dutyArose: ARose, ended: { date: '2025-07-01', by: 'joint-decision' } },
        { events: settled, reviews: [], asOf: '2025-07-02' },
      ),
    ).toBe('ended');
    expect(
      statusOn(
        { dutyArose: ARose, ended: { date: '2025-07-01', by: 'joint-decision' } },
        { events: settled, reviews: [review('r', '2025-04-01')], asOf: '2025-04-02' },
      ),
    ).toBe('active');
  });
});
