/**
 * Reads a case's events, as the law sees them on the evaluation date, into a history: the continuous
 * detentions, the life of the s117 duty (arising, lawfully ending, ended by a fresh detention), the
 * exclusion periods of the ICB Regulations, and anything the facts leave open for a person to decide.
 *
 * Events after the evaluation date are ignored, and events on the same day are put in one canonical
 * order, so neither the input's order nor the future can change an answer.
 */
import { addDays, formatLongDate, type LocalDate } from '../dates.ts';
import type {
  AftercareEndedEvent,
  AftercareReinstatedEvent,
  AftercareServiceEvent,
  CaseEvent,
  ChildStatusEvent,
  CaseFacts,
  DetentionEndedEvent,
  DetentionOutcome,
  GpRegistrationEvent,
  MhaSection,
  ResidenceEvent,
  S17LeaveKind,
} from '../facts.ts';
import { eventDate } from '../facts.ts';
import type { Candidate, ReviewItem } from '../determination.ts';
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
  /** R-ELIG-6: the duty arose on leaving hospital after an informal stay or a later non-qualifying detention. */
  aroseAfterStay?: boolean;
  /** R-END-8: an ending withdrawn as premature, the same duty continuing. */
  reinstatedOn?: LocalDate;
}

/** A recall to hospital (R-CTO-2, R-CTO-3). */
export interface Recall {
  date: LocalDate;
  from: 'cto' | 'conditional-discharge';
  revoked: boolean;
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
  s17StagedDischarge?: boolean;
  recalls: Recall[];
  childStatuses: ChildStatusEvent[];
  services: AftercareServiceEvent[];
  /** R-CTO-4: a CTO, recall or discharge recorded with no qualifying detention before it. */
  missingDetention?: { date: LocalDate; what: string };
  /** R-ELIG-7: the person moved to another hospital as an in-patient; not yet left hospital. */
  movedHospitalOn?: LocalDate;
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

/** A question for a person (R-HUMAN-1): what to decide, the candidates with their rules, and the facts that settle it. */
export function ask(
  code: string,
  question: string,
  message: string,
  candidates: Candidate[],
  factsNeeded: string[],
  ruleIds: string[],
): ReviewItem {
  return { code, message, ruleIds, question, candidates, factsNeeded };
}

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
    recalls: [],
    childStatuses: [],
    services: [],
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
  private s17: { kind: S17LeaveKind; from: LocalDate; to?: LocalDate; staged: boolean } | null = null;
  /** A community patient recalled without revocation and not yet released (R-CTO-2). */
  private ctoRecalled: LocalDate | null = null;
  /** The latest recall without revocation, kept so that a release recorded as the end of a detention is read as one (R-CTO-2). */
  private lastRecall: { date: LocalDate; releasedOn?: LocalDate } | null = null;
  /** The exclusion period closed by the latest lawful ending, for a reinstatement (R-END-8). */
  private closedOpener: Detention | null = null;
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
      // s17F: a recalled patient neither released nor revoked must be released after 72 hours.
      if (this.ctoRecalled !== null && eventDate(e) > addDays(this.ctoRecalled, 3)) this.ctoRecalled = null;

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
            const pending = this.episode !== null && this.episode.arose === undefined && this.episode.ended === undefined;
            this.h.notes.push(
              qualifies || !pending
                ? `The person was detained again on ${formatLongDate(e.from)} without having left hospital after the previous detention, so no aftercare duty arose from that one (R-ELIG-2, R-ELIG-6).`
                : `A detention under section ${e.section} on ${formatLongDate(e.from)}, during the stay in hospital after the qualifying detention, does not qualify and does not cancel the entitlement: aftercare arises when the person leaves hospital (R-ELIG-6).`,
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
          if (!this.detained && (this.ctoRecalled !== null || this.isReleaseFromRecall(e.date))) {
            // R-CTO-2: a recalled community patient released without revocation; still on the CTO. A release recorded both
            // on the recall and as the end of a detention is one release, never "the end of a detention never recorded".
            this.h.notes.push(
              `The person was released on ${formatLongDate(e.date)} from the recall of ${formatLongDate(this.ctoRecalled ?? this.lastRecall?.date ?? e.date)} and remains on the community treatment order (R-CTO-2).`,
            );
            this.ctoRecalled = null;
            this.lastRecall = null;
            break;
          }
          if (!this.detained) {
            if (events.some((later, j) => j > i && later.type === 'detention' && later.from === e.date)) {
              // A detention that starts and ends on the same day: the end waits for it.
              this.endsLaterToday = e;
              break;
            }
            if (this.episode === null && this.h.detentions.length === 0) {
              // R-CTO-4: a discharge with no detention before it is missing data.
              this.missingDetention(e.date, `the end of a detention (${e.outcome.replace(/-/g, ' ')})`);
              if (e.outcome === 'community-treatment-order') this.cto ??= { from: e.date };
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
                `The person is recorded as leaving hospital on ${formatLongDate(e.date)} while still detained (no end of detention is recorded). Leaving while detained does not start aftercare; check whether the detention ended.`,
                ['R-ELIG-2'],
              ),
            );
            break;
          }
          if (e.destination === 'another-hospital-as-inpatient' && (this.awaitingDeparture !== null || this.informalInHospital)) {
            // R-ELIG-7: moving between hospitals as an in-patient is probably not leaving hospital.
            this.h.movedHospitalOn = e.date;
            this.informalInHospital = true;
            break;
          }
          if (this.awaitingDeparture !== null) this.leaveHospital(this.awaitingDeparture, e.date, false);
          this.informalInHospital = false;
          this.informalUntil = undefined;
          if (e.destination === 'prison') this.h.imprisonments.push({ from: e.date });
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
          if (this.episode === null) this.missingDetention(e.from, 'a community treatment order');
          break;
        case 's17-leave':
          if (this.detained) {
            this.s17 = { kind: e.kind, from: e.from, staged: e.stagedDischarge === true };
            if (e.to !== undefined) this.s17.to = e.to;
          }
          break;
        case 'recall': {
          const revived = e.from === 'conditional-discharge' || e.ctoRevoked === true;
          this.h.recalls.push({ date: e.date, from: e.from, revoked: revived });
          if (this.episode === null) this.missingDetention(e.date, 'a recall to hospital');
          if (!revived) {
            const released = e.releasedOn !== undefined && e.releasedOn <= this.h.evaluationDate;
            this.h.notes.push(
              `A recall from a community treatment order on ${formatLongDate(e.date)} without revocation is not a fresh detention: the person remains a community patient, and aftercare continues with the same bodies (R-CTO-2, R-ELIG-4)${released ? `; they were released on ${formatLongDate(e.releasedOn ?? e.date)}` : ''}.`,
            );
            this.ctoRecalled = released ? null : e.date;
            this.lastRecall = e.releasedOn === undefined ? { date: e.date } : { date: e.date, releasedOn: e.releasedOn };
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
          this.detained = d;
          this.h.detentions.push(d);
          this.cto = null;
          this.conditionallyDischarged = false;
          break;
        }
        case 'aftercare-ended':
          this.judgeEnding(e);
          break;
        case 'aftercare-reinstated':
          this.reinstate(e);
          break;
        case 'child-status':
          this.h.childStatuses.push(e);
          break;
        case 'aftercare-service':
          this.h.services.push(e);
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
      this.h.s17StagedDischarge = this.s17.staged;
    }
    for (const d of this.h.detentions)
      if (d.leftInferred && d.leftHospitalOn !== undefined) {
        this.h.notes.push(
          `No day of leaving hospital is recorded after the detention ended on ${formatLongDate(d.leftHospitalOn)}; the engine took that day.`,
        );
      }
    return this.h;
  }

  /** Whether a recorded end of detention on `date` is the release from the latest recall without revocation (s17F). */
  private isReleaseFromRecall(date: LocalDate): boolean {
    const r = this.lastRecall;
    return r !== null && this.cto !== null && date >= r.date && date <= (r.releasedOn ?? addDays(r.date, 3));
  }

  private dutyActive(): boolean {
    return this.episode !== null && this.episode.arose !== undefined && this.episode.ended === undefined;
  }

  private leaveHospital(d: Detention, date: LocalDate, inferred: boolean): void {
    d.leftHospitalOn = date;
    if (inferred) d.leftInferred = true;
    this.awaitingDeparture = null;
    this.informalInHospital = false;
    const ep = this.episode;
    if (ep && ep.arose === undefined && ep.ended === undefined) {
      // R-ELIG-6: the duty arises on leaving hospital at any time after the qualifying detention ended,
      // including after a later holding power or s2 that did not qualify.
      if (ep.detention === d) ep.arose = date;
      else if (ep.detention.endedOn !== undefined && ep.detention.endedOn <= (d.start ?? date)) {
        ep.arose = date;
        ep.aroseAfterStay = true;
      }
      if (ep.arose !== undefined && ep.detention.endedOn !== undefined && ep.arose > ep.detention.endedOn) ep.aroseAfterStay = true;
    }
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

  private missingDetention(date: LocalDate, what: string): void {
    this.h.missingDetention ??= { date, what };
  }

  private reinstate(e: AftercareReinstatedEvent): void {
    const ep = this.episode;
    const ending = ep?.ended?.by === 'joint-decision' ? ep.ended.ending : undefined;
    if (!ep || ending === undefined) {
      this.h.notes.push(
        `Aftercare is recorded as reinstated on ${formatLongDate(e.date)}, but no ended duty was found to reinstate (R-END-8).`,
      );
      return;
    }
    if (e.basis === 'withdrawn-prematurely') {
      // R-END-8: the ending is withdrawn; the same duty continues with the same bodies, no new residence test.
      delete ep.ended;
      ep.reinstatedOn = e.date;
      ending.lawful = false;
      ending.ruleIds = ['R-END-8'];
      ending.reason = `it was withdrawn as premature on ${formatLongDate(e.date)}, and the same duty continues with the same bodies; any charges for the gap are to be refunded (R-CHG-1)`;
      this.exclusionOpener = this.closedOpener;
      return;
    }
    if (e.basis === 'new-need') {
      this.h.notes.push(
        `Services resumed on ${formatLongDate(e.date)} meet a new need after a lawful ending; without a new qualifying detention they are not s117 aftercare (R-END-8).`,
      );
      return;
    }
    this.h.review.push(
      ask(
        'SERVICES-RESUMED-AFTER-ENDING',
        'Is this a reinstatement of the duty ended as premature, or a new need met under other powers?',
        `Services resumed on ${formatLongDate(e.date)} after aftercare was ended on ${formatLongDate(ending.date)}. If the ending was premature (for example the person deteriorated at once), the same s117 duty continues with the same bodies and charges for the gap are refunded; if this is a new need long after a lawful ending, it is not s117 aftercare. The engine keeps the ending until a person decides.`,
        [
          { answer: 'reinstated: the same s117 duty continues with the same ICB and local authority', ruleIds: ['R-END-8'] },
          { answer: 'a new need, not s117 aftercare (no new qualifying detention)', ruleIds: ['R-END-8', 'R-END-1'] },
        ],
        [
          'whether the person deteriorated soon after services were withdrawn',
          'the link between the resumed services and the needs aftercare met',
        ],
        ['R-END-8'],
      ),
    );
  }

  /** Whether the person lives in accommodation funded as s117 aftercare on a date (R-END-7). */
  private inS117Accommodation(date: LocalDate): boolean {
    return inS117AccommodationOn(this.h.residences, this.h.services, date);
  }

  private judgeEnding(e: AftercareEndedEvent): void {
    const date = e.date;
    const died = e.reasons.includes('died');
    if (this.detained !== null && !died && !this.dutyActive()) {
      // R-END-4(b): a fresh qualifying detention already ended the council's duty; a decision now is no lawful ending.
      this.h.review.push(
        ask(
          'ENDING-DURING-DETENTION',
          'Has the ICB duty lawfully ended, given that the decision was recorded while the person was detained?',
          `A decision to end aftercare is recorded on ${formatLongDate(date)}, while the person was detained under section ${this.detained.sections.at(-1)?.section ?? ''}. The council's duty had already ended with the fresh detention; a finding that a person detained for treatment no longer needs aftercare is not treated as an ending.`,
          [
            { answer: 'not ended: the decision has no effect', ruleIds: ['R-END-4'] },
            { answer: 'ended for the ICB', ruleIds: ['R-END-1'] },
          ],
          ['why an ending was decided during a detention', 'a fresh decision after the person leaves hospital'],
          ['R-END-4'],
        ),
      );
      return;
    }
    if (!this.dutyActive() || !this.episode) {
      this.h.review.push(
        review(
          'ENDING-WITHOUT-DUTY',
          `A decision to end aftercare is recorded on ${formatLongDate(date)}, when no aftercare duty was in force; it has no effect.`,
          ['R-END-1'],
        ),
      );
      return;
    }
    const refused = (ruleIds: string[], reason: string): Ending => ({ date, event: e, lawful: false, ruleIds, reason });
    /** Endings a person must look at (R-END-4(c) to R-END-7): not lawful on the record, and asked about. */
    const toPerson: { ruleId: string; reason: string; fact: string }[] = [];
    let ending: Ending;
    if (died) {
      ending = { date, event: e, lawful: true, ruleIds: ['R-END-1'], reason: 'the person died' };
    } else if (!e.icbAgreed || !e.laAgreed) {
      const who = !e.icbAgreed && !e.laAgreed ? 'neither body' : !e.icbAgreed ? 'the ICB did not' : 'the local authority did not';
      ending = refused(
        ['R-END-1'],
        `the duty lasts until both the ICB and the local authority are satisfied it is no longer needed, and ${who} agree`,
      );
    } else if (this.cto !== null || this.ctoRecalled !== null) {
      ending = refused(
        ['R-ELIG-4', 'R-END-4'],
        this.ctoRecalled !== null
          ? 'aftercare cannot end while the person is recalled from a community treatment order'
          : 'aftercare cannot end while the person is on a community treatment order',
      );
    } else if (!e.reasons.includes('no-longer-needs-aftercare')) {
      const refusal = e.reasons.includes('refuses-services');
      ending = refused(
        ['R-END-3'],
        `the reasons given (${e.reasons.join(', ')}) cannot on their own end aftercare${refusal ? '; refusing services does not show they are no longer needed' : ''} (Code of Practice 33.22)`,
      );
    } else {
      if (this.detained !== null || this.informalInHospital)
        toPerson.push({
          ruleId: 'R-END-4',
          reason:
            this.detained !== null
              ? `it was recorded while the person was detained under section ${this.detained.sections.at(-1)?.section ?? ''}`
              : 'it was recorded while the person was in hospital as an informal patient',
          fact: 'why the person, now in hospital for their mental disorder, no longer needs aftercare',
        });
      if (e.personInvolved === false)
        toPerson.push({
          ruleId: 'R-END-5',
          reason: 'the person was not involved in the decision',
          fact: "the person's involvement (date and form)",
        });
      if (e.jointReviewHeld === false)
        toPerson.push({
          ruleId: 'R-END-6',
          reason: 'no joint review by both bodies preceded it',
          fact: 'the joint review that considered ending (date, both bodies)',
        });
      if (this.inS117Accommodation(date))
        toPerson.push({
          ruleId: 'R-END-7',
          reason: 'the person still lives in specialist accommodation funded as s117 aftercare',
          fact: 'whether the person still needs that accommodation, and a move arranged before the ending',
        });
      ending =
        toPerson.length === 0
          ? {
              date,
              event: e,
              lawful: true,
              ruleIds: ['R-END-1'],
              reason: 'both the ICB and the local authority were satisfied the person no longer needs aftercare',
            }
          : refused(
              toPerson.map((t) => t.ruleId),
              `the ending may be unlawful: ${toPerson.map((t) => t.reason).join('; ')}`,
            );
    }
    this.h.endings.push(ending);
    if (toPerson.length > 0) {
      this.h.review.push(
        ask(
          'ENDING-MAY-BE-UNLAWFUL',
          'Has the duty lawfully ended?',
          `Both bodies recorded on ${formatLongDate(date)} that the person no longer needs aftercare, but ${toPerson.map((t) => t.reason).join('; ')}. Until a person confirms, the engine treats the duty as continuing, so care is not withdrawn.`,
          [
            { answer: 'the duty continues: the ending was not lawful', ruleIds: toPerson.map((t) => t.ruleId) },
            { answer: `the duty ended on ${formatLongDate(date)}`, ruleIds: ['R-END-1'] },
          ],
          toPerson.map((t) => t.fact),
          toPerson.map((t) => t.ruleId),
        ),
      );
    }
    if (!ending.lawful) return;
    if (this.conditionallyDischarged) {
      this.h.review.push(
        review(
          'ENDED-WHILE-CONDITIONALLY-DISCHARGED',
          `Aftercare was ended on ${formatLongDate(date)} while the person was conditionally discharged; that is rarely justified and should be checked.`,
          ['R-ELIG-5', 'R-END-4'],
        ),
      );
    }
    if (e.personInvolved === undefined && !died) {
      this.h.notes.push(
        `The decision to end aftercare on ${formatLongDate(date)} does not record whether the person was involved; the person must be involved (R-END-5).`,
      );
    }
    const s46 = this.config.mha2025S46CommencementDate;
    if (s46 !== null && date >= s46 && !died && e.writtenNoticeOn === undefined) {
      this.h.review.push(
        review(
          'MHA2025-JOINT-WRITTEN-NOTICE',
          `Since ${formatLongDate(s46)} aftercare ends only when the ICB and the local authority jointly give the person written notice; confirm it was given for the ending on ${formatLongDate(date)}.`,
          ['R-LA-16'],
        ),
      );
    }
    this.episode.ended = { date, by: died ? 'death' : 'joint-decision', ending };
    // reg 2(2): discharge from aftercare closes the ICB exclusion period.
    this.closedOpener = this.exclusionOpener;
    this.exclusionOpener = null;
  }
}

const SPECIALIST_SETTINGS: ReadonlySet<string> = new Set(['care-home', 'nursing-home', 'supported-living', 'shared-lives']);

/**
 * Whether the person lives in accommodation funded as s117 aftercare on a date: a specialist home arranged under
 * s117, or a service marked as s117-funded accommodation in force that day (R-END-7).
 * @see rules.md R-END-7
 */
export function inS117AccommodationOn(
  residences: readonly ResidenceEvent[],
  services: readonly AftercareServiceEvent[],
  date: LocalDate,
): boolean {
  let home: ResidenceEvent | undefined;
  for (const r of [...residences].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) if (r.from <= date) home = r;
  if (home?.arrangedBy?.under === 'mha-s117' && SPECIALIST_SETTINGS.has(home.setting)) return true;
  return services.some((svc) => svc.s117FundedAccommodation === true && svc.from <= date && (svc.to === undefined || svc.to >= date));
}
