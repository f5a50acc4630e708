/**
 * Reads a case's events, as the law sees them on the evaluation date, into a history: the continuous
 * detentions, the life of the s117 duty (arising, lawfully ending, ended by a fresh detention), the
 * exclusion periods of the ICB Regulations, and anything the facts leave open for a person to decide.
 *
 * Events after the evaluation date are ignored, and events on the same day are put in one canonical
 * order, so neither the input's order nor the future can change an answer.
 */
import { formatLongDate, type LocalDate } from '../dates.ts';
import type {
  AftercareEndedEvent,
  CaseEvent,
  CaseFacts,
  DetentionEndedEvent,
  DetentionOutcome,
  GpRegistrationEvent,
  MhaSection,
  ResidenceEvent,
  S17LeaveKind,
} from '../facts.ts';
import { eventDate } from '../facts.ts';
import type { ReviewItem } from '../determination.ts';
import type { RuleConfig } from '../rules/config.ts';

/** s117(1): the sections whose detention gives rise to aftercare (R-ELIG-1). */
const QUALIFYING_SECTIONS: ReadonlySet<MhaSection> = new Set<MhaSection>(['3', '37', '37/41', '45A', '47', '47/49', '48', '48/49']);
/** Part 2 applications (SI 2022/635 reg 5(2)). */
const PART_2_SECTIONS: ReadonlySet<MhaSection> = new Set<MhaSection>(['2', '3', '4']);

export const isQualifyingSection = (s: MhaSection): boolean => QUALIFYING_SECTIONS.has(s);

/** One continuous period of detention, which may pass through several sections (s2 converted to s3). */
export interface Detention {
  start: LocalDate;
  sections: { section: MhaSection; from: LocalDate }[];
  /** The first qualifying section and the date it began, if any section qualifies. */
  qualifying?: { section: MhaSection; from: LocalDate };
  /** Begun by a Part 2 application (s2, s3 or s4): the ICB Regulations reg 5 applies. */
  part2: boolean;
  nhsEnglandBed: boolean;
  /** A recall of a conditionally discharged patient or a CTO revocation, not a new application. */
  recall: boolean;
  endedOn?: LocalDate;
  outcome?: DetentionOutcome;
  leftHospitalOn?: LocalDate;
  /** True when no left-hospital event was recorded and the engine took the end of detention as the day of leaving. */
  leftInferred?: boolean;
  /** The detention that opened the exclusion period this one sits in (itself when it opened it). */
  exclusionOpener: Detention | null;
}

export interface Ending {
  date: LocalDate;
  event: AftercareEndedEvent;
  lawful: boolean;
  /** Why an ending was refused or what it rested on, as rule ids and plain words. */
  ruleIds: string[];
  reason: string;
}

export interface DutyEpisode {
  detention: Detention;
  arose?: LocalDate;
  ended?: { date: LocalDate; by: 'joint-decision' | 'death' | 're-detention'; ending?: Ending };
}

export interface History {
  facts: CaseFacts;
  evaluationDate: LocalDate;
  /** Events on or before the evaluation date, in canonical order. */
  events: CaseEvent[];
  residences: ResidenceEvent[];
  gpRegistrations: GpRegistrationEvent[];
  imprisonments: { from: LocalDate; to?: LocalDate }[];
  detentions: Detention[];
  episodes: DutyEpisode[];
  /** The latest duty episode: arising, in force, or ended. */
  current: DutyEpisode | null;
  endings: Ending[];
  /** The person is detained (or recalled) on the evaluation date. */
  detainedNow: Detention | null;
  inHospitalNow: boolean;
  died?: LocalDate;
  ctoActiveNow: boolean;
  conditionallyDischargedNow: boolean;
  s17LeaveNow?: S17LeaveKind;
  s17LeaveFrom?: LocalDate;
  review: ReviewItem[];
  notes: string[];
}

/**
 * Same-day order, as a letter appended to the date: moves and registrations first; the end of a detention
 * and leaving hospital before a new detention (discharged and readmitted the same day); endings of aftercare
 * last. A detention that starts and ends on one day is handled by the reader (the end waits for it).
 */
const SAME_DAY_RANK: Record<CaseEvent['type'], string> = {
  residence: 'a',
  'gp-registration': 'b',
  'detention-ended': 'c',
  'left-hospital': 'd',
  detention: 'e',
  cto: 'f',
  's17-leave': 'g',
  'informal-admission': 'h',
  imprisonment: 'i',
  recall: 'j',
  'child-status': 'b',
  'aftercare-service': 'i',
  'aftercare-ended': 'k',
  'aftercare-reinstated': 'l',
};

