/** The register store's contract, run against DynamoDB (dynalite) and the in-memory twin: same versions, conflicts and idempotency. */
import { describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '#domain/errors.ts';
import type { EndingRecommendation } from '#domain/register/ending.ts';
import type { SentLetter } from '#domain/register/letters.ts';
import type { AftercarePlan } from '#domain/register/plan.ts';
import type { RegisterStore } from '#domain/register/ports.ts';
import { deriveEpisodes, reconcile, type Episode, type PersonRecord } from '#domain/register/register.ts';
import type { Review } from '#domain/register/reviews.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { DynamoRegisterStore } from '#functions/adapters/dynamodb/register.ts';
import { MemoryRegisterStore } from '#functions/adapters/memory/register.ts';
import { useDynalite } from '../../adapters/dynalite.ts';
import { detained, discharged, gp, home } from '../../support/case-builder.ts';
import { planContent } from '../../support/plan-builder.ts';

const REF = 'p_abcdefghijklmnopqrstuvwxyz';
const person: PersonRecord = {
  personRef: REF,
  partnershipId: 'west',
  version: 1,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  nhsNumber: '9434765919',
  events: [],
  charges: [],
};
const events = [home('2018-01-01', 'LA-A', 'ICB-A'), gp('2018-01-01', 'ICB-A'), detained('2025-01-10'), ...discharged('2025-03-10')];
const episode = (): Episode => {
  const [first] = reconcile(
    { personRef: REF, partnershipId: 'west', at: '2025-03-11T00:00:00Z' },
    [],
    deriveEpisodes(REF, events, '2025-03-11', DEFAULT_RULE_CONFIG),
  ).episodes;
  if (first === undefined) throw new Error('no episode');
  return first;
};
const review: Review = {
  id: 'rev_1',
  date: '2025-04-01',
  outcome: 'continue',
  personTookPart: true,
  participants: [],
  recordedAt: '2025-04-01T10:00:00Z',
  recordedBy: { userId: 'u', org: 'ICB-A' },
};

function contract(name: string, make: () => Promise<RegisterStore>): void {
  describe(`register store: ${name}`, () => {
    it('creates a person once, then saves only on the expected version', async () => {
      const store = await make();
      expect(await store.createPerson(person)).toBe('created');
      expect(await store.createPerson({ ...person, nhsNumber: '4010232137' })).toBe('exists');
      await store.savePerson({
        ...person,
        version: 2,
        events: [{ key: 'k', event: detained('2025-01-10'), recordedAt: 't', source: 'api', actor: { org: 'LA-A' } }],
      });
      await expect(store.savePerson({ ...person, version: 2 })).rejects.toThrow(ConcurrentUpdateError);
      expect((await store.getPerson(REF))?.events.map((e) => e.key)).toStrictEqual(['k']);
      expect(await store.getPerson('p_zzzzzzzzzzzzzzzzzzzzzzzzzz')).toBe(null);
    });

    it('episodes: versioned, listed per person and per partnership', async () => {
      const store = await make();
      const e = episode();
      await store.saveEpisode(e);
      await expect(store.saveEpisode(e)).rejects.toThrow(ConcurrentUpdateError);
      await store.saveEpisode({ ...e, version: 2, namedPractitioner: { name: 'Sam', email: 'sam@example.org' } });
      expect((await store.getEpisode(REF, 1))?.namedPractitioner?.name).toBe('Sam');
      expect((await store.listEpisodes(REF)).map((x) => [x.id, x.version])).toStrictEqual([[`${REF}-e1`, 2]]);
      expect((await store.listPartnershipEpisodes('west')).map((x) => x.id)).toStrictEqual([`${REF}-e1`]);
      expect(await store.listPartnershipEpisodes('south')).toStrictEqual([]);
    });

    it('reviews are append-only by id; endings are versioned; mail is remembered', async () => {
      const store = await make();
      expect(await store.putReview(REF, 1, review)).toBe('created');
      expect(await store.putReview(REF, 1, { ...review, outcome: 'change-plan' })).toBe('exists');
      expect([...(await store.listReviews(REF)).entries()].map(([id, rs]) => [id, rs.map((r) => r.outcome)])).toStrictEqual([
        [`${REF}-e1`, ['continue']],
      ]);
      const rec = {
        id: 'end_aaaaaaaaaaaaaaaaaaaa',
        episodeId: `${REF}-e1`,
        version: 1,
        state: 'awaiting-panel',
        route: 'joint-decisions',
        decisions: {},
      } as unknown as EndingRecommendation;
      await store.saveEnding(REF, 1, rec);
      await expect(store.saveEnding(REF, 1, rec)).rejects.toThrow(ConcurrentUpdateError);
      await store.saveEnding(REF, 1, { ...rec, version: 2, state: 'agreed' });
      expect((await store.listEndings(REF, 1)).map((r) => [r.id, r.state])).toStrictEqual([['end_aaaaaaaaaaaaaaaaaaaa', 'agreed']]);
      expect(await store.listEndings(REF, 2)).toStrictEqual([]);
      expect(await store.wasSent(REF, 'p', 'a@example.org')).toBe(false);
      await store.markSent(REF, 'p', 'a@example.org', '2025-01-01T00:00:00Z');
      expect(await store.wasSent(REF, 'p', 'a@example.org')).toBe(true);
    });

    it('plan versions are append-only by number, listed per episode in order; letters append-only by id (issue 17)', async () => {
      const store = await make();
      const plan = (version: number, n = 1): AftercarePlan => ({
        ...planContent(),
        id: `v${version}`,
        episodeId: `${REF}-e${n}`,
        version,
        recordedAt: '2025-03-11T09:00:00Z',
        recordedBy: { userId: 'u', org: 'LA-A' },
      });
      expect(await store.putPlan(REF, 1, plan(2))).toBe('created');
      expect(await store.putPlan(REF, 1, plan(1))).toBe('created');
      expect(await store.putPlan(REF, 1, { ...plan(2), id: 'other' })).toBe('exists');
      expect(await store.putPlan(REF, 2, plan(1, 2))).toBe('created');
      expect((await store.listPlans(REF, 1)).map((p) => [p.version, p.id])).toStrictEqual([
        [1, 'v1'],
        [2, 'v2'],
      ]);
      expect(await store.listPlans(REF, 3)).toStrictEqual([]);
      const letter: SentLetter = {
        id: 'abc',
        episodeId: `${REF}-e1`,
        kind: 'plan',
        variant: 'standard',
        templateVersion: '2026-12.1',
        recipient: 'person',
        channel: 'email',
        about: 'plan-v1',
        sentAt: '2025-03-11T09:00:00Z',
      };
      expect(await store.putLetter(REF, letter)).toBe('created');
      expect(await store.putLetter(REF, { ...letter, channel: 'post' })).toBe('exists');
      expect(await store.listLetters(REF)).toStrictEqual([letter]);
    });
  });
}

const freshTable = useDynalite();
contract('DynamoDB (dynalite)', async () => {
  const { db, tableName } = await freshTable();
  return new DynamoRegisterStore(db, tableName);
});
contract('in memory', async () => new MemoryRegisterStore());
