/**
 * Case facts v1: the chronological history of one person that decides s117 eligibility and the
 * responsible ICB and local authority. Extends ../shared/contracts/case-facts.schema.json (fields and event
 * types added in December 2026, none reinterpreted; contracts/case-facts.schema.json is the repository's copy);
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

/** The nature of a stay (R-OR-2): a settled home, or a stay that may leave ordinary residence elsewhere. */
export type ResidenceNature = 'settled' | 'temporary' | 'holiday-or-visit' | 'respite' | 'unknown';

/** Accommodation provided under a scheme that may make the residence less than voluntary or settled (R-OR-3, R-IMM-3). */
export type ResidenceProvidedAs = 'homelessness-temporary-accommodation' | 'immigration-bail-address' | 'home-office-accommodation';

export interface ResidenceEvent {
  type: 'residence';
  from: LocalDate;
  area: Area;
  setting: ResidenceSetting;
  basis: ResidenceBasis;
  arrangedBy?: { body: OrgCode; under: ArrangedUnder };
  /** Added December 2026 (R-OR-2). Absent: not recorded, read as before (the place is where the person lived). */
  nature?: ResidenceNature;
  /** Added December 2026 (R-OR-2): the person kept a home elsewhere and intended to return to it. */
  homeKeptElsewhere?: boolean;
  /** Added December 2026 (R-OR-3, R-IMM-3). */
  providedAs?: ResidenceProvidedAs;
  /** Added December 2026 (R-OR-4): for a move dated the day a detention began, whether it came before or after. */
  sameDayAsDetention?: 'moved-before-detention' | 'moved-after-detention';
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
  /** Added December 2026 (R-ELIG-7). Absent: read as before (leaving hospital for the community). */
  destination?: 'community' | 'another-hospital-as-inpatient' | 'prison';
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
  /** Added December 2026 (R-CTO-2): the day a recalled community patient was released without revocation (s17F). */
  releasedOn?: LocalDate;
}

export type S17LeaveKind = 'escorted-day' | 'unescorted-day' | 'overnight' | 'extended-community' | 'trial-placement';

export interface S17LeaveEvent {
  type: 's17-leave';
  from: LocalDate;
  to?: LocalDate;
  kind: S17LeaveKind;
  /** Added December 2026 (R-LEAVE-3): the leave is a stage of a discharge, with services arranged in the community. */
  stagedDischarge?: boolean;
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
  /** Added December 2026 (R-END-6): a joint review by both bodies preceded the decision. Absent: not recorded. */
  jointReviewHeld?: boolean;
  /** Added December 2026 (R-LA-16): the date of the joint written notice to the person. */
  writtenNoticeOn?: LocalDate;
}

/** Added December 2026 (R-END-8): aftercare resumed after a recorded ending. */
export interface AftercareReinstatedEvent {
  type: 'aftercare-reinstated';
  date: LocalDate;
  /** withdrawn-prematurely: the ending is withdrawn and the same duty continues; new-need: a later need, not s117. */
  basis: 'withdrawn-prematurely' | 'new-need' | 'unknown';
}

export type ChildLegalStatus =
  'living-with-parents' | 'parents-living-apart' | 'informal-arrangement' | 'care-order' | 's20-accommodated' | 'care-leaver' | 'none';

/** Added December 2026 (R-CHILD-1 to R-CHILD-5): a child's or care leaver's legal status from a date. */
export interface ChildStatusEvent {
  type: 'child-status';
  from: LocalDate;
  status: ChildLegalStatus;
  /** The local authority that looks after the child, or the leaving-care (responsible) authority. */
  authority?: OrgCode;
  parentalResponsibility?: ('parents' | 'local-authority' | 'other')[];
  /** The ICB responsible for the placed child under SI 2022/635 Schedule para 4 (R-CHILD-4). */
  schedulePara4Icb?: OrgCode;
  /** Care leavers: the young person, with capacity, chose the accommodation themselves (R-CHILD-5). */
  chosenByYoungPerson?: boolean;
}

export type AftercareServiceKind =
  | 'specialised-mental-health'
  | 'high-security'
  | 'secure-forensic'
  | 'community-forensic'
  | 'health-care-in-custody'
  | 'specialist-accommodation'
  | 'community-mental-health'
  | 'social-care'
  | 'other';

/** Added December 2026 (R-WP-NHSE-1/2, R-END-7): one aftercare service the person receives. */
export interface AftercareServiceEvent {
  type: 'aftercare-service';
  from: LocalDate;
  to?: LocalDate;
  kind: AftercareServiceKind;
  /** Whether NHS England must arrange this service under the NHS Act 2006 ss3B and 4. Absent: not classified. */
  nhsEnglandMustArrange?: boolean;
  /** Residential or other specialist accommodation funded as s117 aftercare. */
  s117FundedAccommodation?: boolean;
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
  | AftercareEndedEvent
  | AftercareReinstatedEvent
  | ChildStatusEvent
  | AftercareServiceEvent;

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
    case 'aftercare-reinstated':
      return e.date;
    default:
      return e.from;
  }
}
