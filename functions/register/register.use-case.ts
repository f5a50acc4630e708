/**
 * The register's core: record facts about a person (idempotently), re-run the engine over all of them, bring
 * the episodes in line, and carry out what follows from a change: the chronology, the bodies told, funding
 * noted as following, and the review schedule started for an episode whose duty is in force. Every step is
 * safe to repeat: facts by key, chronology entries by key, mail by purpose, workflows by execution name.
 */
import type { CaseEvent, OrgCode } from '#domain/facts.ts';
import type { Partnership } from '#domain/partnership.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import {
  activeEvents,
  deriveEpisodes,
  reconcile,
  registerDate,
  statusOn,
  type Episode,
  type FundingChange,
  type PersonRecord,
  type RecordedEvent,
  type RegisterActor,
  type RegisterChange,
} from '#domain/register/register.ts';
import {
  DEFAULT_REVIEW_SETTINGS,
  movesOfArea,
  nextReview,
  reviewSchedule,
  type Review,
  type ReviewSettings,
} from '#domain/register/reviews.ts';
import { entitlementLetter } from '#domain/register/letters.ts';
import { canonicalJson, sha256Hex } from '../api/canonical-json.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import { updateVersioned, withOptimisticRetry } from '../shared/optimistic-update.ts';
import { sendOnce } from '../shared/send-once.ts';
import type { RegisterDeps } from './deps.ts';
import { tellPersonAndCarers } from './letters.use-case.ts';
import { registerChangeMessage } from './messages.ts';

export interface NewFact {
  key: string;
  event: CaseEvent;
  source: RecordedEvent['source'];
  batch?: { id: string; row: number };
}

export type FactOutcome = 'recorded' | 'already-recorded';

export const factKey = (event: CaseEvent): string => `fact:${sha256Hex(canonicalJson(event)).slice(0, 32)}`;

export function reviewSettingsOf(partnership: Partnership | null): ReviewSettings {
  return { ...DEFAULT_REVIEW_SETTINGS, ...(partnership?.reviews ?? {}) };
}

const notFound = (): ProblemError => new ProblemError(404, 'No such person on the register.');

/** The person, if the caller's organisation is a member of their partnership (404 otherwise, as for a missing person). */
export async function personFor(
  deps: Pick<RegisterDeps, 'store' | 'directory'>,
  caller: Caller,
  personRef: string,
): Promise<{ person: PersonRecord; partnership: Partnership }> {
  const person = await deps.store.getPerson(personRef);
  if (person === null) throw notFound();
  const partnership = await deps.directory.partnership(person.partnershipId);
  if (partnership === null || !partnership.members.includes(caller.org)) throw notFound();
  return { person, partnership };
}

/** The caller's partnership: the one named (if the caller belongs to it), or their only one. */
export async function partnershipOf(
  deps: Pick<RegisterDeps, 'directory'>,
  org: OrgCode,
  requested: string | undefined,
  field: string,
): Promise<Partnership> {
  const memberOf = await deps.directory.partnershipsOf(org);
  let id: string | undefined;
  if (requested !== undefined) {
    if (!memberOf.includes(requested))
      throw new ProblemError(422, `${org} is not a member of that partnership.`, {
        errors: [{ field, message: `is not a partnership ${org} belongs to` }],
      });
    id = requested;
  } else if (memberOf.length === 1) {
    id = memberOf[0];
  } else if (memberOf.length === 0) {
    throw new ProblemError(422, `${org} is not a member of any partnership.`);
  } else {
    throw new ProblemError(422, `${org} belongs to ${memberOf.length} partnerships; say which one.`, {
      errors: [{ field, message: `is required: one of ${memberOf.join(', ')}` }],
    });
  }
  const partnership = id === undefined ? null : await deps.directory.partnership(id);
  if (partnership === null) throw new ProblemError(422, `The partnership ${id ?? ''} is not configured.`);
  return partnership;
}

/** Creates the person on the register unless they are there already. */
export async function ensurePerson(
  deps: RegisterDeps,
  input: { personRef: string; nhsNumber: string; name?: string; partnershipId: string },
): Promise<PersonRecord> {
  const at = deps.clock.now();
  const candidate: PersonRecord = {
    personRef: input.personRef,
    partnershipId: input.partnershipId,
    version: 1,
    createdAt: at,
    updatedAt: at,
    nhsNumber: input.nhsNumber,
    events: [],
    charges: [],
  };
  if (input.name !== undefined) candidate.name = input.name;
  if ((await deps.store.createPerson(candidate)) === 'created') return candidate;
  const existing = await deps.store.getPerson(input.personRef);
  if (existing === null) throw new Error('The person vanished after creation');
  return existing;
}

