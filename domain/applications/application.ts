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

export const APPLICATION_STATUSES = [
  'submitted', 'awaiting-responses', 'agreed', 'interim', 'in-dispute', 'settled', 'not-eligible', 'withdrawn',
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
}

export interface CarePlan {
  serviceLines: ServiceLine[];
}

export interface Actor {
  userId: string;
  org: OrgCode;
  orgKind: OrganisationKind;
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
  createdAt: Instant;
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
  /** Funding arrangements in the order made; the last one is in force. History is never rewritten. */
  arrangements: FundingArrangement[];
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
