/**
 * Discharge-ready and delays (issue 13 item 5): who is ready to leave hospital but still there, days since ready,
 * and what they wait for. A row on each side of every boundary: the ready day, the discharge day, leaving
 * hospital, a final funding decision, a closed application, another partnership, the escalation threshold.
 */
import { describe, expect, it } from 'vitest';
import type { Application, DischargeReadiness, FundingArrangement } from '#domain/applications/application.ts';
import {
  DEFAULT_FUNDING_ESCALATION_DAYS,
  changeDischarge,
  delayOn,
  delaysOn,
  fundingDecisionPending,
  fundingEscalationDue,
  leftHospitalOn,
  readyForCareOn,
} from '#domain/applications/discharge.ts';
import type { CaseEvent } from '#domain/facts.ts';
import { application } from '../support/application-builder.ts';

const AT = '2024-06-01T09:00:00.000Z';
const ready = (d: Partial<DischargeReadiness> = {}): DischargeReadiness => ({
  clinicallyReadyOn: '2024-06-03',
  delayReasons: [],
  updatedAt: AT,
  ...d,
});
const arrangement = (state: FundingArrangement['state']): FundingArrangement => ({
  id: `arr-${state}`,
  state,
  withoutPrejudice: state === 'interim',
  startDate: '2024-06-10',
  lead: 'LA-A',
  shares: [{ body: 'LA-A', party: 'la', basisPoints: 10_000 }],
  basis: 'test',
  ruleIds: [],
  createdAt: AT,
});
const waiting = (overrides: Partial<Application> = {}): Application =>
  application({ discharge: ready(), arrangements: [arrangement('interim')], ...overrides });

describe('delayOn', () => {
  it('counts from the ready day: not waiting the day before, 0 days on the day, 1 the day after', () => {
    expect(delayOn(waiting(), '2024-06-02')).toBeNull();
    expect(delayOn(waiting(), '2024-06-03')?.daysSinceReady).toBe(0);
    expect(delayOn(waiting(), '2024-06-04')?.daysSinceReady).toBe(1);
  });

  it('no ready date, or no readiness at all: nobody is waiting', () => {
    expect(delayOn(application({ arrangements: [arrangement('interim')] }), '2024-07-01')).toBeNull();
    const noDate: DischargeReadiness = { expectedDischargeOn: '2024-06-20', delayReasons: [{ reason: 'housing' }], updatedAt: AT };
    expect(delayOn(waiting({ discharge: noDate }), '2024-07-01')).toBeNull();
  });

  it('the recorded discharge ends the wait on its day, not the day before', () => {
    const app = waiting({ discharge: ready({ dischargedOn: '2024-06-20' }) });
    expect(delayOn(app, '2024-06-19')?.daysSinceReady).toBe(16);
    expect(delayOn(app, '2024-06-20')).toBeNull();
  });

  it('leaving hospital in the facts ends the wait; a transfer to another hospital does not', () => {
    const withEvents = (events: CaseEvent[]) => waiting({ facts: { ...waiting().facts, events: [...waiting().facts.events, ...events] } });
    const left = withEvents([{ type: 'left-hospital', date: '2024-06-15' }]);
    expect(delayOn(left, '2024-06-14')).not.toBeNull();
    expect(delayOn(left, '2024-06-15')).toBeNull();
    expect(
      delayOn(withEvents([{ type: 'left-hospital', date: '2024-06-15', destination: 'another-hospital-as-inpatient' }]), '2024-06-20'),
    ).not.toBeNull();
    // Left before the ready day: an earlier stay, not this one.
    expect(delayOn(withEvents([{ type: 'left-hospital', date: '2024-06-02' }]), '2024-06-20')).not.toBeNull();
  });

  it('waits for a funding decision until an agreed arrangement is in force', () => {
    expect(delayOn(waiting({ arrangements: [] }), '2024-06-10')).toMatchObject({ waitingFor: ['funding-decision'], fundingState: 'none' });
    expect(delayOn(waiting(), '2024-06-10')).toMatchObject({ waitingFor: ['funding-decision'], fundingState: 'interim' });
    expect(delayOn(waiting({ arrangements: [arrangement('interim'), arrangement('agreed')] }), '2024-06-10')).toMatchObject({
      waitingFor: [],
      fundingState: 'agreed',
    });
  });

  it('lists recorded reasons in a fixed order, with their details, and funding once', () => {
    const app = waiting({
      discharge: ready({
        delayReasons: [{ reason: 'other', detail: 'Awaiting a tribunal date' }, { reason: 'housing' }, { reason: 'funding-decision' }],
      }),
    });
    expect(delayOn(app, '2024-06-10')).toMatchObject({
      waitingFor: ['funding-decision', 'housing', 'other'],
      details: ['Awaiting a tribunal date'],
    });
  });

  it('a withdrawn or not-eligible application is not counted; a disputed one is', () => {
    expect(delayOn(waiting({ status: 'withdrawn' }), '2024-06-10')).toBeNull();
    expect(delayOn(waiting({ status: 'not-eligible' }), '2024-06-10')).toBeNull();
    expect(delayOn(waiting({ status: 'in-dispute' }), '2024-06-10')).not.toBeNull();
  });
});