/** Fields that never decide anything (R-WP-117-2: the hospital's area does not matter), so never order events. */
const IGNORED_FOR_ORDER = new Set(['hospitalArea']);

/**
 * A key that does not depend on property order, so same-day ties sort identically however they arrive.
 * Fields that never decide anything are left out: events differing only in them are equivalent.
 */
function canonicalKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? '';
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([k, v]) => v !== undefined && !IGNORED_FOR_ORDER.has(k))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${k}:${canonicalKey(v)}`).join(',')}}`;
}

/** Drops events after the evaluation date, forgets end dates that lie after it, and sorts canonically. */
function asOf(events: readonly CaseEvent[], evaluationDate: LocalDate): CaseEvent[] {
  const keyed: { event: CaseEvent; key: string; tie?: string }[] = [];
  for (const e of events) {
    const date = eventDate(e);
    if (date > evaluationDate) continue;
    let event = e;
    if (
      (e.type === 'informal-admission' || e.type === 'cto' || e.type === 's17-leave' || e.type === 'imprisonment') &&
      e.to !== undefined &&
      (e.to > evaluationDate || e.to < e.from)
    ) {
      const open = { ...e };
      delete open.to;
      event = open;
    }
    keyed.push({ event, key: date + SAME_DAY_RANK[e.type] });
  }
  let ordered = true;
  for (let i = 1; i < keyed.length && ordered; i++)
    ordered = (keyed[i - 1] as (typeof keyed)[number]).key < (keyed[i] as (typeof keyed)[number]).key;
  if (!ordered)
    keyed.sort((a, b) => {
      if (a.key !== b.key) return a.key < b.key ? -1 : 1;
      a.tie ??= canonicalKey(a.event);
      b.tie ??= canonicalKey(b.event);
      return a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0;
    });
  return keyed.map((k) => k.event);
}

const review = (code: string, message: string, ruleIds: string[]): ReviewItem => ({ code, message, ruleIds });

/** Builds the history of a case as it stood on its evaluation date. */
export function readHistory(facts: CaseFacts, config: RuleConfig): History {
  const events = asOf(facts.events, facts.evaluationDate);
  const h: History = {
    facts,
    evaluationDate: facts.evaluationDate,
    events,
    residences: [],
    gpRegistrations: [],
    imprisonments: [],
    detentions: [],
    episodes: [],
    current: null,
    endings: [],
    detainedNow: null,
    inHospitalNow: false,
    ctoActiveNow: false,
    conditionallyDischargedNow: false,
    review: [],
    notes: [],
  };
  return new HistoryReader(h, config).read(events);
}

/** The walk through the events; its fields are the person's state on the day being read. */
class HistoryReader {
  private detained: Detention | null = null;
  /** Ceased to be detained but still in hospital (remained informal), or informally admitted. */
  private informalInHospital = false;
  private informalUntil: LocalDate | undefined;
  private awaitingDeparture: Detention | null = null;
  /** The duty arising or in force. */
  private episode: DutyEpisode | null = null;
  private exclusionOpener: Detention | null = null;
  private cto: { from: LocalDate; to?: LocalDate } | null = null;
  private conditionallyDischarged = false;
  private s17: { kind: S17LeaveKind; from: LocalDate; to?: LocalDate } | null = null;
  /** The end of a detention that starts later the same day (read before it by the same-day order). */
  private endsLaterToday: DetentionEndedEvent | null = null;

  constructor(
    private readonly h: History,
    private readonly config: RuleConfig,
  ) {}

