/**
 * The dispute clocks on each side of their edges: the deadline day starts at midnight UTC (not a millisecond
 * earlier), reminders fall every reminderDays from the stage's start, and the statutory periods (four months to
 * refer, 14 days for legal arguments, three months to ask for a review) land on the exact day.
 */
import { describe, expect, it } from 'vitest';
import {
  classifyDispute,
  daysLeft,
  deadlinePassed,
  legalArgumentsDueDate,
  nextWake,
  openDispute,
  referralDueDate,
  remindersDue,
  reviewWindowEndDate,
  stageDeadline,
  type Dispute,
} from '#domain/disputes/dispute.ts';
import { DEFAULT_DISPUTE_SETTINGS, disputeSettings } from '#domain/disputes/settings.ts';
import type { OrganisationKind } from '#domain/partnership.ts';
import { application } from '../../support/application-builder.ts';

const S = DEFAULT_DISPUTE_SETTINGS;
const KINDS: Record<string, OrganisationKind> = { 'ICB-A': 'icb', 'ICB-B': 'icb', 'LA-A': 'la', 'LA-B': 'la' };

function icbDispute(at = '2025-01-15T10:00:00.000Z'): Dispute {
  const app = application({
    status: 'interim',
    responses: { icb: { party: 'icb', body: 'ICB-A', decision: 'dispute', reason: 'x', at, by: 'u', proposedBody: 'ICB-B' } },
  });
  const c = classifyDispute(app, (org) => KINDS[org]);
  if (c === null) throw new Error('no dispute');
  return openDispute({ id: 'dsp_1', app, classification: c, lead: 'ICB-A', interimArrangementId: 'arr_1', settings: S, at });
}

describe('the stage deadline (local resolution: 28 days from 15 January is 12 February)', () => {
  const d = icbDispute();

  it('is the start of the deadline day, not a millisecond before', () => {
    expect(d.stages[0]?.deadline).toBe('2025-02-12');
    expect(deadlinePassed(d, '2025-02-11T23:59:59.999Z')).toBe(false);
    expect(deadlinePassed(d, '2025-02-12T00:00:00.000Z')).toBe(true);
  });

  it('counts days left to it, reaching zero on the day and negative after', () => {
    expect([daysLeft(d, '2025-02-11'), daysLeft(d, '2025-02-12'), daysLeft(d, '2025-02-13')]).toStrictEqual([1, 0, -1]);
  });

  it('wakes at the deadline when it falls on a reminder instant, and a second before it wakes in one second', () => {
    const at = '2025-01-15T00:00:00.000Z'; // the 4th reminder (28 days) and the deadline are the same instant
    const aligned = icbDispute(at);
    expect(nextWake(aligned, '2025-02-05T00:00:00.000Z', S)).toStrictEqual({ seconds: 7 * 86_400, due: 'deadline', reminder: 4 });
    expect(nextWake(aligned, '2025-02-11T23:59:59.000Z', S)).toStrictEqual({ seconds: 1, due: 'deadline', reminder: 4 });
  });

  it.each([
    ['local-resolution', '2025-02-12'],
    ['nhse-regional', '2025-02-12'],
    ['nhse-national', '2025-02-26'],
    ['joint-panel', '2025-02-12'],
    ['executive-leads', '2025-02-12'],
    ['secretary-of-state', '2025-07-14'],
    ['pre-referral', '2025-05-10'],
  ] as const)('%s started on 15 January is due %s', (stage, due) => {
    expect(stageDeadline(stage, '2025-01-15', '2025-01-10', S)).toBe(due);
  });

  it('uses the partnership settings for each stage', () => {
    const custom = disputeSettings({
      nhs: { localResolutionDays: 10, regionalDays: 11, nationalDays: 12 },
      la: { determinationWaitDays: 13 },
      icbLa: { jointPanelDays: 14, executiveLeadsDays: 15 },
    });
    const due = (
      ['local-resolution', 'nhse-regional', 'nhse-national', 'secretary-of-state', 'joint-panel', 'executive-leads'] as const
    ).map((s) => stageDeadline(s, '2025-01-01', '2024-12-01', custom));
    expect(due).toStrictEqual(['2025-01-11', '2025-01-12', '2025-01-13', '2025-01-14', '2025-01-15', '2025-01-16']);
  });
});

describe('reminders fall every reminderDays from the start of the stage', () => {
  const d = icbDispute('2025-01-15T10:00:00.000Z');
  it.each([
    ['2025-01-15T10:00:00.000Z', 0],
    ['2025-01-22T09:59:59.999Z', 0],
    ['2025-01-22T10:00:00.000Z', 1],
    ['2025-01-29T09:59:59.999Z', 1],
    ['2025-01-29T10:00:00.000Z', 2],
    ['2025-01-01T00:00:00.000Z', 0],
  ])('at %s, %i reminders are due', (now, n) => {
    expect(remindersDue(d, now, S)).toBe(n);
  });
});

describe('statutory periods between councils (SI 2014/2829, Care Act s40)', () => {
  it.each([
    ['2025-05-15', '2025-05-29'],
    ['2025-12-25', '2026-01-08'],
  ])('legal arguments for a referral on %s are due %s (14 days, R-DISP-LA-7)', (referred, due) => {
    expect(legalArgumentsDueDate(referred)).toBe(due);
  });

  it.each([
    ['2025-06-10', '2025-09-10'],
    ['2025-11-30', '2026-02-28'],
    ['2023-11-30', '2024-02-29'],
  ])('a review of a determination made on %s must begin by %s (three months, R-DISP-LA-8)', (determined, ends) => {
    expect(reviewWindowEndDate(determined)).toBe(ends);
  });

  it.each([
    ['2025-01-14', '2025-05-14'],
    ['2025-01-15', '2025-05-15'],
    ['2025-01-16', '2025-05-16'],
  ])('a dispute arising on %s must be referred by %s', (date, due) => {
    expect(referralDueDate(date)).toBe(due);
  });
});
