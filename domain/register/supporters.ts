/**
 * The people around the person: carers, family and friends, representatives, and advocates (an independent
 * mental health advocate, IMHA, or an independent mental capacity advocate, IMCA); how the person wants to be
 * written to; and the check that a move of accommodation decided for a person who lacks capacity involved an
 * appropriate person or an IMCA. Contact details are held only where they must be: a supporter's mailbox only
 * where letters go to them (with the person's consent) or they are an advocate reached through their service;
 * the person's postal address only when their letters go by post.
 * @see rules.md R-LA-7, R-LA-14 (capacity to decide where to live; best-interests decisions), R-END-5 (carers and
 *   advocates involved), R-HUMAN-1 (a decision the engine cannot make is a person's)
 */
import type { LocalDate } from '../dates.ts';
import type { CaseEvent } from '../facts.ts';
import type { LetterVariant } from './letters.ts';

export const SUPPORTER_KINDS = ['carer', 'family', 'friend', 'representative', 'advocate', 'imha', 'imca'] as const;
export type SupporterKind = (typeof SUPPORTER_KINDS)[number];

/** Advocates act through an advocacy service: their contact is the service's mailbox. */
export const ADVOCATE_KINDS: readonly SupporterKind[] = ['advocate', 'imha', 'imca'];

export interface Supporter {
  /** The caller's id for the supporter, unique on the person's record. */
  id: string;
  kind: SupporterKind;
  name: string;
  /** Their relationship to the person, in words ("mother", "IMCA from Anyshire Advocacy"). */
  relationship: string;
  /** The person agreed (or, lacking capacity, it was decided in their best interests) that information may be shared with them. */
  consentToShare: boolean;
  /** Copies of letters go to them (the carer's version); needs consent and a mailbox. */
  sendLetters: boolean;
  /**
   * Unpaid and appropriate to consult about the person's best interests (family, friend, unpaid carer): the
   * person whose involvement means no IMCA is needed (Mental Capacity Act 2005 ss 39–40).
   */
  appropriatePerson: boolean;
  /** For an advocate: the advocacy service. */
  organisation?: string;
  contact?: { email: string };
}

/** How the person is written to. */
export interface PersonContacts {
  /** Where the person asked for letters by email. */
  email?: string;
  /** Held only when letters go by post (no email): the lines of the address. */
  postalAddress?: string[];
  /** The version of each letter they are sent. */
  letterFormat: Exclude<LetterVariant, 'carer'>;
}

export interface ContactProblem {
  field: string;
  message: string;
}

/** Why these contacts cannot be recorded (empty: they can), field by field under `body`. */
export function contactProblems(person: PersonContacts, supporters: readonly Supporter[]): ContactProblem[] {
  const out: ContactProblem[] = [];
  if (person.email !== undefined && person.postalAddress !== undefined)
    out.push({ field: 'person.postalAddress', message: 'is held only when letters go by post; give an email or an address, not both' });
  const ids = new Set<string>();
  supporters.forEach((s, i) => {
    const at = `supporters[${i}]`;
    if (ids.has(s.id)) out.push({ field: `${at}.id`, message: `repeats the supporter id "${s.id}"` });
    ids.add(s.id);
    const advocate = ADVOCATE_KINDS.includes(s.kind);
    if (advocate && s.organisation === undefined)
      out.push({ field: `${at}.organisation`, message: 'is required for an advocate: the advocacy service' });
    if (advocate && s.appropriatePerson)
      out.push({
        field: `${at}.appropriatePerson`,
        message: 'cannot be true for an advocate: an appropriate person is unpaid family, a friend or a carer',
      });
    if (s.sendLetters && !s.consentToShare)
      out.push({ field: `${at}.sendLetters`, message: 'needs consentToShare: letters go to a supporter only with the person’s agreement' });
    if (s.sendLetters && s.contact === undefined) out.push({ field: `${at}.contact`, message: 'is required to send letters: a mailbox' });
    if (s.contact !== undefined && !s.sendLetters && !advocate)
      out.push({
        field: `${at}.contact`,
        message: 'is held only where letters go to this supporter (sendLetters) or they are an advocate',
      });
  });
  return out;
}

export type MoveCheck =
  | { kind: 'not-applicable' }
  | { kind: 'allowed'; ruleIds: string[]; explanation: string }
  | { kind: 'blocked'; ruleIds: string[]; explanation: string };

export const ACCOMMODATION_MOVE_RULES = ['R-LA-14', 'R-LA-7'] as const;

/**
 * Whether a recorded move may stand: a move of accommodation decided in the best interests of a person who lacks
 * capacity to decide where to live, dated on or after the start of a detention the register holds (so within
 * discharge planning or aftercare), needs an appropriate person consulted or an IMCA. Without either on the
 * person's record, it is refused; earlier history and the person's own choices are not this check's business.
 */
export function accommodationMoveCheck(
  event: CaseEvent,
  context: { supporters: readonly Supporter[]; detentionStarts: readonly LocalDate[] },
): MoveCheck {
  if (event.type !== 'residence' || event.basis !== 'best-interests-decision') return { kind: 'not-applicable' };
  if (!context.detentionStarts.some((start) => start <= event.from)) return { kind: 'not-applicable' };
  const imca = context.supporters.find((s) => s.kind === 'imca');
  const appropriate = context.supporters.find((s) => s.appropriatePerson);
  const ruleIds = [...ACCOMMODATION_MOVE_RULES];
  if (imca !== undefined || appropriate !== undefined) {
    const who =
      appropriate !== undefined
        ? `an appropriate person (${appropriate.relationship})`
        : `an IMCA (${imca?.organisation ?? 'advocacy service'})`;
    return {
      kind: 'allowed',
      ruleIds,
      explanation: `The move was decided in the person's best interests because they lack capacity to decide where to live (R-LA-7, R-LA-14); the record names ${who} to be involved in that decision.`,
    };
  }
  return {
    kind: 'blocked',
    ruleIds,
    explanation:
      "This move was decided in the person's best interests because they lack capacity to decide where to live (R-LA-7, R-LA-14). Before accommodation is arranged or changed for a person who lacks capacity, an appropriate person (family, a friend or an unpaid carer) must be consulted or, where there is none, an Independent Mental Capacity Advocate (IMCA) instructed (Mental Capacity Act 2005 ss 37-40). The person's record names neither. Record an IMCA or an appropriate person on the person's contacts, then record the move.",
  };
}