  read(events: readonly CaseEvent[]): History {
    for (const e of this.h.facts.events) {
      if ('to' in e && e.to !== undefined && e.to < e.from && e.from <= this.h.evaluationDate) {
        this.h.review.push(
          review(
            'SPAN-ENDS-BEFORE-START',
            `A ${e.type} is recorded from ${formatLongDate(e.from)} to ${formatLongDate(e.to)}, ending before it starts; check the dates. The engine read it as having no end.`,
            [],
          ),
        );
      }
    }
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as CaseEvent;
      if (this.h.died !== undefined) {
        this.h.review.push(
          review(
            'EVENT-AFTER-DEATH',
            `An event (${e.type}) is recorded on ${formatLongDate(eventDate(e))}, after the person's death; it was ignored.`,
            [],
          ),
        );
        continue;
      }
      // A left-hospital for an ended detention may only be inferred once later events show none was recorded.
      // A detention on the same day means the person was discharged and readmitted that day.
      if (
        this.awaitingDeparture !== null &&
        !this.informalInHospital &&
        e.type !== 'left-hospital' &&
        e.type !== 'residence' &&
        e.type !== 'gp-registration' &&
        e.type !== 'cto' &&
        (eventDate(e) > (this.awaitingDeparture.endedOn ?? '') || e.type === 'detention')
      ) {
        this.leaveHospital(this.awaitingDeparture, this.awaitingDeparture.endedOn ?? eventDate(e), true);
      }
      if (this.informalUntil !== undefined && eventDate(e) > this.informalUntil) {
        this.informalInHospital = false;
        this.informalUntil = undefined;
      }
      if (this.s17 && this.s17.to !== undefined && eventDate(e) > this.s17.to) this.s17 = null;
      if (this.cto && this.cto.to !== undefined && eventDate(e) > this.cto.to) this.cto = null;

      switch (e.type) {
        case 'residence':
          this.h.residences.push(e);
          break;
        case 'gp-registration':
          this.h.gpRegistrations.push(e);
          break;
        case 'imprisonment':
          this.h.imprisonments.push(e.to === undefined ? { from: e.from } : { from: e.from, to: e.to });
          if (this.dutyActive()) {
            this.h.review.push(
              review(
                'IMPRISONMENT-DURING-AFTERCARE',
                `The person was imprisoned on ${formatLongDate(e.from)} while receiving aftercare. Whether imprisonment ends the duty is contested, so the engine keeps it in force; the bodies should decide.`,
                ['R-LA-10'],
              ),
            );
          }
          break;
        case 'detention': {
          const qualifies = QUALIFYING_SECTIONS.has(e.section);
          if (this.detained) {
            // A conversion within one continuous detention, e.g. s2 to s3.
            this.detained.sections.push({ section: e.section, from: e.from });
            if (e.bedCommissionedBy === 'nhs-england') this.detained.nhsEnglandBed = true;
            if (qualifies && !this.detained.qualifying) {
              this.detained.qualifying = { section: e.section, from: e.from };
              this.startEpisode(this.detained);
            }
            break;
          }
          const d: Detention = {
            start: e.from,
            sections: [{ section: e.section, from: e.from }],
            part2: PART_2_SECTIONS.has(e.section),
            nhsEnglandBed: e.bedCommissionedBy === 'nhs-england',
            recall: false,
            exclusionOpener: null,
          };
          if (qualifies) d.qualifying = { section: e.section, from: e.from };
          if (this.awaitingDeparture !== null) {
            this.h.notes.push(
              `The person was detained again on ${formatLongDate(e.from)} without having left hospital after the previous detention, so no aftercare duty arose from that one (R-ELIG-2).`,
            );
            this.awaitingDeparture = null;
          }
          this.informalInHospital = false;
          this.informalUntil = undefined;
          this.exclusionOpener ??= d;
          d.exclusionOpener = this.exclusionOpener;
          this.detained = d;
          this.h.detentions.push(d);
          if (qualifies) this.startEpisode(d);
          this.cto = null;
          this.conditionallyDischarged = false;
          this.s17 = null;
          const ends = this.endsLaterToday;
          if (ends !== null && ends.date === e.from) {
            this.endsLaterToday = null;
            this.endDetention(d, ends.date, ends.outcome);
          }
          break;
        }
        case 'detention-ended':
          if (!this.detained) {
            if (events.some((later, j) => j > i && later.type === 'detention' && later.from === e.date)) {
              // A detention that starts and ends on the same day: the end waits for it.
              this.endsLaterToday = e;
              break;
            }
            this.h.review.push(
              review(
                'END-WITHOUT-DETENTION',
                `A detention is recorded as ending on ${formatLongDate(e.date)}, but no detention was in force; that record was ignored.`,
                [],
              ),
            );
            break;
          }
          this.endDetention(this.detained, e.date, e.outcome);
          break;
        case 'left-hospital':
          if (this.detained) {
            this.h.review.push(
              review(
                'LEFT-WHILE-DETAINED',
                `The person is recorded as leaving hospital on ${formatLongDate(e.date)} while still this.detained (no end of detention is recorded). Leaving while this.detained does not start aftercare; check whether the detention ended.`,
                ['R-ELIG-2'],
              ),
            );
            break;
          }
          if (this.awaitingDeparture !== null) this.leaveHospital(this.awaitingDeparture, e.date, false);
          this.informalInHospital = false;
          this.informalUntil = undefined;
          break;
        case 'informal-admission':
          if (!this.detained) {
            this.informalInHospital = true;
            this.informalUntil = e.to;
            if (this.dutyActive())
              this.h.notes.push(
                `An informal admission on ${formatLongDate(e.from)} did not end aftercare: only a fresh qualifying detention does (R-LA-9).`,
              );
          }
          break;
        case 'cto':
          this.cto = e.to === undefined ? { from: e.from } : { from: e.from, to: e.to };
          break;
        case 's17-leave':
          if (this.detained) this.s17 = e.to === undefined ? { kind: e.kind, from: e.from } : { kind: e.kind, from: e.from, to: e.to };
          break;
        case 'recall': {
          const revived = e.from === 'conditional-discharge' || e.ctoRevoked === true;
          if (!revived) {
            this.h.notes.push(
              `A recall from a community treatment order on ${formatLongDate(e.date)} without revocation does not end aftercare (R-ELIG-4).`,
            );
            break;
          }
          const previous = this.episode?.detention;
          const d: Detention = {
            start: e.date,
            sections: previous ? previous.sections.slice(-1) : [],
            part2: false,
            nhsEnglandBed: previous?.nhsEnglandBed ?? false,
            recall: true,
            exclusionOpener: this.exclusionOpener,
          };
          this.h.review.push(
            review(
              'RECALL-AS-DETENTION',
              `The person was recalled on ${formatLongDate(e.date)} (${e.from === 'cto' ? 'community treatment order revoked' : 'from conditional discharge'}). Whether a recall is a fresh detention that ends the council's duty after Worcestershire is unsettled; the engine keeps the existing duty and council.`,
              ['R-LA-5', 'R-ELIG-4'],
            ),
          );
          this.detained = d;
          this.h.detentions.push(d);
          this.cto = null;
          this.conditionallyDischarged = false;
          break;
        }
        case 'aftercare-ended':
          this.judgeEnding(e);
          break;
      }
    }

