/**
 * Discharge-ready and delays (issue 13 item 5): who is clinically ready to leave hospital but still there,
 * for how many days, and what they wait for. The statutory guidance (Annex B) says no aftercare may be refused
 * or delayed because bodies have not settled who pays; a wait "for a funding decision" is the figure
 * commissioners and executives are asked for. Pure: the caller gives the day.
 */
import { daysBetween, type LocalDate } from '../dates.ts';
import type { CaseEvent, OrgCode } from '../facts.ts';
import {
  DELAY_REASONS,
  type Application,
  type ApplicationStatus,
  type DelayReason,
  type DelayReasonCode,
  type DischargeReadiness,
  type FundingArrangement,
  type Instant,
} from './application.ts';

export { DELAY_REASONS, MAX_DELAY_DETAIL, type DelayReason, type DelayReasonCode, type DischargeReadiness } from './application.ts';

/** Applications whose status means nobody will fund anything under them: not counted as waiting. */
const CLOSED: readonly ApplicationStatus[] = ['withdrawn', 'not-eligible'];

/** No decision is final until a body-agreed arrangement (agreement, panel, dispute outcome, settlement) is in force. */
export function fundingDecisionPending(arrangements: readonly FundingArrangement[]): boolean {
  return arrangements.at(-1)?.state !== 'agreed';
}

/**
 * The day the person left hospital on or after `readyOn`, as the application's facts say (a `left-hospital`
 * event, or a detention that ended in discharge), if any, on or before `date`.
 */
export function leftHospitalOn(events: readonly CaseEvent[], readyOn: LocalDate, date: LocalDate): LocalDate | null {
  let found: LocalDate | null = null;
  for (const e of events) {
    const left =
      e.type === 'left-hospital' && e.destination !== 'another-hospital-as-inpatient'
        ? e.date
        : e.type === 'detention-ended' && e.outcome !== 'remained-informal'
          ? e.date
          : null;
    if (left !== null && left >= readyOn && left <= date && (found === null || left < found)) found = left;
  }
  return found;
}

/** What the delays report needs of an application. */
export type DelayCase = Pick<Application, 'id' | 'partnershipId' | 'personRef' | 'status' | 'arrangements' | 'discharge'> & {
  facts: { events: readonly CaseEvent[] };
};

export interface DelayedPerson {
  personRef: string;
  applicationId: string;
  clinicallyReadyOn: LocalDate;
  expectedDischargeOn: LocalDate | null;
  /** Whole days from the ready day to the report day: 0 on the ready day itself. */
  daysSinceReady: number;
  /** What the person waits for, in DELAY_REASONS order, without repeats. */
  waitingFor: DelayReasonCode[];
  /** The free-text details recorded with the reasons. */
  details: string[];
  /** The funding in force: `interim` or `none` means no decision is final yet. */
  fundingState: FundingArrangement['state'] | 'none';
}

/** One application's delay on `date`, or null when the person is not ready, already left, or the application is closed. */
export function delayOn(c: DelayCase, date: LocalDate): DelayedPerson | null {
  const d = c.discharge;
  const readyOn = d?.clinicallyReadyOn;
  if (d === undefined || readyOn === undefined || readyOn > date || CLOSED.includes(c.status)) return null;
  if (d.dischargedOn !== undefined && d.dischargedOn <= date) return null;
  if (leftHospitalOn(c.facts.events, readyOn, date) !== null) return null;
  const reasons = new Set<DelayReasonCode>(d.delayReasons.map((r) => r.reason));
  if (fundingDecisionPending(c.arrangements)) reasons.add('funding-decision');
  return {
    personRef: c.personRef,
    applicationId: c.id,
    clinicallyReadyOn: readyOn,
    expectedDischargeOn: d.expectedDischargeOn ?? null,
    daysSinceReady: daysBetween(readyOn, date),
    waitingFor: DELAY_REASONS.filter((r) => reasons.has(r)),
    details: d.delayReasons.flatMap((r) => (r.detail === undefined ? [] : [r.detail])),
    fundingState: c.arrangements.at(-1)?.state ?? 'none',
  };
}

/**
 * A partnership's people ready for discharge but still in hospital on `date`, longest wait first (then by
 * application id, so the order is total and a page cursor can resume after any row).
 */
export function delaysOn(cases: readonly DelayCase[], partnershipId: string, date: LocalDate): DelayedPerson[] {
  return cases
    .filter((c) => c.partnershipId === partnershipId)
    .flatMap((c) => {
      const delay = delayOn(c, date);
      return delay === null ? [] : [delay];
    })
    .sort(compareDelays);
}

/** Longest wait first (earliest ready day), then application id. */
export function compareDelays(a: Pick<DelayedPerson, 'clinicallyReadyOn' | 'applicationId'>, b: typeof a): number {
  if (a.clinicallyReadyOn !== b.clinicallyReadyOn) return a.clinicallyReadyOn < b.clinicallyReadyOn ? -1 : 1;
  return a.applicationId < b.applicationId ? -1 : a.applicationId > b.applicationId ? 1 : 0;
}

