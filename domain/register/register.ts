/**
 * The joint s117 register: one record per person per s117 episode, derived from the person's facts by the
 * engine and kept in step with them. Every new fact re-runs the engine over the whole history; where the
 * answer changes (a fresh qualifying detention ends the council's duty and opens a new episode, while the
 * ICB stays under SI 2022/635) the register says so, and the changes are returned as data for the
 * application layer to tell the bodies and record in the chronology.
 * @see rules.md R-ELIG-1, R-ELIG-2, R-END-1, R-END-2, R-LA-5, R-WP-117-3
 */
import type { Instant } from '../applications/application.ts';
import { addDays, maxDate, type LocalDate } from '../dates.ts';
import type { BodyKind, ReviewItem } from '../determination.ts';
import type { CaseEvent, OrgCode } from '../facts.ts';
import { eventDate } from '../facts.ts';
import { determine } from '../responsibility/determine.ts';
import { readHistory } from '../responsibility/history.ts';
import type { RuleConfig } from '../rules/config.ts';
import type { PersonalBudget } from './budgets.ts';
import type { ChildRecord } from './children.ts';
import type { PersonContacts, Supporter } from './supporters.ts';
import { DEFAULT_REVIEW_SETTINGS, nextReview, reviewSchedule, reviewTimes, type Review, type ReviewSettings } from './reviews.ts';

export const REGISTER_STATUSES = ['eligible', 'active', 'review-due', 'ended', 'ended-by-redetention'] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];

export interface RegisterActor {
  userId?: string;
  org?: OrgCode;
  system?: string;
}

/** One fact about the person, as the register received it. */
export interface RecordedEvent {
  /** Idempotency key: a fact with a key already recorded is not recorded again. */
  key: string;
  event: CaseEvent;
  recordedAt: Instant;
  source: 'api' | 'batch' | 'ending-decision';
  /** For a fact from a CSV batch: the batch and the row (header = row 1). */
  batch?: { id: string; row: number };
  actor: RegisterActor;
  /** An ending later reinstated: kept for the record, no longer read by the engine. */
  withdrawn?: { at: Instant; reason: string; actor: RegisterActor };
}

/** A charge someone raised against the person for a line of an application's care plan (counted by the maturity matrix). */
export interface RecordedCharge {
  id: string;
  applicationId: string;
  lineId: string;
  from: LocalDate;
  to: LocalDate;
  amountPence: number;
  payer: 'person' | 'third-party';
  recordedAt: Instant;
}

/** The person on the register: their facts, accumulated, with a version for conditional writes. */
export interface PersonRecord {
  personRef: string;
  partnershipId: string;
  version: number;
  createdAt: Instant;
  updatedAt: Instant;
  /** Ten digits; never logged, never in mail to bodies. */
  nhsNumber: string;
  /** For letters to the person only; never logged, never in mail to bodies. */
  name?: string;
  events: RecordedEvent[];
  charges: RecordedCharge[];
  /** A child or young person: date of birth, involvement, education, transition (issue 17 item 5). */
  child?: ChildRecord;
  /** Requests for a personal health budget or a direct payment, and their decisions (issue 17 item 4). */
  budgets?: PersonalBudget[];
  /** How the person is written to (issue 17); absent until recorded. Never logged, never in mail to bodies. */
  contacts?: PersonContacts;
  /** Carers, family, representatives and advocates (issue 17); absent until recorded. */
  supporters?: Supporter[];
}

/** The facts the engine reads: every recorded event not withdrawn. */
export const activeEvents = (person: Pick<PersonRecord, 'events'>): CaseEvent[] =>
  person.events.filter((e) => e.withdrawn === undefined).map((e) => e.event);

export interface BodyPeriod {
  body: OrgCode | null;
  from: LocalDate;
}

export interface RegisterBody {
  body: OrgCode | null;
  kind: BodyKind;
  /** The day this body became responsible for the episode. */
  since: LocalDate | undefined;
  ruleIds: string[];
  reasons: string[];
  /** Who held it, from when, within this episode (oldest first). */
  history: BodyPeriod[];
}

export type EpisodeEnd = { date: LocalDate; by: 'joint-decision' | 'death' | 're-detention'; personInvolved?: boolean };

/** The engine's view of one episode. */
export interface DerivedEpisode {
  /** Start of the continuous detention: the episode's identity. */
  detentionFrom: LocalDate;
  qualifyingDetention: { section: string; from: LocalDate };
  /** The day the duty arose (ceased to be detained and left hospital). */
  dutyArose?: LocalDate;
  ended?: EpisodeEnd;
  icb: Omit<RegisterBody, 'history'>;
  localAuthority: Omit<RegisterBody, 'history'>;
  needsHumanReview: ReviewItem[];
}

export interface NamedPractitioner {
  name: string;
  email: string;
  role?: string;
}

/** How funding followed a change of responsible body. */
export interface FundingChange {
  date: LocalDate;
  party: 'icb' | 'la';
  from: OrgCode | null;
  to: OrgCode | null;
  /** Applications for the person whose arrangements were made before the change (not rewritten). */
  applicationIds: string[];
  note: string;
}