/** Saves `change(person)` with optimistic concurrency, re-reading on a conflict. */
export async function updatePerson(
  deps: RegisterDeps,
  personRef: string,
  change: (p: PersonRecord) => PersonRecord | null,
): Promise<PersonRecord> {
  const saved = await updateVersioned(
    { read: () => deps.store.getPerson(personRef), write: (next) => deps.store.savePerson(next) },
    change,
    () => deps.clock.now(),
  );
  if (saved === null) throw notFound();
  return saved;
}

/**
 * Appends facts to the person (each once: by key, and an identical fact already recorded is not recorded
 * again), writes each to the chronology, and re-runs the register.
 */
export async function recordFacts(
  deps: RegisterDeps,
  personRef: string,
  facts: readonly NewFact[],
  actor: RegisterActor,
): Promise<{ outcomes: FactOutcome[]; changes: RegisterChange[] }> {
  const at = deps.clock.now();
  const outcomes: FactOutcome[] = [];
  const person = await updatePerson(deps, personRef, (p) => {
    outcomes.length = 0;
    const byKey = new Set(p.events.map((e) => e.key));
    const contents = new Set(p.events.filter((e) => e.withdrawn === undefined).map((e) => canonicalJson(e.event)));
    const added: RecordedEvent[] = [];
    for (const fact of facts) {
      const content = canonicalJson(fact.event);
      if (byKey.has(fact.key) || contents.has(content)) {
        outcomes.push('already-recorded');
        continue;
      }
      byKey.add(fact.key);
      contents.add(content);
      added.push({
        key: fact.key,
        event: fact.event,
        recordedAt: at,
        source: fact.source,
        actor,
        ...(fact.batch === undefined ? {} : { batch: fact.batch }),
      });
      outcomes.push('recorded');
    }
    return added.length === 0 ? null : { ...p, events: [...p.events, ...added] };
  });
  const stored = new Map(person.events.map((e) => [e.key, e]));
  for (const fact of facts) {
    const recorded = stored.get(fact.key);
    if (recorded === undefined) continue;
    await deps.chronology.append(personRef, {
      key: `register-fact:${fact.key}`,
      at: recorded.recordedAt,
      type: 'register-fact-recorded',
      actor: stripActor(recorded.actor),
      data: { source: recorded.source, event: recorded.event, ...(recorded.batch === undefined ? {} : { batch: recorded.batch }) },
    });
  }
  const changes = await syncRegister(deps, personRef);
  return { outcomes, changes };
}

function stripActor(actor: RegisterActor): RegisterActor {
  const out: RegisterActor = {};
  if (actor.userId !== undefined) out.userId = actor.userId;
  if (actor.org !== undefined) out.org = actor.org;
  if (actor.system !== undefined) out.system = actor.system;
  return out;
}

/**
 * Re-runs the engine over the person's facts and brings the episodes in line; then records and announces
 * what changed and (re)starts the review schedule of every episode whose duty is in force.
 * @see rules.md R-END-2, R-LA-5, R-WP-117-3
 */
