/**
 * Determination v1: what the engine decided and why. Mirrors
 * ../shared/contracts/determination.schema.json; fields may be added, none removed or reinterpreted.
 */
import type { LocalDate } from './dates.ts';
import type { OrgCode } from './facts.ts';

export type EligibilityStatus = 'eligible' | 'not-yet' | 'not-eligible' | 'ended';

export type BodyKind =
  'english-icb' | 'nhs-england' | 'welsh-health-board' | 'english-la' | 'welsh-la' | 'outside-england-and-wales' | 'none' | 'undetermined';

/** One answer a person may choose, with the rules that give it (R-HUMAN-1). */
export interface Candidate {
  /** The answer in words, e.g. "ICB-A (reg 7(2), core responsibility on 1 July 2022)". */
  answer: string;
  body?: OrgCode | null;
  kind?: BodyKind;
  ruleIds: string[];
}

export interface ResponsibleBody {
  body: OrgCode | null;
  kind: BodyKind;
  /**
   * Added December 2026: where a person must decide between bodies, the candidates. `kind` is then the
   * provisional answer's kind (`provisional` true) or `undetermined` with `body` null when the law names none.
   */
  candidates?: Candidate[];
  provisional?: boolean;
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
  /** Added December 2026 (R-HUMAN-1): what a person must decide, as a question. */
  question?: string;
  /** The candidate answers, each with the rules that give it. */
  candidates?: Candidate[];
  /** The facts a person must confirm or supply to settle it. */
  factsNeeded?: string[];
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
