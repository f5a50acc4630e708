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
  AftercareEndedEvent, CaseEvent, CaseFacts, DetentionOutcome, GpRegistrationEvent, MhaSection,
  ResidenceEvent, S17LeaveKind,
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

const SAME_DAY_ORDER: Record<CaseEvent['type'], number> = {
  'residence': 0, 'gp-registration': 1, 'detention': 2, 'detention-ended': 3, 'left-hospital': 4, 'cto': 5,
  's17-leave': 6, 'informal-admission': 7, 'imprisonment': 8, 'recall': 9, 'aftercare-ended': 10,
};

function compareEvents(a: CaseEvent, b: CaseEvent): number {
  const da = eventDate(a);
  const db = eventDate(b);
  if (da !== db) return da < db ? -1 : 1;
  const ta = SAME_DAY_ORDER[a.type];
  const tb = SAME_DAY_ORDER[b.type];
  if (ta !== tb) return ta - tb;
  const ka = canonicalKey(a);
  const kb = canonicalKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** A key that does not depend on property order, so same-day ties sort identically however they arrive. */
function canonicalKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? '';
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${k}:${canonicalKey(v)}`).join(',')}}`;
}

/** Drops events after the evaluation date and forgets end dates that lie after it. */
function asOf(events: readonly CaseEvent[], evaluationDate: LocalDate): CaseEvent[] {
  const out: CaseEvent[] = [];
  for (const e of events) {
    if (eventDate(e) > evaluationDate) continue;
    if ((e.type === 'informal-admission' || e.type === 'cto' || e.type === 's17-leave' || e.type === 'imprisonment') && e.to !== undefined && e.to > evaluationDate) {
      const open = { ...e };
      delete open.to;
      out.push(open);
    } else {
      out.push(e);
    }
  }
  return out.sort(compareEvents);
}

const review = (code: string, message: string, ruleIds: string[]): ReviewItem => ({ code, message, ruleIds });