describe('delaysOn', () => {
  it("lists only the partnership's people, longest wait first, then by application id", () => {
    const apps = [
      waiting({ id: 'app_b', discharge: ready({ clinicallyReadyOn: '2024-06-03' }) }),
      waiting({ id: 'app_a', discharge: ready({ clinicallyReadyOn: '2024-06-03' }) }),
      waiting({ id: 'app_c', discharge: ready({ clinicallyReadyOn: '2024-06-01' }) }),
      waiting({ id: 'app_x', partnershipId: 'elsewhere' }),
    ];
    expect(delaysOn(apps, 'test', '2024-06-10').map((d) => [d.applicationId, d.daysSinceReady])).toStrictEqual([
      ['app_c', 9],
      ['app_a', 7],
      ['app_b', 7],
    ]);
  });
});

describe('fundingEscalationDue', () => {
  it('is due only after more than the threshold days, and only for a wait on funding', () => {
    const on = (date: string, app = waiting()) => {
      const d = delayOn(app, date);
      if (d === null) throw new Error('expected a delay');
      return fundingEscalationDue(d, DEFAULT_FUNDING_ESCALATION_DAYS);
    };
    expect(on('2024-06-17')).toBe(false); // 14 days
    expect(on('2024-06-18')).toBe(true); // 15 days
    const housing = waiting({ discharge: ready({ delayReasons: [{ reason: 'housing' }] }), arrangements: [arrangement('agreed')] });
    expect(on('2024-07-30', housing)).toBe(false);
  });
});

describe('fundingDecisionPending and leftHospitalOn', () => {
  it('an interim arrangement after an agreed one is pending again', () => {
    expect(fundingDecisionPending([arrangement('agreed')])).toBe(false);
    expect(fundingDecisionPending([arrangement('agreed'), arrangement('interim')])).toBe(true);
  });

  it('a detention ending in discharge counts as leaving; one remaining informal does not', () => {
    expect(leftHospitalOn([{ type: 'detention-ended', date: '2024-06-05', outcome: 'discharged' }], '2024-06-03', '2024-06-10')).toBe(
      '2024-06-05',
    );
    expect(
      leftHospitalOn([{ type: 'detention-ended', date: '2024-06-05', outcome: 'remained-informal' }], '2024-06-03', '2024-06-10'),
    ).toBeNull();
    // After the report day: not yet left.
    expect(leftHospitalOn([{ type: 'left-hospital', date: '2024-06-11' }], '2024-06-03', '2024-06-10')).toBeNull();
  });
});

describe('changeDischarge', () => {
  it('replaces given fields, clears nulls, keeps absent ones', () => {
    const current = ready({ expectedDischargeOn: '2024-06-20', delayReasons: [{ reason: 'housing' }] });
    const result = changeDischarge(current, { expectedDischargeOn: null, dischargedOn: '2024-06-18' }, '2024-06-18T10:00:00.000Z');
    expect(result).toStrictEqual({
      kind: 'changed',
      discharge: {
        clinicallyReadyOn: '2024-06-03',
        dischargedOn: '2024-06-18',
        delayReasons: [{ reason: 'housing' }],
        updatedAt: '2024-06-18T10:00:00.000Z',
      },
    });
  });

  it('the same values again change nothing', () => {
    expect(changeDischarge(ready(), { clinicallyReadyOn: '2024-06-03' }, '2024-06-18T10:00:00.000Z')).toStrictEqual({ kind: 'unchanged' });
  });

  it('rejects a discharge before the ready day (the day itself is allowed), against what is stored', () => {
    expect(changeDischarge(ready(), { dischargedOn: '2024-06-02' }, AT)).toMatchObject({ kind: 'rejected', field: 'dischargedOn' });
    expect(changeDischarge(ready(), { dischargedOn: '2024-06-03' }, AT)).toMatchObject({ kind: 'changed' });
    expect(changeDischarge(ready(), { expectedDischargeOn: '2024-06-02' }, AT)).toMatchObject({
      kind: 'rejected',
      field: 'expectedDischargeOn',
    });
  });
});

describe('readyForCareOn', () => {
  it('is the clinically-ready date where recorded, else the requested start', () => {
    expect(readyForCareOn(application())).toBe('2024-06-10');
    expect(readyForCareOn(application({ discharge: ready() }))).toBe('2024-06-03');
  });
});
