/** Terse builders for case facts in tests: each returns a plain case-facts v1 object. */
import type {
  AftercareEndReason,
  Area,
  CaseEvent,
  CaseFacts,
  DetentionOutcome,
  MhaSection,
  ResidenceEvent,
  S17LeaveKind,
} from '#domain/facts.ts';

export const england = (la: string, icb: string): Area => ({ country: 'england', la, icb });

export function home(from: string, la: string, icb: string, extra: Partial<ResidenceEvent> = {}): ResidenceEvent {
  return { type: 'residence', from, area: england(la, icb), setting: 'own-home', basis: 'own-choice', ...extra };
}
export const gp = (from: string, icb: string | null): CaseEvent => ({ type: 'gp-registration', from, icb });
export const detained = (from: string, section: MhaSection = '3', extra: { nhsEnglandBed?: boolean; hospital?: Area } = {}): CaseEvent => ({
  type: 'detention',
  from,
  section,
  hospitalArea: extra.hospital ?? england('LA-HOSP', 'ICB-HOSP'),
  ...(extra.nhsEnglandBed ? { bedCommissionedBy: 'nhs-england' as const } : {}),
});
export const ended = (date: string, outcome: DetentionOutcome = 'discharged'): CaseEvent => ({ type: 'detention-ended', date, outcome });
export const left = (date: string): CaseEvent => ({ type: 'left-hospital', date });
/** Detention ended and the person left hospital the same day. */
export const discharged = (date: string, outcome: DetentionOutcome = 'discharged'): CaseEvent[] => [ended(date, outcome), left(date)];
export const informal = (from: string, to?: string): CaseEvent =>
  to === undefined ? { type: 'informal-admission', from } : { type: 'informal-admission', from, to };
export const cto = (from: string, to?: string): CaseEvent => (to === undefined ? { type: 'cto', from } : { type: 'cto', from, to });
export const s17 = (from: string, kind: S17LeaveKind): CaseEvent => ({ type: 's17-leave', from, kind });
export const prison = (from: string, to?: string): CaseEvent =>
  to === undefined ? { type: 'imprisonment', from } : { type: 'imprisonment', from, to };
export const recall = (date: string, from: 'cto' | 'conditional-discharge', ctoRevoked?: boolean): CaseEvent =>
  ctoRevoked === undefined ? { type: 'recall', date, from } : { type: 'recall', date, from, ctoRevoked };
export function endAftercare(
  date: string,
  reasons: AftercareEndReason[],
  agreed: { icb?: boolean; la?: boolean; person?: boolean } = {},
): CaseEvent {
  return {
    type: 'aftercare-ended',
    date,
    icbAgreed: agreed.icb ?? true,
    laAgreed: agreed.la ?? true,
    personInvolved: agreed.person ?? true,
    reasons,
  };
}

export function facts(evaluationDate: string, events: (CaseEvent | CaseEvent[])[], person?: CaseFacts['person'], id = 'T-1'): CaseFacts {
  const f: CaseFacts = { id, evaluationDate, events: events.flat() };
  if (person !== undefined) f.person = person;
  return f;
}

/** A person living at home in LA-A / ICB-A, registered with an ICB-A practice, from 2000. */
export const settledInA: CaseEvent[] = [home('2000-01-01', 'LA-A', 'ICB-A'), gp('2000-01-01', 'ICB-A')];