/** Builds the history of a case as it stood on its evaluation date. */
export function readHistory(facts: CaseFacts, config: RuleConfig): History {
  const evaluationDate = facts.evaluationDate;
  const events = asOf(facts.events, evaluationDate);
  const h: History = {
    facts, evaluationDate, events,
    residences: [], gpRegistrations: [], imprisonments: [], detentions: [], episodes: [], current: null, endings: [],
    detainedNow: null, inHospitalNow: false, ctoActiveNow: false, conditionallyDischargedNow: false,
    review: [], notes: [],
  };

  let detained = null as Detention | null;
  /** Ceased to be detained but still in hospital (remained informal), or informally admitted. */
  let informalInHospital = false;
  let informalUntil: LocalDate | undefined;
  let awaitingDeparture = null as Detention | null;
  let episode = null as DutyEpisode | null; // the duty arising or in force
  let exclusionOpener = null as Detention | null;
  let cto = null as { from: LocalDate; to?: LocalDate } | null;
  let conditionallyDischarged = false;
  let s17 = null as { kind: S17LeaveKind; from: LocalDate; to?: LocalDate } | null;

  const dutyActive = (): boolean => episode !== null && episode.arose !== undefined && episode.ended === undefined;

  const leaveHospital = (d: Detention, date: LocalDate, inferred: boolean): void => {
    d.leftHospitalOn = date;
    if (inferred) d.leftInferred = true;
    awaitingDeparture = null;
    informalInHospital = false;
    if (episode && episode.detention === d && episode.arose === undefined) episode.arose = date;
    // A detention that gave rise to no aftercare closes its exclusion period when the person leaves.
    if (!d.qualifying && !dutyActive() && exclusionOpener !== null && !(episode && episode.ended === undefined)) exclusionOpener = null;
  };

  const endDetention = (d: Detention, date: LocalDate, outcome: DetentionOutcome): void => {
    d.endedOn = date;
    d.outcome = outcome;
    detained = null;
    if (outcome === 'remained-informal') {
      informalInHospital = true;
      awaitingDeparture = d;
    } else if (outcome === 'died') {
      die(date);
    } else {
      awaitingDeparture = d;
      if (outcome === 'community-treatment-order') cto ??= { from: date };
      if (outcome === 'conditional-discharge') conditionallyDischarged = true;
      if (outcome === 'returned-to-prison') {
        h.imprisonments.push({ from: date });
        h.review.push(review('RETURNED-TO-PRISON',
          `Detention ended on ${formatLongDate(date)} with a return to prison. Whether aftercare is owed while the person is in prison, and who provides it, is contested; the engine treats the person as having left hospital that day.`,
          ['R-LA-10', 'R-WP-GEN-7']));
      }
    }
  };

  const die = (date: LocalDate): void => {
    h.died = date;
    if (episode && episode.ended === undefined) episode.ended = { date, by: 'death' };
    exclusionOpener = null;
  };

  for (const e of events) {
    if (h.died !== undefined) {
      h.review.push(review('EVENT-AFTER-DEATH', `An event (${e.type}) is recorded on ${formatLongDate(eventDate(e))}, after the person's death; it was ignored.`, []));
      continue;
    }
    // A left-hospital for an ended detention may only be inferred once later events show none was recorded.
    if (awaitingDeparture !== null && !informalInHospital && e.type !== 'left-hospital' && e.type !== 'residence' && e.type !== 'gp-registration' && e.type !== 'cto' && eventDate(e) > (awaitingDeparture.endedOn ?? '')) {
      leaveHospital(awaitingDeparture, awaitingDeparture.endedOn ?? eventDate(e), true);
    }
    if (informalUntil !== undefined && eventDate(e) > informalUntil) {
      informalInHospital = false;
      informalUntil = undefined;
    }
    if (s17 && s17.to !== undefined && eventDate(e) > s17.to) s17 = null;
    if (cto && cto.to !== undefined && eventDate(e) > cto.to) cto = null;

    switch (e.type) {
      case 'residence':
        h.residences.push(e);
        break;
      case 'gp-registration':
        h.gpRegistrations.push(e);
        break;
      case 'imprisonment':
        h.imprisonments.push(e.to === undefined ? { from: e.from } : { from: e.from, to: e.to });
        if (dutyActive()) {
          h.review.push(review('IMPRISONMENT-DURING-AFTERCARE',
            `The person was imprisoned on ${formatLongDate(e.from)} while receiving aftercare. Whether imprisonment ends the duty is contested, so the engine keeps it in force; the bodies should decide.`,
            ['R-LA-10']));
        }
        break;
      case 'detention': {
        const qualifies = QUALIFYING_SECTIONS.has(e.section);
        if (detained) {
          // A conversion within one continuous detention, e.g. s2 to s3.
          detained.sections.push({ section: e.section, from: e.from });
          if (e.bedCommissionedBy === 'nhs-england') detained.nhsEnglandBed = true;
          if (qualifies && !detained.qualifying) {
            detained.qualifying = { section: e.section, from: e.from };
            startEpisode(detained);
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
        if (awaitingDeparture !== null) {
          h.review.push(review('DETAINED-BEFORE-LEAVING',
            `A new detention on ${formatLongDate(e.from)} is recorded while the person had not been recorded as leaving hospital after the previous one; the engine treats it as a new detention.`, ['R-ELIG-2']));
          awaitingDeparture = null;
        }
        informalInHospital = false;
        informalUntil = undefined;
        exclusionOpener ??= d;
        d.exclusionOpener = exclusionOpener;
        detained = d;
        h.detentions.push(d);
        if (qualifies) startEpisode(d);
        cto = null;
        conditionallyDischarged = false;
        s17 = null;
        break;
      }
      case 'detention-ended':
        if (!detained) {
          h.review.push(review('END-WITHOUT-DETENTION', `A detention is recorded as ending on ${formatLongDate(e.date)}, but no detention was in force; that record was ignored.`, []));
          break;
        }
        endDetention(detained, e.date, e.outcome);
        break;
      case 'left-hospital':
        if (detained) {
          h.review.push(review('LEFT-WHILE-DETAINED',
            `The person is recorded as leaving hospital on ${formatLongDate(e.date)} while still detained (no end of detention is recorded). Leaving while detained does not start aftercare; check whether the detention ended.`, ['R-ELIG-2']));
          break;
        }
        if (awaitingDeparture !== null) leaveHospital(awaitingDeparture, e.date, false);
        informalInHospital = false;
        informalUntil = undefined;
        break;
      case 'informal-admission':
        if (!detained) {
          informalInHospital = true;
          informalUntil = e.to;
          if (dutyActive()) h.notes.push(`An informal admission on ${formatLongDate(e.from)} did not end aftercare: only a fresh qualifying detention does (R-LA-9).`);
        }
        break;
      case 'cto':
        cto = e.to === undefined ? { from: e.from } : { from: e.from, to: e.to };
        break;
      case 's17-leave':
        if (detained) s17 = e.to === undefined ? { kind: e.kind, from: e.from } : { kind: e.kind, from: e.from, to: e.to };
        break;
      case 'recall': {
        const revived = e.from === 'conditional-discharge' || e.ctoRevoked === true;
        if (!revived) {
          h.notes.push(`A recall from a community treatment order on ${formatLongDate(e.date)} without revocation does not end aftercare (R-ELIG-4).`);
          break;
        }
        const previous = episode?.detention;
        const d: Detention = {
          start: e.date,
          sections: previous ? previous.sections.slice(-1) : [],
          part2: false,
          nhsEnglandBed: previous?.nhsEnglandBed ?? false,
          recall: true,
          exclusionOpener,
        };
        h.review.push(review('RECALL-AS-DETENTION',
          `The person was recalled on ${formatLongDate(e.date)} (${e.from === 'cto' ? 'community treatment order revoked' : 'from conditional discharge'}). Whether a recall is a fresh detention that ends the council's duty after Worcestershire is unsettled; the engine keeps the existing duty and council.`,
          ['R-LA-5', 'R-ELIG-4']));
        detained = d;
        h.detentions.push(d);
        cto = null;
        conditionallyDischarged = false;
        break;
      }
      case 'aftercare-ended':
        judgeEnding(e);
        break;
    }
  }

  // At the evaluation date: a detention ended with the person leaving but no departure recorded.
  if (awaitingDeparture !== null && !informalInHospital && h.died === undefined) {
    const d: Detention = awaitingDeparture;
    leaveHospital(d, d.endedOn ?? evaluationDate, true);
  }
  if (informalUntil !== undefined && evaluationDate > informalUntil) informalInHospital = false;
  if (s17 && s17.to !== undefined && evaluationDate > s17.to) s17 = null;
  if (cto && cto.to !== undefined && evaluationDate > cto.to) cto = null;

  h.current = episode;
  h.detainedNow = detained;
  h.inHospitalNow = detained !== null || informalInHospital;
  h.ctoActiveNow = cto !== null;
  h.conditionallyDischargedNow = conditionallyDischarged;
  if (s17 && detained) {
    h.s17LeaveNow = s17.kind;
    h.s17LeaveFrom = s17.from;
  }
  for (const d of h.detentions) if (d.leftInferred && d.leftHospitalOn !== undefined) {
    h.notes.push(`No day of leaving hospital is recorded after the detention ended on ${formatLongDate(d.leftHospitalOn)}; the engine took that day.`);
  }
  return h;

  function startEpisode(d: Detention): void {
    if (dutyActive() && episode) {
      // R-LA-5: a fresh qualifying detention ends the council's duty automatically.
      episode.ended = { date: d.qualifying?.from ?? d.start, by: 're-detention' };
    }
    episode = { detention: d };
    h.episodes.push(episode);
  }

  function judgeEnding(e: AftercareEndedEvent): void {
    const date = e.date;
    if (!dutyActive() || !episode) {
      h.review.push(review('ENDING-WITHOUT-DUTY',
        `A decision to end aftercare is recorded on ${formatLongDate(date)}, when no aftercare duty was in force${detained ? ' (the person was detained)' : ''}; it has no effect.`, ['R-END-1']));
      return;
    }
    let ending: Ending;
    if (e.reasons.includes('died')) {
      ending = { date, event: e, lawful: true, ruleIds: ['R-END-1'], reason: 'the person died' };
    } else if (!e.icbAgreed || !e.laAgreed) {
      const who = !e.icbAgreed && !e.laAgreed ? 'neither body' : !e.icbAgreed ? 'the ICB did not' : 'the local authority did not';
      ending = { date, event: e, lawful: false, ruleIds: ['R-END-1'], reason: `the duty lasts until both the ICB and the local authority are satisfied it is no longer needed, and ${who} agree` };
    } else if (cto !== null) {
      ending = { date, event: e, lawful: false, ruleIds: ['R-ELIG-4'], reason: 'aftercare cannot end while the person is on a community treatment order' };
    } else if (!e.reasons.includes('no-longer-needs-aftercare')) {
      const refusal = e.reasons.includes('refuses-services');
      ending = {
        date, event: e, lawful: false, ruleIds: ['R-END-3'],
        reason: `the reasons given (${e.reasons.join(', ')}) cannot on their own end aftercare${refusal ? '; refusing services does not show they are no longer needed' : ''} (Code of Practice 33.22)`,
      };
    } else {
      ending = { date, event: e, lawful: true, ruleIds: ['R-END-1'], reason: 'both the ICB and the local authority were satisfied the person no longer needs aftercare' };
    }
    h.endings.push(ending);
    if (!ending.lawful) return;
    if (conditionallyDischarged) {
      h.review.push(review('ENDED-WHILE-CONDITIONALLY-DISCHARGED',
        `Aftercare was ended on ${formatLongDate(date)} while the person was conditionally discharged; that is rarely justified and should be checked.`, ['R-ELIG-5']));
    }
    if (e.personInvolved !== true && !e.reasons.includes('died')) {
      h.review.push(review(e.personInvolved === false ? 'ENDED-WITHOUT-PERSON' : 'PERSON-INVOLVEMENT-NOT-RECORDED',
        e.personInvolved === false
          ? `Aftercare was ended on ${formatLongDate(date)} without involving the person; the Code of Practice expects a joint review with them.`
          : `The decision to end aftercare on ${formatLongDate(date)} does not record whether the person was involved; the Code of Practice expects it.`,
        ['R-END-3']));
    }
    const s46 = config.mha2025S46CommencementDate;
    if (s46 !== null && date >= s46 && !e.reasons.includes('died')) {
      h.review.push(review('MHA2025-JOINT-WRITTEN-NOTICE',
        `Since ${formatLongDate(s46)} aftercare ends only when the ICB and the local authority jointly give the person written notice; confirm it was given for the ending on ${formatLongDate(date)}.`, ['R-LA-16']));
    }
    episode.ended = { date, by: e.reasons.includes('died') ? 'death' : 'joint-decision', ending };
    // reg 2(2): discharge from aftercare closes the ICB exclusion period.
    exclusionOpener = null;
  }
}