export async function syncRegister(deps: RegisterDeps, personRef: string): Promise<RegisterChange[]> {
  return withOptimisticRetry(async () => {
    const person = await deps.store.getPerson(personRef);
    if (person === null) throw notFound();
    const partnership = await deps.directory.partnership(person.partnershipId);
    const events = activeEvents(person);
    const asOf = registerDate(events, deps.clock.today());
    const derived = deriveEpisodes(personRef, events, asOf, partnership?.ruleConfig ?? DEFAULT_RULE_CONFIG);
    const stored = await deps.store.listEpisodes(personRef);
    const at = deps.clock.now();
    const result = reconcile({ personRef, partnershipId: person.partnershipId, at }, stored, derived);
    const writes = new Map(result.writes.map((e) => [e.id, e]));
    // A move of area owes a review: the schedule is planned afresh (a new workflow generation).
    for (const episode of result.episodes) {
      if (episode.dutyArose === undefined || episode.ended !== undefined) continue;
      const moves = movesOfArea(events, episode.dutyArose).join(',');
      if (moves !== (episode.movesOfArea ?? '')) {
        const base = writes.get(episode.id) ?? { ...episode, version: episode.version + 1, updatedAt: at };
        writes.set(episode.id, { ...base, movesOfArea: moves, reviewGeneration: base.reviewGeneration + 1 });
      }
    }
    const fundingChanges = await fundingFollows(deps, personRef, result.changes, result.episodes);
    for (const { episodeId: id, change } of fundingChanges) {
      const base = writes.get(id) ?? result.episodes.find((e) => e.id === id);
      if (base === undefined || base.fundingChanges.some((f) => f.date === change.date && f.party === change.party && f.to === change.to))
        continue;
      writes.set(id, {
        ...base,
        fundingChanges: [...base.fundingChanges, change],
        ...(writes.has(id) ? {} : { version: base.version + 1, updatedAt: at }),
      });
    }
    for (const episode of writes.values()) await deps.store.saveEpisode(episode);
    const episodes = result.episodes.map((e) => writes.get(e.id) ?? e);
    await announce(deps, personRef, result.changes, episodes, fundingChanges);
    for (const episode of episodes) {
      if (episode.dutyArose !== undefined && episode.ended === undefined) await startReviewSchedule(deps, episode);
    }
    return result.changes;
  });
}

/** The name of an execution of the episode's review schedule (`seq` 0 keeps the name the register starts it by). */
export function scheduleExecutionName(episodeId: string, generation: number, seq: number): string {
  return seq === 0 ? `review-${episodeId}-g${generation}` : `review-${episodeId}-g${generation}-s${seq}`;
}

/** Starts the episode's review schedule (its first execution per episode and generation; starting again is a no-op). */
export async function startReviewSchedule(deps: RegisterDeps, episode: Episode): Promise<void> {
  await deps.workflow.start(deps.reviewStateMachineArn, scheduleExecutionName(episode.id, episode.reviewGeneration, 0), {
    personRef: episode.personRef,
    n: episode.n,
    generation: episode.reviewGeneration,
    seq: 0,
  });
}

/** Applications recorded in the person's chronology (their arrangements are noted, never rewritten). */
async function applicationsOf(deps: RegisterDeps, personRef: string): Promise<string[]> {
  const entries = await deps.chronology.list(personRef);
  return [...new Set(entries.flatMap((e) => (e.applicationId === undefined ? [] : [e.applicationId])))].sort();
}

/**
 * Funding follows the duty: a new episode after a fresh detention with another council, or a body changed
 * within an episode, is recorded on the episode from the day the new body became responsible.
 */
async function fundingFollows(
  deps: RegisterDeps,
  personRef: string,
  changes: readonly RegisterChange[],
  episodes: readonly Episode[],
): Promise<{ episodeId: string; change: FundingChange }[]> {
  const out: { episodeId: string; change: FundingChange }[] = [];
  const moves: { id: string; party: 'icb' | 'la'; from: string | null; to: string | null; date: string }[] = [];
  for (const change of changes) {
    if (change.kind === 'body-changed')
      moves.push({ id: change.episodeId, party: change.party, from: change.from, to: change.to, date: change.date });
    if (change.kind === 'episode-opened') {
      const index = episodes.findIndex((e) => e.id === change.episodeId);
      const opened = episodes[index];
      const previous = index > 0 ? episodes[index - 1] : undefined;
      if (opened === undefined || previous?.ended?.by !== 're-detention') continue;
      if (previous.localAuthority.body !== opened.localAuthority.body) {
        moves.push({
          id: opened.id,
          party: 'la',
          from: previous.localAuthority.body,
          to: opened.localAuthority.body,
          date: opened.localAuthority.since ?? opened.detentionFrom,
        });
      }
      if (previous.icb.body !== opened.icb.body)
        moves.push({
          id: opened.id,
          party: 'icb',
          from: previous.icb.body,
          to: opened.icb.body,
          date: opened.icb.since ?? opened.detentionFrom,
        });
    }
  }
  if (moves.length === 0) return out;
  const applicationIds = await applicationsOf(deps, personRef);
  for (const m of moves) {
    const who = m.party === 'icb' ? 'ICB' : 'local authority';
    out.push({
      episodeId: m.id,
      change: {
        date: m.date,
        party: m.party,
        from: m.from,
        to: m.to,
        applicationIds,
        note:
          applicationIds.length === 0
            ? `The ${who} share of s117 funding moves from ${m.from ?? 'none'} to ${m.to ?? 'none'} from this date.`
            : `The ${who} share of s117 funding moves from ${m.from ?? 'none'} to ${m.to ?? 'none'} from this date. Applications ${applicationIds.join(', ')} hold arrangements made before the change; they are not rewritten here, and the bodies should review them.`,
      },
    });
  }
  return out;
}

