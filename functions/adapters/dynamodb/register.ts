/**
 * The register's items in the Register table (docs/data-model.md):
 *   `PERSON#<ref>` / `FACTS`                    the person's facts, `version`
 *   `PERSON#<ref>` / `EPISODE#<n, 4 digits>`    a register record, `version`; `gsi1pk = REGISTER#<partnership>`
 *   `PERSON#<ref>` / `REVIEW#<n>#<id>`          a review, append-only
 *   `PERSON#<ref>` / `ENDING#<n>#<id>`          an ending recommendation, `version`
 *   `PERSON#<ref>` / `PLAN#<n>#<version>`       an aftercare plan version, append-only
 *   `PERSON#<ref>` / `LETTER#<id>`              a letter to the person (or a copy) recorded as sent, append-only
 *   `PERSON#<ref>` / `REGMAIL#<purpose>#<to>`   a notification sent
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from './sdk.ts';
import type { Instant } from '#domain/applications/application.ts';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import type { EndingRecommendation } from '#domain/register/ending.ts';
import type { SentLetter } from '#domain/register/letters.ts';
import type { AftercarePlan } from '#domain/register/plan.ts';
import type { RegisterStore } from '#domain/register/ports.ts';
import type { Episode, PersonRecord } from '#domain/register/register.ts';
import type { Review } from '#domain/register/reviews.ts';
import { isConditionalCheckFailed } from './errors.ts';

const pad = (n: number): string => String(n).padStart(4, '0');

export const registerKeys = {
  person: (ref: string) => `PERSON#${ref}`,
  facts: (ref: string) => ({ pk: `PERSON#${ref}`, sk: 'FACTS' }),
  episode: (ref: string, n: number) => ({ pk: `PERSON#${ref}`, sk: `EPISODE#${pad(n)}` }),
  review: (ref: string, n: number, id: string) => ({ pk: `PERSON#${ref}`, sk: `REVIEW#${pad(n)}#${id}` }),
  ending: (ref: string, n: number, id: string) => ({ pk: `PERSON#${ref}`, sk: `ENDING#${pad(n)}#${id}` }),
  plan: (ref: string, n: number, version: number) => ({ pk: `PERSON#${ref}`, sk: `PLAN#${pad(n)}#${pad(version)}` }),
  letter: (ref: string, id: string) => ({ pk: `PERSON#${ref}`, sk: `LETTER#${id}` }),
  mail: (ref: string, purpose: string, to: string) => ({ pk: `PERSON#${ref}`, sk: `REGMAIL#${purpose}#${to}` }),
  partnership: (id: string) => `REGISTER#${id}`,
} as const;

export class DynamoRegisterStore implements RegisterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getPerson(personRef: string): Promise<PersonRecord | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.table, Key: registerKeys.facts(personRef), ConsistentRead: true }));
    return (result.Item?.['doc'] as PersonRecord | undefined) ?? null;
  }

  async createPerson(person: PersonRecord): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...registerKeys.facts(person.personRef), version: person.version, doc: person },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async savePerson(person: PersonRecord): Promise<void> {
    await this.#versioned({ ...registerKeys.facts(person.personRef), version: person.version, doc: person }, person.version);
  }

  async listEpisodes(personRef: string): Promise<Episode[]> {
    return (await this.#prefix(personRef, 'EPISODE#')).map((item) => item['doc'] as Episode);
  }

  async getEpisode(personRef: string, n: number): Promise<Episode | null> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: registerKeys.episode(personRef, n), ConsistentRead: true }),
    );
    return (result.Item?.['doc'] as Episode | undefined) ?? null;
  }

  async saveEpisode(episode: Episode): Promise<void> {
    await this.#versioned(
      {
        ...registerKeys.episode(episode.personRef, episode.n),
        version: episode.version,
        doc: episode,
        gsi1pk: registerKeys.partnership(episode.partnershipId),
        gsi1sk: `${episode.personRef}#${pad(episode.n)}`,
      },
      episode.version,
    );
  }

  async listPartnershipEpisodes(partnershipId: string): Promise<Episode[]> {
    const out: Episode[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'ByOrganisation',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': registerKeys.partnership(partnershipId) },
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of result.Items ?? []) out.push(item['doc'] as Episode);
      start = result.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }

  async putReview(personRef: string, n: number, review: Review): Promise<'created' | 'exists'> {
    return this.#append({ ...registerKeys.review(personRef, n, review.id), doc: review });
  }

  async putPlan(personRef: string, n: number, plan: AftercarePlan): Promise<'created' | 'exists'> {
    return this.#append({ ...registerKeys.plan(personRef, n, plan.version), doc: plan });
  }

  async listPlans(personRef: string, n: number): Promise<AftercarePlan[]> {
    return (await this.#prefix(personRef, `PLAN#${pad(n)}#`)).map((item) => item['doc'] as AftercarePlan);
  }

  async putLetter(personRef: string, letter: SentLetter): Promise<'created' | 'exists'> {
    return this.#append({ ...registerKeys.letter(personRef, letter.id), doc: letter });
  }

  async listLetters(personRef: string): Promise<SentLetter[]> {
    return (await this.#prefix(personRef, 'LETTER#')).map((item) => item['doc'] as SentLetter);
  }

  /** An append-only item: written once, never replaced. */
  async #append(item: Record<string, unknown>): Promise<'created' | 'exists'> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(sk)' }));
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async listReviews(personRef: string): Promise<Map<string, Review[]>> {
    const map = new Map<string, Review[]>();
    for (const item of await this.#prefix(personRef, 'REVIEW#')) {
      const n = Number(String(item['sk']).slice(7, 11));
      const id = `${personRef}-e${n}`;
      map.set(id, [...(map.get(id) ?? []), item['doc'] as Review]);
    }
    return map;
  }

  async saveEnding(personRef: string, n: number, recommendation: EndingRecommendation): Promise<void> {
    await this.#versioned(
      { ...registerKeys.ending(personRef, n, recommendation.id), version: recommendation.version, doc: recommendation },
      recommendation.version,
    );
  }

  async listEndings(personRef: string, n: number): Promise<EndingRecommendation[]> {
    return (await this.#prefix(personRef, `ENDING#${pad(n)}#`)).map((item) => item['doc'] as EndingRecommendation);
  }

  async wasSent(personRef: string, purpose: string, recipient: string): Promise<boolean> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: registerKeys.mail(personRef, purpose, recipient), ConsistentRead: true }),
    );
    return result.Item !== undefined;
  }

  async markSent(personRef: string, purpose: string, recipient: string, at: Instant): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { ...registerKeys.mail(personRef, purpose, recipient), sentAt: at } }),
    );
  }

  async #versioned(item: Record<string, unknown> & { version: number }, version: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ...(version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': version - 1 } }),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new ConcurrentUpdateError();
      throw error;
    }
  }

  async #prefix(personRef: string, prefix: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': registerKeys.person(personRef), ':prefix': prefix },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      out.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }
}
