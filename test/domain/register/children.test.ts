/** Children and young people on the register (issue 17 item 5): legal status from the facts, ages, transition dates. */
import { describe, expect, it } from 'vitest';
import { ageOn, childView, transitionMilestones, type ChildRecord } from '#domain/register/children.ts';
import type { CaseEvent } from '#domain/facts.ts';

const child = (over: Partial<ChildRecord> = {}): ChildRecord => ({
  dateOfBirth: '2009-04-02',
  updatedAt: '2025-01-01T00:00:00.000Z',
  ...over,
});

describe('ages and transition dates', () => {
  it('counts whole years, turning on the birthday itself', () => {
    expect([ageOn('2009-04-02', '2026-04-01'), ageOn('2009-04-02', '2026-04-02'), ageOn('2009-04-02', '2027-04-02')]).toStrictEqual([
      16, 17, 18,
    ]);
    // A leap-day birthday falls on 28 February in other years (the calendar's month arithmetic).
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(18);
  });

  it('a milestone at 18, reminded at 17, only for someone under 18 when the duty arose, and met once handed over', () => {
    expect(transitionMilestones(child(), '2025-06-01')).toStrictEqual([
      { key: 'transition-18', remindOn: '2026-04-02', dueOn: '2027-04-02', met: false, ruleIds: ['R-CHILD-6'] },
    ]);
    expect(transitionMilestones(child(), '2027-04-02')).toStrictEqual([]);
    expect(transitionMilestones(child(), undefined)).toStrictEqual([]);
    expect(transitionMilestones(undefined, '2025-06-01')).toStrictEqual([]);
    expect(
      transitionMilestones(child({ handover: { on: '2027-04-02', recordedAt: '2027-04-02T09:00:00.000Z' } }), '2025-06-01')[0]?.met,
    ).toBe(true);
  });
});

describe("childView: the child's legal status from the facts, with its rule", () => {
  const status = (s: Extract<CaseEvent, { type: 'child-status' }>['status'], from = '2020-01-01'): CaseEvent => ({
    type: 'child-status',
    from,
    status: s,
    authority: 'LA-A',
  });

  it.each([
    { s: 'living-with-parents' as const, rules: ['R-CHILD-1', 'R-CHILD-2'], person: false },
    { s: 'parents-living-apart' as const, rules: ['R-CHILD-1', 'R-CHILD-2'], person: true },
    { s: 'care-order' as const, rules: ['R-CHILD-1', 'R-CHILD-3', 'R-CHILD-4'], person: true },
    { s: 's20-accommodated' as const, rules: ['R-CHILD-1', 'R-CHILD-3', 'R-CHILD-4'], person: true },
    { s: 'care-leaver' as const, rules: ['R-CHILD-1', 'R-CHILD-5'], person: false },
  ])('$s → $rules (a person decides: $person)', ({ s, rules, person }) => {
    const view = childView(child(), [status(s)], '2025-06-01');
    expect([view.legalStatus.status, view.legalStatus.ruleIds, view.legalStatus.needsPerson, view.legalStatus.authority]).toStrictEqual([
      s,
      rules,
      person,
      'LA-A',
    ]);
    expect(view.legalStatus.explanation).toMatch(/^s117 applies at any age \(R-CHILD-1\)\. The young person /);
  });

  it('reads the status in force on the date (the latest from on or before it); none recorded says so', () => {
    const events = [status('living-with-parents', '2015-01-01'), status('care-order', '2024-09-01')];
    expect(childView(child(), events, '2024-08-31').legalStatus.status).toBe('living-with-parents');
    expect(childView(child(), events, '2024-09-01').legalStatus.status).toBe('care-order');
    expect(childView(child(), [], '2024-09-01').legalStatus).toMatchObject({ status: 'none', from: null, ruleIds: ['R-CHILD-1'] });
  });

  it('flags transition planning from 14 when none is recorded, and says turning 18 changes no body', () => {
    expect(childView(child(), [], '2023-04-01').transition.planningOverdue).toBe(false);
    const due = childView(child(), [], '2023-04-02');
    expect([due.age, due.transition.planningOverdue, due.transition.planningFrom]).toStrictEqual([14, true, '2023-04-02']);
    expect(due.transition.explanation).toContain('Transition planning is due from 14 (2023-04-02) and none is recorded.');
    const planned = childView(child({ transitionPlan: { startedOn: '2023-05-01' } }), [], '2024-01-01');
    expect(planned.transition.planningOverdue).toBe(false);
    const adult = childView(child({ handover: { on: '2027-04-02', recordedAt: '2027-04-02T09:00:00.000Z' } }), [], '2027-05-01');
    expect([adult.isChild, adult.transition.handedOver]).toStrictEqual([false, '2027-04-02']);
    expect(adult.transition.explanation).toContain('Turning 18 does not end, suspend or move the duty (R-CHILD-6).');
  });
});
