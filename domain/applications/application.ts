/**
 * A funding application: a commissioner asks who pays for a person's s117 aftercare, and the answer
 * becomes funding, agreed or interim, from the day care was asked for. Pure data and pure decisions;
 * the workflow and the handlers load, call these, and write.
 */
import type { LocalDate } from '../dates.ts';
import type { Determination } from '../determination.ts';
import type { CaseFacts, OrgCode } from '../facts.ts';
import type { BasisPoints, Pence } from '../money.ts';
import type { OrganisationKind } from '../partnership.ts';
import type { PackageDecision } from './package-change.ts';

export const APPLICATION_STATUSES = [
  'submitted',
  'awaiting-responses',
  'agreed',
  'interim',
  'in-dispute',
  'settled',
  'not-eligible',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const SERVICE_CATEGORIES = ['health', 'social-care', 'accommodation', 'employment', 'other'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export type Party = 'icb' | 'la';
export type Instant = string & { readonly __brand?: 'Instant' };

export interface ServiceLine {
  /** Stable id within the application, shared with finance exports (package line id). */
  id: string;
  description: string;
  provider: string;
  category: ServiceCategory;
  /** true: s117 aftercare, free to the person; false: a chargeable service under other law. */
  s117: boolean;
  weeklyCostPence: Pence;
  startDate: LocalDate;
  endDate?: LocalDate;
  /** Changes of weekly cost: from each date (inclusive) the line costs `weeklyCostPence` a week (issue 6). */
  uplifts?: LineUplift[];
  /** The ICB/council split agreed for this line at panel, used by a per-line apportionment policy (issue 6). */
  agreedSplit?: AgreedLineSplit;
  /**
   * A preferred accommodation dearer than the council's usual cost: the written top-up agreement
   * (R-CHG-3, SI 2014/2670 regs 4-5). The bodies fund the rest; only this excess is ever payable by the
   * person or a third party (issue 6).
   */
  topUp?: TopUpAgreement;
}

export interface LineUplift {
  from: LocalDate;
  weeklyCostPence: Pence;
}

export interface AgreedLineSplit {
  /** The ICB share of the line; the council bears the rest. */
  icbBasisPoints: BasisPoints;
  panelDecisionRef: string;
  decisionDate: LocalDate;
}

export interface TopUpAgreement {
  id: string;
  /** Who pays the excess: the person (allowed for s117, unlike Care Act reg 5(5)) or another person. */
  payer: { kind: 'person' } | { kind: 'third-party'; name: string };
  /** The council's usual weekly cost for this kind of accommodation. */
  usualCostWeeklyPence: Pence;
  /** The weekly top-up agreed: at most the line's cost less the usual cost (the council may agree less, reg 4(5)). */
  weeklyPence: Pence;
  from: LocalDate;
  reviewDate: LocalDate;
  signedOn: LocalDate;
}

export interface CarePlan {
  serviceLines: ServiceLine[];
}

export interface Actor {
  userId: string;
  org: OrgCode;
  orgKind: OrganisationKind;
  /** The user's email address, only when the identity provider verified it (four-eyes compares it). */
  email?: string;
}

export interface PartyResponse {
  party: Party;
  body: OrgCode;
  decision: 'accept' | 'dispute';
  reason?: string;
  /** For a dispute of responsibility: the body the responder says owes the duty. */
  proposedBody?: OrgCode;
  /** What is disputed: who is responsible (default) or how the cost is shared. */
  about?: 'responsibility' | 'apportionment';
  at: Instant;
  by: string;
}

export interface FundingShare {
  body: OrgCode;
  party: Party;
  basisPoints: BasisPoints;
}

export type FundingState = 'none' | 'interim' | 'agreed';

/**
 * Why interim funding was started: at submission, before any body has answered (issue 13), or later on a
 * dispute, silence past the deadline, a question for a person, a failed step or a panel that did not approve.
 */
export type InterimCause = 'submission' | 'dispute' | 'deadline' | 'human-review' | 'failure' | 'panel';

export interface FundingArrangement {
  id: string;
  state: Exclude<FundingState, 'none'>;
  withoutPrejudice: boolean;
  startDate: LocalDate;
  lead: OrgCode;
  shares: FundingShare[];
  /** Plain-English basis, quotable in a letter. */
  basis: string;
  ruleIds: string[];
  /** Interim arrangements only: why it was started. Absent on agreed ones and on interim ones made before December 2026. */
  cause?: InterimCause;
  createdAt: Instant;
}

export const DELAY_REASONS = ['funding-decision', 'care-not-available', 'housing', 'other'] as const;
export type DelayReasonCode = (typeof DELAY_REASONS)[number];

/** The longest free-text detail a delay reason may carry. */
export const MAX_DELAY_DETAIL = 500;

export interface DelayReason {
  reason: DelayReasonCode;
  /** Free text (required for `other`): never a name or an NHS number. */
  detail?: string;
}

/** What the ward and the commissioners record about leaving hospital. */
export interface DischargeReadiness {
  /** The day the clinical team judged the person ready to leave hospital. */
  clinicallyReadyOn?: LocalDate;
  /** The day the person is expected to leave. */
  expectedDischargeOn?: LocalDate;
  /** The day the person left hospital (ends the delay). */
  dischargedOn?: LocalDate;
  /** What the stay is recorded as waiting for, besides a funding decision the system can see for itself. */
  delayReasons: DelayReason[];
  updatedAt: Instant;
}

export interface Application {
  id: string;
  partnershipId: string;
  version: number;
  createdAt: Instant;
  updatedAt: Instant;
  submittedBy: Actor;
  /** Pseudonymous person reference (a keyed hash of the NHS number): safe for exports and logs. */
  personRef: string;
  person: { nhsNumber: string; name?: string };
  facts: CaseFacts;
  carePlan: CarePlan;
  requestedStartDate: LocalDate;
  /** The LA meeting the person's needs now, if any (lead authority in an LA dispute, R-DISP-LA-2). */
  meetingNeedsNow?: OrgCode;
  status: ApplicationStatus;
  determination: Determination | null;
  /** Every organisation that may see and act on this application. */
  parties: OrgCode[];
  responses: Partial<Record<Party, PartyResponse>>;
  /**
   * The bodies' answers are due before this instant: set when they are asked (DetermineResponsibility), the
   * partnership's `responseDeadlineDays` later, and the workflow's wait times out at it. An answer at or after it
   * is refused, whatever the status says meanwhile (issue 12). Absent on applications asked before it was kept.
   */
  responseDeadline?: Instant;
  /** Funding arrangements in the order made; the last one is in force. History is never rewritten. */
  arrangements: FundingArrangement[];
  /** Clinically ready for discharge, expected discharge and what the stay waits for (issue 13 item 5); absent: not recorded. */
  discharge?: DischargeReadiness;
  /** Changes to the package after submission, each a decision, in the order made (issue 13 item 3); absent: none. */
  packageDecisions?: PackageDecision[];
}

/** The funding in force, as the API reports it. */
export function fundingInForce(app: Application): { state: FundingState; arrangement: FundingArrangement | null } {
  const current = app.arrangements.at(-1) ?? null;
  return { state: current?.state ?? 'none', arrangement: current };
}

/** Weekly cost of the s117 lines in force on a date (non-s117 lines are charged under other law). */
export function weeklyS117CostOn(plan: CarePlan, date: LocalDate): Pence {
  return plan.serviceLines
    .filter((l) => l.s117 && l.startDate <= date && (l.endDate === undefined || l.endDate >= date))
    .reduce((sum, l) => sum + l.weeklyCostPence, 0);
}
