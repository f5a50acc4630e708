/**
 * Determination v1: what the engine decided and why. Mirrors
 * ../shared/contracts/determination.schema.json; fields may be added, none removed or reinterpreted.
 */
import type { LocalDate } from './dates.ts';
import type { OrgCode } from './facts.ts';

export type EligibilityStatus = 'eligible' | 'not-yet' | 'not-eligible' | 'ended';

export type BodyKind =
  'english-icb' | 'nhs-england' | 'welsh-health-board' | 'english-la' | 'welsh-la' | 'outside-england-and-wales' | 'none' | 'undetermined';

export interface ResponsibleBody {
  body: OrgCode | null;
  kind: BodyKind;
  ruleIds: string[];
  citations: string[];
  /** Date from which this body holds the duty, where the engine can tell. */
  since?: LocalDate;
  /** Plain-English reasons for this body, in order. */
  reasons: string[];
  /** Who Pays? 2020 only: the CCG that commissions, where the paying CCG is another. */
  commissioner?: { body: OrgCode | null; ruleIds: string[] };
}

export interface ReviewItem {
  code: string;
  message: string;
  /** The rule ids whose uncertainty or missing facts raised this item. */
  ruleIds: string[];
}

export interface Eligibility {
  status: EligibilityStatus;
  since?: LocalDate;
  qualifyingSection?: string;
  /** Start of the qualifying detention to which the current (or coming) duty relates. */
  detentionFrom?: LocalDate;
  ruleIds: string[];
  reasons: string[];
}

export interface Determination {
  caseId: string;
  evaluationDate: LocalDate;
  ruleSet: string;
  eligibility: Eligibility;
  icb: ResponsibleBody;
  localAuthority: ResponsibleBody;
  needsHumanReview: ReviewItem[];
  explanation: string[];
  /** Every rule id that contributed, deduplicated, in the order first cited. */
  ruleIds: string[];
}