/** A register record: one per person per s117 episode (`PERSON#<ref>` / `EPISODE#<n>`). */
export interface Episode {
  id: string;
  personRef: string;
  n: number;
  partnershipId: string;
  version: number;
  createdAt: Instant;
  updatedAt: Instant;
  detentionFrom: LocalDate;
  qualifyingDetention: { section: string; from: LocalDate };
  dutyArose?: LocalDate;
  ended?: EpisodeEnd;
  icb: RegisterBody;
  localAuthority: RegisterBody;
  namedPractitioner?: NamedPractitioner;
  needsHumanReview: ReviewItem[];
  /** Bumped when the review schedule must be planned afresh (a move of area, a reinstatement); names the workflow run. */
  reviewGeneration: number;
  /** The moves of area the review schedule was last planned with (comma-separated dates). */
  movesOfArea?: string;
  fundingChanges: FundingChange[];
  reminders: { obligation: string; at: Instant }[];
  escalations: { obligation: string; at: Instant; count: number }[];
}

export const episodeId = (personRef: string, n: number): string => `${personRef}-e${n}`;

/** `p_<26 base32>-e<n>` → its parts; null for anything else. */
export function parseEpisodeId(id: string): { personRef: string; n: number } | null {
  const match = /^(p_[a-z2-7]{26})-e([1-9]\d{0,3})$/.exec(id);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return { personRef: match[1], n: Number(match[2]) };
}

/** The date the register reads the facts as of: today, or the latest fact's date if later (a fact dated ahead of the clock still counts). */
export function registerDate(events: readonly CaseEvent[], today: LocalDate): LocalDate {
  return events.reduce((latest, e) => maxDate(latest, eventDate(e)), today);
}

/**
 * Every s117 episode the person's facts show, oldest first, with the bodies the engine names for each:
 * an ended episode as on the day before it ended, the current one as on `asOf`.
 * @see rules.md R-ELIG-1, R-ELIG-2, R-END-2
 */
export function deriveEpisodes(personRef: string, events: readonly CaseEvent[], asOf: LocalDate, config: RuleConfig): DerivedEpisode[] {
  const facts = { id: personRef, evaluationDate: asOf, events: [...events] };
  const history = readHistory(facts, config);
  const out: DerivedEpisode[] = [];
  for (const episode of history.episodes) {
    const d = episode.detention;
    const q = d.qualifying ?? { section: d.sections[0]?.section ?? '3', from: d.start };
    const on = episode.ended === undefined ? asOf : maxDate(d.start, addDays(episode.ended.date, -1));
    const determination = determine({ ...facts, evaluationDate: on }, config);
    const same = determination.eligibility.detentionFrom === d.start;
    const body = (b: typeof determination.icb): DerivedEpisode['icb'] =>
      same
        ? { body: b.body, kind: b.kind, since: b.since ?? episode.arose ?? q.from, ruleIds: b.ruleIds, reasons: b.reasons }
        : {
            body: null,
            kind: 'undetermined',
            since: undefined,
            ruleIds: [],
            reasons: ['The engine could not name a body for this episode.'],
          };
    const derived: DerivedEpisode = {
      detentionFrom: d.start,
      qualifyingDetention: { section: q.section, from: q.from },
      icb: body(determination.icb),
      localAuthority: body(determination.localAuthority),
      needsHumanReview: same ? determination.needsHumanReview : [],
    };
    if (episode.arose !== undefined) derived.dutyArose = episode.arose;
    if (episode.ended !== undefined) {
      const end: EpisodeEnd = { date: episode.ended.date, by: episode.ended.by };
      const involved = episode.ended.ending?.event.personInvolved;
      if (involved !== undefined) end.personInvolved = involved;
      derived.ended = end;
    }
    out.push(derived);
  }
  return out;
}

export type RegisterChange =
  | { kind: 'episode-opened'; episodeId: string; detentionFrom: LocalDate; section: string }
  | { kind: 'duty-arose'; episodeId: string; date: LocalDate }
  | { kind: 'episode-ended'; episodeId: string; date: LocalDate; by: EpisodeEnd['by'] }
  | { kind: 'episode-reinstated'; episodeId: string }
  | { kind: 'body-changed'; episodeId: string; party: 'icb' | 'la'; from: OrgCode | null; to: OrgCode | null; date: LocalDate };

export interface Reconciled {
  /** Episodes to write (new or changed), each with its version already incremented. */
  writes: Episode[];
  /** Every episode after reconciling (written or not), oldest first. */
  episodes: Episode[];
  changes: RegisterChange[];
}

