/**
 * The register's store: the person's facts, the episodes, reviews and ending recommendations, all under
 * `PERSON#<personRef>` (docs/data-model.md). Single-item conditional writes only: versions on mutable items,
 * `attribute_not_exists` on append-only ones. Implemented over DynamoDB and in memory with the same semantics.
 */
import type { Instant } from '../applications/application.ts';
import type { EndingRecommendation } from './ending.ts';
import type { SentLetter } from './letters.ts';
import type { AftercarePlan } from './plan.ts';
import type { Episode, PersonRecord } from './register.ts';
import type { Review } from './reviews.ts';

export interface RegisterStore {
  getPerson(personRef: string): Promise<PersonRecord | null>;
  /** Creates the person unless they exist ('exists': creation is idempotent). */
  createPerson(person: PersonRecord): Promise<'created' | 'exists'>;
  /** Writes if the stored version is `person.version - 1`; otherwise ConcurrentUpdateError. */
  savePerson(person: PersonRecord): Promise<void>;
  listEpisodes(personRef: string): Promise<Episode[]>;
  getEpisode(personRef: string, n: number): Promise<Episode | null>;
  /** Version 1 creates (if absent); later versions replace version - 1; otherwise ConcurrentUpdateError. */
  saveEpisode(episode: Episode): Promise<void>;
  /** Every episode of a partnership's register (the `ByOrganisation` index on `REGISTER#<partnership>`). */
  listPartnershipEpisodes(partnershipId: string): Promise<Episode[]>;
  /** Append-only; 'exists' when a review with this id was already recorded. */
  putReview(personRef: string, n: number, review: Review): Promise<'created' | 'exists'>;
  /** Reviews of one episode, or of all the person's episodes keyed by episode id. */
  listReviews(personRef: string): Promise<Map<string, Review[]>>;
  /** Version 1 creates; later versions replace version - 1; otherwise ConcurrentUpdateError. */
  saveEnding(personRef: string, n: number, recommendation: EndingRecommendation): Promise<void>;
  listEndings(personRef: string, n: number): Promise<EndingRecommendation[]>;
  /** Append-only by version: 'exists' when this version number is taken (another writer got there first). */
  putPlan(personRef: string, n: number, plan: AftercarePlan): Promise<'created' | 'exists'>;
  /** Every version of the episode's plan, oldest first. */
  listPlans(personRef: string, n: number): Promise<AftercarePlan[]>;
  /** Append-only by id: 'exists' when this letter was already recorded. */
  putLetter(personRef: string, letter: SentLetter): Promise<'created' | 'exists'>;
  /** Every letter recorded as sent about the person, by id. */
  listLetters(personRef: string): Promise<SentLetter[]>;
  /** Mail already sent for this purpose and recipient (notifications at least once, not repeated). */
  wasSent(personRef: string, purpose: string, recipient: string): Promise<boolean>;
  markSent(personRef: string, purpose: string, recipient: string, at: Instant): Promise<void>;
}
