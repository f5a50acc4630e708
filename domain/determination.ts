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

/** Kinds of body outside the English s117 bodies: a Welsh body (s117(3)(b), R-XB-1) or one outside England and Wales (R-XB-3). */
const CROSS_BORDER_KINDS: ReadonlySet<BodyKind | ''> = new Set<BodyKind | ''>([
  'welsh-health-board',
  'welsh-la',
  'outside-england-and-wales',
]);

/** Whether a body of this kind is Welsh or outside England and Wales (R-XB-1 to R-XB-3); '' (not known) is not. */
export const isCrossBorder = (kind: BodyKind | '' | undefined): boolean => kind !== undefined && CROSS_BORDER_KINDS.has(kind);

/** How a letter or pack names a kind of body, never calling one a kind it is not (R-WP-117-12). */
export const BODY_KIND_LABELS: Readonly<Record<BodyKind, string>> = Object.freeze({
  'english-icb': 'integrated care board',
  'nhs-england': 'NHS England',
  'welsh-health-board': 'Welsh Local Health Board',
  'english-la': 'English council',
  'welsh-la': 'Welsh council',
  'outside-england-and-wales': 'body outside England and Wales',
  none: 'no body',
  undetermined: 'not determined',
});

/**
 * The kind of each body a determination names, as the responsible bodies or as candidates a person must choose
 * between. A code named with two different kinds is left out: a reader then says nothing rather than the wrong thing.
 */
export function bodyKinds(d: Pick<Determination, 'icb' | 'localAuthority'> | null): Record<OrgCode, BodyKind> {
  const kinds = new Map<OrgCode, BodyKind | null>();
  const note = (code: OrgCode | null | undefined, kind: BodyKind | undefined): void => {
    if (code === null || code === undefined || kind === undefined || kind === 'none' || kind === 'undetermined') return;
    const known = kinds.get(code);
    kinds.set(code, known === undefined || known === kind ? kind : null);
  };
  for (const side of d === null ? [] : [d.icb, d.localAuthority]) {
    note(side.body, side.kind);
    for (const c of side.candidates ?? []) note(c.body, c.kind);
  }
  return Object.fromEntries([...kinds].filter((e): e is [OrgCode, BodyKind] => e[1] !== null));
}

/** The kind a determination gives a body, or undefined when it does not name it (own properties only). */
export const kindNamed = (kinds: Readonly<Record<OrgCode, BodyKind>> | undefined, code: OrgCode): BodyKind | undefined =>
  kinds !== undefined && Object.hasOwn(kinds, code) ? kinds[code] : undefined;