function toBody(b: DerivedEpisode['icb'], previous: RegisterBody | undefined): RegisterBody {
  const history = previous?.history ? [...previous.history] : [];
  const last = history.at(-1);
  if (previous === undefined || previous.body !== b.body || last === undefined)
    history.push({ body: b.body, from: b.since ?? previous?.since ?? '' });
  else if (b.since !== undefined && last.from !== b.since) history[history.length - 1] = { ...last, from: b.since };
  return { ...b, history };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Brings the stored register records in line with the engine's episodes. Episodes are matched by the start
 * of their detention; a new one gets the next number. Returns what to write and what changed.
 */
export function reconcile(
  context: { personRef: string; partnershipId: string; at: Instant },
  stored: readonly Episode[],
  derived: readonly DerivedEpisode[],
): Reconciled {
  const byStart = new Map(stored.map((e) => [e.detentionFrom, e]));
  let nextN = stored.reduce((n, e) => Math.max(n, e.n), 0) + 1;
  const writes: Episode[] = [];
  const changes: RegisterChange[] = [];
  const episodes: Episode[] = [];
  for (const d of derived) {
    const previous = byStart.get(d.detentionFrom);
    byStart.delete(d.detentionFrom);
    const n = previous?.n ?? nextN++;
    const id = episodeId(context.personRef, n);
    const next: Episode = {
      id,
      personRef: context.personRef,
      n,
      partnershipId: previous?.partnershipId ?? context.partnershipId,
      version: previous?.version ?? 0,
      createdAt: previous?.createdAt ?? context.at,
      updatedAt: previous?.updatedAt ?? context.at,
      detentionFrom: d.detentionFrom,
      qualifyingDetention: d.qualifyingDetention,
      icb: toBody(d.icb, previous?.icb),
      localAuthority: toBody(d.localAuthority, previous?.localAuthority),
      needsHumanReview: d.needsHumanReview,
      reviewGeneration: previous?.reviewGeneration ?? 1,
      fundingChanges: previous?.fundingChanges ?? [],
      reminders: previous?.reminders ?? [],
      escalations: previous?.escalations ?? [],
    };
    if (d.dutyArose !== undefined) next.dutyArose = d.dutyArose;
    if (d.ended !== undefined) next.ended = d.ended;
    if (previous?.namedPractitioner !== undefined) next.namedPractitioner = previous.namedPractitioner;
    if (previous?.movesOfArea !== undefined) next.movesOfArea = previous.movesOfArea;

    if (previous === undefined)
      changes.push({ kind: 'episode-opened', episodeId: id, detentionFrom: d.detentionFrom, section: d.qualifyingDetention.section });
    if (d.dutyArose !== undefined && previous?.dutyArose !== d.dutyArose)
      changes.push({ kind: 'duty-arose', episodeId: id, date: d.dutyArose });
    if (d.ended !== undefined && (previous?.ended?.date !== d.ended.date || previous.ended.by !== d.ended.by)) {
      changes.push({ kind: 'episode-ended', episodeId: id, date: d.ended.date, by: d.ended.by });
    }
    if (d.ended === undefined && previous?.ended !== undefined) {
      changes.push({ kind: 'episode-reinstated', episodeId: id });
      next.reviewGeneration += 1;
    }
    if (previous !== undefined && d.ended === undefined) {
      for (const [party, before, after] of [
        ['icb', previous.icb, next.icb],
        ['la', previous.localAuthority, next.localAuthority],
      ] as const) {
        if (before.body !== after.body)
          changes.push({
            kind: 'body-changed',
            episodeId: id,
            party,
            from: before.body,
            to: after.body,
            date: after.since ?? before.since ?? '',
          });
      }
    }
    const comparable = (e: Episode) => ({ ...e, version: 0, updatedAt: '' });
    if (previous === undefined || !sameJson(comparable(previous), comparable(next))) {
      writes.push({ ...next, version: next.version + 1, updatedAt: context.at });
      episodes.push({ ...next, version: next.version + 1, updatedAt: context.at });
    } else {
      episodes.push(previous);
    }
  }
  // Episodes the facts no longer show (a fact corrected) stay as written, so nothing recorded is lost.
  for (const left of byStart.values()) episodes.push(left);
  episodes.sort((a, b) => a.n - b.n);
  return { writes, episodes, changes };
}

/**
 * The episode's status on a date: eligible (qualifying detention, duty not yet arisen), active, review due
 * (within the reminder lead of a review, or past it), ended, or ended by re-detention.
 */
export function statusOn(
  episode: Pick<Episode, 'dutyArose' | 'ended'>,
  context: { events: readonly CaseEvent[]; reviews: readonly Pick<Review, 'id' | 'date'>[]; asOf: LocalDate; settings?: ReviewSettings },
): RegisterStatus {
  if (episode.ended !== undefined && episode.ended.date <= context.asOf)
    return episode.ended.by === 're-detention' ? 'ended-by-redetention' : 'ended';
  if (episode.dutyArose === undefined || episode.dutyArose > context.asOf) return 'eligible';
  const settings = context.settings ?? DEFAULT_REVIEW_SETTINGS;
  const next = nextReview(
    reviewSchedule({ arose: episode.dutyArose, ended: episode.ended?.date, events: context.events, reviews: context.reviews }, settings),
  );
  if (next !== undefined && reviewTimes(next, settings).remindOn <= context.asOf) return 'review-due';
  return 'active';
}
