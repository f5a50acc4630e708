/**
 * Case facts v1: the chronological history of one person that decides s117 eligibility and the
 * responsible ICB and local authority. Mirrors ../shared/contracts/case-facts.schema.json exactly;
 * the edge schema in functions/shared/case-facts.schema.ts is tied to these types.
 */
import type { LocalDate } from './dates.ts';

export type OrgCode = string;
export type Country = 'england' | 'wales' | 'scotland' | 'northern-ireland' | 'outside-uk';

export interface Area {
  country: Country;
  la?: OrgCode;
  icb?: OrgCode;
}

export type ResidenceSetting =
  | 'own-home'
  | 'family-home'
  | 'care-home'
  | 'nursing-home'
  | 'supported-living'
  | 'shared-lives'
  | 'hostel'
  | 'hospital-informal'
  | 'prison'
  | 'no-fixed-abode'
  | 'student-accommodation'
  | 'other';

export type ResidenceBasis =
  'own-choice' | 'best-interests-decision' | 'condition-of-discharge' | 'secure-accommodation-order' | 'court-order' | 'unknown';

export type ArrangedUnder =
  'mha-s117' | 'care-act-2014' | 'national-assistance-act-1948' | 'children-act-1989' | 'nhs-continuing-healthcare' | 'other';

export interface ResidenceEvent {
  type: 'residence';
  from: LocalDate;
  area: Area;
  setting: ResidenceSetting;
  basis: ResidenceBasis;
  arrangedBy?: { body: OrgCode; under: ArrangedUnder };
}

export interface GpRegistrationEvent {
  type: 'gp-registration';
  from: LocalDate;
  /** null: not registered with any practice. */
  icb: OrgCode | null;
  country?: 'england' | 'wales' | 'scotland' | 'northern-ireland';
}

export const MHA_SECTIONS = [
  '2',
  '3',
  '4',
  '5(2)',
  '5(4)',
  '35',
  '36',
  '37',
  '37/41',
  '38',
  '45A',
  '47',
  '47/49',
  '48',
  '48/49',
  '135',
  '136',
] as const;
export type MhaSection = (typeof MHA_SECTIONS)[number];

export interface DetentionEvent {
  type: 'detention';
  from: LocalDate;
  section: MhaSection;
  hospitalArea?: Area;
  bedCommissionedBy?: 'icb' | 'nhs-england';
}

export type DetentionOutcome =
  'discharged' | 'community-treatment-order' | 'conditional-discharge' | 'remained-informal' | 'returned-to-prison' | 'died';

export interface DetentionEndedEvent {
  type: 'detention-ended';
  date: LocalDate;
  outcome: DetentionOutcome;
}

export interface LeftHospitalEvent {
  type: 'left-hospital';
  date: LocalDate;
}

export interface InformalAdmissionEvent {
  type: 'informal-admission';
  from: LocalDate;
  to?: LocalDate;
  hospitalArea?: Area;
}

export interface CtoEvent {
  type: 'cto';
  from: LocalDate;
  to?: LocalDate;
}

export interface RecallEvent {
  type: 'recall';
  date: LocalDate;
  from: 'cto' | 'conditional-discharge';
  ctoRevoked?: boolean;
}

export type S17LeaveKind = 'escorted-day' | 'unescorted-day' | 'overnight' | 'extended-community' | 'trial-placement';

export interface S17LeaveEvent {
  type: 's17-leave';
  from: LocalDate;
  to?: LocalDate;
  kind: S17LeaveKind;
}

export interface ImprisonmentEvent {
  type: 'imprisonment';
  from: LocalDate;
  to?: LocalDate;
}

export const AFTERCARE_END_REASONS = [
  'no-longer-needs-aftercare',
  'discharged-from-specialist-services',
  'time-elapsed',
  'deprived-of-liberty-mca',
  'readmitted-informally-or-s2',
  'cto-or-s17-ended',
  'refuses-services',
  'moved-area',
  'died',
] as const;
export type AftercareEndReason = (typeof AFTERCARE_END_REASONS)[number];

export interface AftercareEndedEvent {
  type: 'aftercare-ended';
  date: LocalDate;
  icbAgreed: boolean;
  laAgreed: boolean;
  personInvolved?: boolean;
  reasons: AftercareEndReason[];
}

export type CaseEvent =
  | ResidenceEvent
  | GpRegistrationEvent
  | DetentionEvent
  | DetentionEndedEvent
  | LeftHospitalEvent
  | InformalAdmissionEvent
  | CtoEvent
  | RecallEvent
  | S17LeaveEvent
  | ImprisonmentEvent
  | AftercareEndedEvent;

export type CaseEventType = CaseEvent['type'];

export interface CaseFacts {
  id: string;
  evaluationDate: LocalDate;
  person?: {
    dateOfBirth?: LocalDate;
    capacityToDecideResidence?: boolean | null;
  };
  events: CaseEvent[];
}

/** The date on which an event happens (its start, for events with a span). */
export function eventDate(e: CaseEvent): LocalDate {
  switch (e.type) {
    case 'detention-ended':
    case 'left-hospital':
    case 'recall':
    case 'aftercare-ended':
      return e.date;
    default:
      return e.from;
  }
}