    // At the evaluation date: a detention ended with the person leaving but no departure recorded.
    if (this.awaitingDeparture !== null && !this.informalInHospital && this.h.died === undefined) {
      const d: Detention = this.awaitingDeparture;
      this.leaveHospital(d, d.endedOn ?? this.h.evaluationDate, true);
    }
    if (this.informalUntil !== undefined && this.h.evaluationDate > this.informalUntil) this.informalInHospital = false;
    if (this.s17 && this.s17.to !== undefined && this.h.evaluationDate > this.s17.to) this.s17 = null;
    if (this.cto && this.cto.to !== undefined && this.h.evaluationDate > this.cto.to) this.cto = null;

    this.h.current = this.episode;
    this.h.detainedNow = this.detained;
    this.h.inHospitalNow = this.detained !== null || this.informalInHospital;
    this.h.ctoActiveNow = this.cto !== null;
    this.h.conditionallyDischargedNow = this.conditionallyDischarged;
    if (this.s17 && this.detained) {
      this.h.s17LeaveNow = this.s17.kind;
      this.h.s17LeaveFrom = this.s17.from;
    }
    for (const d of this.h.detentions)
      if (d.leftInferred && d.leftHospitalOn !== undefined) {
        this.h.notes.push(
          `No day of leaving hospital is recorded after the detention ended on ${formatLongDate(d.leftHospitalOn)}; the engine took that day.`,
        );
      }
    return this.h;
  }

  private dutyActive(): boolean {
    return this.episode !== null && this.episode.arose !== undefined && this.episode.ended === undefined;
  }

  private leaveHospital(d: Detention, date: LocalDate, inferred: boolean): void {
    d.leftHospitalOn = date;
    if (inferred) d.leftInferred = true;
    this.awaitingDeparture = null;
    this.informalInHospital = false;
    if (this.episode && this.episode.detention === d && this.episode.arose === undefined) this.episode.arose = date;
    // A detention that gave rise to no aftercare closes its exclusion period when the person leaves.
    if (!d.qualifying && !this.dutyActive() && this.exclusionOpener !== null && !(this.episode && this.episode.ended === undefined))
      this.exclusionOpener = null;
  }

  private endDetention(d: Detention, date: LocalDate, outcome: DetentionOutcome): void {
    d.endedOn = date;
    d.outcome = outcome;
    this.detained = null;
    if (outcome === 'remained-informal') {
      this.informalInHospital = true;
      this.awaitingDeparture = d;
    } else if (outcome === 'died') {
      this.die(date);
    } else {
      this.awaitingDeparture = d;
      if (outcome === 'community-treatment-order') this.cto ??= { from: date };
      if (outcome === 'conditional-discharge') this.conditionallyDischarged = true;
      if (outcome === 'returned-to-prison') {
        this.h.imprisonments.push({ from: date });
        this.h.review.push(
          review(
            'RETURNED-TO-PRISON',
            `Detention ended on ${formatLongDate(date)} with a return to prison. Whether aftercare is owed while the person is in prison, and who provides it, is contested; the engine treats the person as having left hospital that day.`,
            ['R-LA-10', 'R-WP-GEN-7'],
          ),
        );
      }
    }
  }

  private die(date: LocalDate): void {
    this.h.died = date;
    if (this.episode && this.episode.ended === undefined) this.episode.ended = { date, by: 'death' };
    this.exclusionOpener = null;
  }

  private startEpisode(d: Detention): void {
    if (this.dutyActive() && this.episode) {
      // R-LA-5: a fresh qualifying detention ends the council's duty automatically.
      this.episode.ended = { date: d.qualifying?.from ?? d.start, by: 're-detention' };
    }
    this.episode = { detention: d };
    this.h.episodes.push(this.episode);
  }

  private judgeEnding(e: AftercareEndedEvent): void {
    const date = e.date;
    if (!this.dutyActive() || !this.episode) {
      this.h.review.push(
        review(
          'ENDING-WITHOUT-DUTY',
          `A decision to end aftercare is recorded on ${formatLongDate(date)}, when no aftercare duty was in force${this.detained ? ' (the person was this.detained)' : ''}; it has no effect.`,
          ['R-END-1'],
        ),
      );
      return;
    }
    let ending: Ending;
    if (e.reasons.includes('died')) {
      ending = { date, event: e, lawful: true, ruleIds: ['R-END-1'], reason: 'the person died' };
    } else if (!e.icbAgreed || !e.laAgreed) {
      const who = !e.icbAgreed && !e.laAgreed ? 'neither body' : !e.icbAgreed ? 'the ICB did not' : 'the local authority did not';
      ending = {
        date,
        event: e,
        lawful: false,
        ruleIds: ['R-END-1'],
        reason: `the duty lasts until both the ICB and the local authority are satisfied it is no longer needed, and ${who} agree`,
      };
    } else if (this.cto !== null) {
      ending = {
        date,
        event: e,
        lawful: false,
        ruleIds: ['R-ELIG-4'],
        reason: 'aftercare cannot end while the person is on a community treatment order',
      };
    } else if (!e.reasons.includes('no-longer-needs-aftercare')) {
      const refusal = e.reasons.includes('refuses-services');
      ending = {
        date,
        event: e,
        lawful: false,
        ruleIds: ['R-END-3'],
        reason: `the reasons given (${e.reasons.join(', ')}) cannot on their own end aftercare${refusal ? '; refusing services does not show they are no longer needed' : ''} (Code of Practice 33.22)`,
      };
    } else {
      ending = {
        date,
        event: e,
        lawful: true,
        ruleIds: ['R-END-1'],
        reason: 'both the ICB and the local authority were satisfied the person no longer needs aftercare',
      };
    }
    this.h.endings.push(ending);
    if (!ending.lawful) return;
    if (this.conditionallyDischarged) {
      this.h.review.push(
        review(
          'ENDED-WHILE-CONDITIONALLY-DISCHARGED',
          `Aftercare was ended on ${formatLongDate(date)} while the person was conditionally discharged; that is rarely justified and should be checked.`,
          ['R-ELIG-5'],
        ),
      );
    }
    if (e.personInvolved === false && !e.reasons.includes('died')) {
      this.h.review.push(
        review(
          'ENDED-WITHOUT-PERSON',
          `Aftercare was ended on ${formatLongDate(date)} without involving the person; the Code of Practice expects a joint review with them.`,
          ['R-END-3'],
        ),
      );
    } else if (e.personInvolved === undefined && !e.reasons.includes('died')) {
      this.h.notes.push(
        `The decision to end aftercare on ${formatLongDate(date)} does not record whether the person was involved; the Code of Practice expects a joint review with them (R-END-3).`,
      );
    }
    const s46 = this.config.mha2025S46CommencementDate;
    if (s46 !== null && date >= s46 && !e.reasons.includes('died')) {
      this.h.review.push(
        review(
          'MHA2025-JOINT-WRITTEN-NOTICE',
          `Since ${formatLongDate(s46)} aftercare ends only when the ICB and the local authority jointly give the person written notice; confirm it was given for the ending on ${formatLongDate(date)}.`,
          ['R-LA-16'],
        ),
      );
    }
    this.episode.ended = { date, by: e.reasons.includes('died') ? 'death' : 'joint-decision', ending };
    // reg 2(2): discharge from aftercare closes the ICB exclusion period.
    this.exclusionOpener = null;
  }
}