/** Default days a wait for a funding decision may last before both bodies' executive leads are told. */
export const DEFAULT_FUNDING_ESCALATION_DAYS = 14;

/** True once a wait for a funding decision has lasted more than `afterDays` days. */
export function fundingEscalationDue(delay: DelayedPerson, afterDays: number): boolean {
  return delay.waitingFor.includes('funding-decision') && delay.daysSinceReady > afterDays;
}

/** A wait for funding past the partnership's limit: both bodies' executive leads are to be told, once per ready day. */
export interface FundingEscalation {
  applicationId: string;
  personRef: string;
  clinicallyReadyOn: LocalDate;
  daysSinceReady: number;
  afterDays: number;
  /** The bodies whose executive leads are told: the determined ICB and council, else those sharing the funding in force. */
  bodies: OrgCode[];
  ruleIds: string[];
  explanation: string;
}

/**
 * The partnership's people whose discharge has waited on a funding decision for more than `afterDays` days on
 * `date`, each with the bodies to escalate to. No funding uncertainty may delay discharge (Annex B; R-WP-GEN-5,
 * R-WP-DISP-6, R-DISP-LA-3), so the delay goes to the people who can end it.
 */
export function fundingEscalationsOn(
  cases: readonly (DelayCase & Pick<Application, 'determination'>)[],
  partnershipId: string,
  date: LocalDate,
  afterDays: number,
): FundingEscalation[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  return delaysOn(cases, partnershipId, date)
    .filter((d) => fundingEscalationDue(d, afterDays))
    .flatMap((d) => {
      const c = byId.get(d.applicationId);
      if (c === undefined) return [];
      const determined = [c.determination?.icb.body, c.determination?.localAuthority.body].filter(
        (b): b is OrgCode => typeof b === 'string',
      );
      const sharing = c.arrangements.at(-1)?.shares.map((s) => s.body) ?? [];
      const bodies = [...new Set(determined.length > 0 ? determined : sharing)];
      return [
        {
          applicationId: d.applicationId,
          personRef: d.personRef,
          clinicallyReadyOn: d.clinicallyReadyOn,
          daysSinceReady: d.daysSinceReady,
          afterDays,
          bodies,
          ruleIds: ['R-WP-GEN-5', 'R-WP-DISP-6', 'R-DISP-LA-3'],
          explanation: `Clinically ready for discharge since ${d.clinicallyReadyOn}, ${d.daysSinceReady} days, and still waiting for a funding decision: past the partnership's ${afterDays} days, so the executive leads of ${bodies.join(' and ')} are told. Funding uncertainty must not delay discharge; interim funding without prejudice can start now.`,
        },
      ];
    });
}

/**
 * The readiness as changed by a request: fields given replace, `null` clears, absent leave as they were.
 * Rejected when the dates are out of order.
 */
export function changeDischarge(
  current: DischargeReadiness | undefined,
  change: {
    clinicallyReadyOn?: LocalDate | null;
    expectedDischargeOn?: LocalDate | null;
    dischargedOn?: LocalDate | null;
    delayReasons?: DelayReason[];
  },
  at: Instant,
): { kind: 'changed'; discharge: DischargeReadiness } | { kind: 'unchanged' } | { kind: 'rejected'; field: string; reason: string } {
  const next: DischargeReadiness = { delayReasons: change.delayReasons ?? current?.delayReasons ?? [], updatedAt: at };
  const pick = (key: 'clinicallyReadyOn' | 'expectedDischargeOn' | 'dischargedOn'): void => {
    const value = change[key] === undefined ? current?.[key] : change[key];
    if (value !== null && value !== undefined) next[key] = value;
  };
  pick('clinicallyReadyOn');
  pick('expectedDischargeOn');
  pick('dischargedOn');
  if (next.clinicallyReadyOn !== undefined && next.dischargedOn !== undefined && next.dischargedOn < next.clinicallyReadyOn)
    return { kind: 'rejected', field: 'dischargedOn', reason: 'must not be before clinicallyReadyOn' };
  if (next.clinicallyReadyOn !== undefined && next.expectedDischargeOn !== undefined && next.expectedDischargeOn < next.clinicallyReadyOn)
    return { kind: 'rejected', field: 'expectedDischargeOn', reason: 'must not be before clinicallyReadyOn' };
  const same = (a: DischargeReadiness | undefined, b: DischargeReadiness): boolean =>
    a !== undefined &&
    a.clinicallyReadyOn === b.clinicallyReadyOn &&
    a.expectedDischargeOn === b.expectedDischargeOn &&
    a.dischargedOn === b.dischargedOn &&
    JSON.stringify(a.delayReasons) === JSON.stringify(b.delayReasons);
  return same(current, next) ? { kind: 'unchanged' } : { kind: 'changed', discharge: next };
}

/** The day the maturity report measures a wait for funding from: clinically ready where recorded, else the requested start. */
export function readyForCareOn(app: Pick<Application, 'requestedStartDate' | 'discharge'>): LocalDate {
  return app.discharge?.clinicallyReadyOn ?? app.requestedStartDate;
}