async function announce(
  deps: RegisterDeps,
  personRef: string,
  changes: readonly RegisterChange[],
  episodes: readonly Episode[],
  funding: readonly { episodeId: string; change: FundingChange }[],
): Promise<void> {
  const at = deps.clock.now();
  for (const change of changes) {
    const episode = episodes.find((e) => e.id === change.episodeId);
    if (episode === undefined) continue;
    const detail = 'date' in change ? change.date : 'detentionFrom' in change ? change.detentionFrom : '';
    const key = `register:${change.kind}:${change.episodeId}:${detail}${change.kind === 'body-changed' ? `:${change.party}:${change.to ?? 'none'}` : ''}`;
    const { kind, ...data } = change;
    await deps.chronology.append(personRef, {
      key,
      at,
      type: `register-${kind}`,
      actor: { system: 'register' },
      data: { ...data, icb: episode.icb.body, localAuthority: episode.localAuthority.body },
    });
    const recipients = new Set<string>();
    for (const body of [episode.icb.body, episode.localAuthority.body]) if (body !== null) recipients.add(body);
    if (change.kind === 'body-changed' && change.from !== null) recipients.add(change.from);
    const message = registerChangeMessage(change, episode, deps.appBaseUrl);
    for (const code of recipients) {
      const org = await deps.directory.organisation(code);
      if (org === null) continue;
      const mail = { about: personRef, purpose: sha256Hex(key).slice(0, 24), to: org.email, message };
      await sendOnce(deps, deps.store, { ...mail, tags: { purpose: `register-${kind}` } });
    }
    // The person is told they are entitled, what it means and who their contact is, when the duty arises (issue 17 item 3).
    if (change.kind === 'duty-arose' && episode.ended === undefined) {
      const person = await deps.store.getPerson(personRef);
      if (person !== null) await tellPersonAndCarers(deps, person, episode, 'entitlement', entitlementLetter);
    }
  }
  for (const { episodeId: id, change: f } of funding) {
    await deps.chronology.append(personRef, {
      key: `register:funding-follows:${id}:${f.party}:${f.date}:${f.to ?? 'none'}`,
      at,
      type: 'register-funding-follows',
      actor: { system: 'register' },
      data: { episodeId: id, ...f },
    });
  }
}

/** What the API shows of an episode: the record and its status and next review on `asOf`. */
export function episodeView(
  episode: Episode,
  events: readonly CaseEvent[],
  reviews: readonly Review[],
  asOf: string,
  settings: ReviewSettings,
): Record<string, unknown> {
  const schedule = reviewSchedule({ arose: episode.dutyArose, ended: episode.ended?.date, events, reviews }, settings);
  const next = nextReview(schedule);
  const record: Partial<Episode> = { ...episode };
  delete record.movesOfArea;
  return {
    ...record,
    status: statusOn(episode, { events, reviews, asOf, settings }),
    asOf,
    nextReview: next === undefined ? null : { key: next.key, kind: next.kind, due: next.due, overdue: next.due < asOf },
    reviews: [...reviews]
      .sort((a, b) => (a.date < b.date ? -1 : 1))
      .map((r) => ({ id: r.id, date: r.date, outcome: r.outcome, personTookPart: r.personTookPart, participants: r.participants })),
    schedule,
  };
}

/**
 * A letter the person is owed, recorded in their chronology as due (issue 17): the letters themselves (rendering,
 * versions, sending) belong to the person's-letters feature, which reads these entries. Idempotent by key.
 */
export async function recordLetterDue(
  deps: Pick<RegisterDeps, 'chronology' | 'clock'>,
  personRef: string,
  letter: { kind: string; ref: string; episodeId?: string; ruleIds: string[]; about: string },
): Promise<void> {
  await deps.chronology.append(personRef, {
    key: `register:letter-due:${letter.kind}:${letter.ref}`,
    at: deps.clock.now(),
    type: 'register-letter-due',
    actor: { system: 'register' },
    data: {
      letter: letter.kind,
      ref: letter.ref,
      ...(letter.episodeId === undefined ? {} : { episodeId: letter.episodeId }),
      ruleIds: letter.ruleIds,
      about: letter.about,
    },
  });
}
