/** In-memory twin of DynamoRegisterStore, for use-case tests: the same versions, conflicts and idempotency. */
import type { Instant } from '#domain/applications/application.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import type { EndingRecommendation } from '#domain/register/ending.ts';
import type { SentLetter } from '#domain/register/letters.ts';
import type { AftercarePlan } from '#domain/register/plan.ts';
import type { RegisterStore } from '#domain/register/ports.ts';
import type { Episode, PersonRecord } from '#domain/register/register.ts';
import type { Review } from '#domain/register/reviews.ts';
import { asStored } from '../types.ts';

export class MemoryRegisterStore implements RegisterStore {
  readonly #items = new Map<string, { version?: number; doc: unknown }>();

  #put(key: string, version: number, doc: unknown): void {
    const existing = this.#items.get(key);
    if (version === 1 ? existing !== undefined : existing?.version !== version - 1) throw new ConcurrentUpdateError();
    this.#items.set(key, { version, doc: asStored(doc) });
  }

  #get<T>(key: string): T | null {
    const item = this.#items.get(key);
    return item === undefined ? null : asStored(item.doc as T);
  }

  #prefix<T>(prefix: string): [string, T][] {
    return [...this.#items.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, asStored(v.doc as T)]);
  }

  async getPerson(personRef: string): Promise<PersonRecord | null> {
    return this.#get(`${personRef}|FACTS`);
  }

  async createPerson(person: PersonRecord): Promise<'created' | 'exists'> {
    if (this.#items.has(`${person.personRef}|FACTS`)) return 'exists';
    this.#items.set(`${person.personRef}|FACTS`, { version: person.version, doc: asStored(person) });
    return 'created';
  }

  async savePerson(person: PersonRecord): Promise<void> {
    this.#put(`${person.personRef}|FACTS`, person.version, person);
  }

  async listEpisodes(personRef: string): Promise<Episode[]> {
    return this.#prefix<Episode>(`${personRef}|EPISODE#`).map(([, e]) => e);
  }

  async getEpisode(personRef: string, n: number): Promise<Episode | null> {
    return this.#get(`${personRef}|EPISODE#${String(n).padStart(4, '0')}`);
  }

  async saveEpisode(episode: Episode): Promise<void> {
    this.#put(`${episode.personRef}|EPISODE#${String(episode.n).padStart(4, '0')}`, episode.version, episode);
  }

  async listPartnershipEpisodes(partnershipId: string): Promise<Episode[]> {
    return this.#prefix<Episode>('')
      .filter(([k, e]) => k.includes('|EPISODE#') && e.partnershipId === partnershipId)
      .map(([, e]) => e);
  }

  async putReview(personRef: string, n: number, review: Review): Promise<'created' | 'exists'> {
    const key = `${personRef}|REVIEW#${String(n).padStart(4, '0')}#${review.id}`;
    if (this.#items.has(key)) return 'exists';
    this.#items.set(key, { doc: asStored(review) });
    return 'created';
  }

  async listReviews(personRef: string): Promise<Map<string, Review[]>> {
    const map = new Map<string, Review[]>();
    for (const [key, review] of this.#prefix<Review>(`${personRef}|REVIEW#`)) {
      const id = `${personRef}-e${Number(key.split('|REVIEW#')[1]?.slice(0, 4))}`;
      map.set(id, [...(map.get(id) ?? []), review]);
    }
    return map;
  }

  async saveEnding(personRef: string, n: number, recommendation: EndingRecommendation): Promise<void> {
    this.#put(`${personRef}|ENDING#${String(n).padStart(4, '0')}#${recommendation.id}`, recommendation.version, recommendation);
  }

  async listEndings(personRef: string, n: number): Promise<EndingRecommendation[]> {
    return this.#prefix<EndingRecommendation>(`${personRef}|ENDING#${String(n).padStart(4, '0')}#`).map(([, e]) => e);
  }

  async putPlan(personRef: string, n: number, plan: AftercarePlan): Promise<'created' | 'exists'> {
    return this.#append(`${personRef}|PLAN#${String(n).padStart(4, '0')}#${String(plan.version).padStart(4, '0')}`, plan);
  }

  async listPlans(personRef: string, n: number): Promise<AftercarePlan[]> {
    return this.#prefix<AftercarePlan>(`${personRef}|PLAN#${String(n).padStart(4, '0')}#`).map(([, p]) => p);
  }

  async putLetter(personRef: string, letter: SentLetter): Promise<'created' | 'exists'> {
    return this.#append(`${personRef}|LETTER#${letter.id}`, letter);
  }

  async listLetters(personRef: string): Promise<SentLetter[]> {
    return this.#prefix<SentLetter>(`${personRef}|LETTER#`).map(([, l]) => l);
  }

  #append(key: string, doc: unknown): 'created' | 'exists' {
    if (this.#items.has(key)) return 'exists';
    this.#items.set(key, { doc: asStored(doc) });
    return 'created';
  }

  async wasSent(personRef: string, purpose: string, recipient: string): Promise<boolean> {
    return this.#items.has(`${personRef}|REGMAIL#${purpose}#${recipient}`);
  }

  async markSent(personRef: string, purpose: string, recipient: string, at: Instant): Promise<void> {
    this.#items.set(`${personRef}|REGMAIL#${purpose}#${recipient}`, { doc: { sentAt: at } });
  }
}
