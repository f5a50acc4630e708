/**
 * The NHS body responsible for s117 aftercare, under the rule set in force on the evaluation date:
 * set A (before April 2013), B (Standing Rules 2012), C (SI 2016/293 and its saving), D (Who Pays? 2020)
 * and E (the ICB Responsibilities Regulations 2022, with their transitional rules).
 */
import { formatLongDate, type LocalDate } from '../dates.ts';
import type { Area, ChildStatusEvent, GpRegistrationEvent, OrgCode, ResidenceEvent } from '../facts.ts';
import type { BodyKind, Candidate, ReviewItem } from '../determination.ts';
import { ask, type Detention, type DutyEpisode, type History } from './history.ts';
import { candidateArea, placeName, residenceOnDischarge, unique, type ResidenceFinding } from './residence.ts';

export const ICB_REGULATIONS_IN_FORCE: LocalDate = '2022-07-01';
export const WHO_PAYS_2020_IN_FORCE: LocalDate = '2020-09-01';
export const SI_2016_293_IN_FORCE: LocalDate = '2016-04-01';
export const STANDING_RULES_IN_FORCE: LocalDate = '2013-04-01';

export interface BodyDecision {
  body: OrgCode | null;
  kind: BodyKind;
  ruleIds: string[];
  reasons: string[];
  review: ReviewItem[];
  since?: LocalDate;
  /** Who Pays? 2020: the CCG that commissions, where it differs from the one that pays. */
  commissioner?: { body: OrgCode | null; ruleIds: string[] };
  /** Where a person must decide between bodies (R-HUMAN-1): every candidate; the body given is provisional. */
  candidates?: Candidate[];
  provisional?: boolean;
}

interface Core {
  icb: OrgCode | null;
  ruleIds: string[];
  reason: string;
  review: ReviewItem[];
  /** R-WP-117-12: the person lived outside England with no English GP practice: no ICB had core responsibility. */
  outsideEngland?: boolean;
}

const review = (code: string, message: string, ruleIds: string[]): ReviewItem => ({ code, message, ruleIds });

/** The records of one kind in force on a date: the latest date on or before it, every record from that day. */
function latestGroup<T extends { from: LocalDate }>(items: readonly T[], date: LocalDate, usable: (t: T) => boolean = () => true): T[] {
  let day: LocalDate | undefined;
  for (const item of items) if (item.from <= date && usable(item) && (day === undefined || item.from > day)) day = item.from;
  return day === undefined ? [] : items.filter((i) => i.from === day && usable(i));
}

/** Settings that are never usual residence without a person's confirmation (R-OR-5). */
const CUSTODIAL = new Set(['prison', 'hospital-informal']);

/** Core responsibility on a date: the ICB of the registered GP practice, else of usual residence (R-WP-GEN-1/2, R-WP-117-12). */
export function coreResponsibility(h: History, date: LocalDate): Core {
  const gps = latestGroup(h.gpRegistrations, date);
  const gpKeys = new Set(gps.map((g) => `${g.icb ?? ''}|${g.country ?? 'england'}`));
  if (gpKeys.size > 1) {
    const candidates: Candidate[] = gps.map((g) => ({
      answer: g.icb === null ? 'not registered' : `${g.icb} (${g.country ?? 'england'})`,
      body: g.icb,
      ruleIds: ['R-WP-GEN-1'],
    }));
    return {
      icb: null,
      ruleIds: ['R-WP-GEN-1', 'R-OR-6'],
      reason: `on ${formatLongDate(date)} the record holds contradictory GP registrations from the same day`,
      review: [
        ask(
          'CONTRADICTORY-GP-REGISTRATIONS',
          `Which GP registration was in force on ${formatLongDate(date)}?`,
          `Two or more GP registrations are recorded from ${formatLongDate(gps[0]?.from ?? date)} (${candidates.map((c) => c.answer).join('; ')}); the engine does not choose between them.`,
          candidates,
          ['the GP registration in force on that date (for example from PDS)'],
          ['R-OR-6', 'R-WP-GEN-1'],
        ),
      ],
    };
  }
  const gp: GpRegistrationEvent | undefined = gps[0];
  if (gp && gp.icb !== null && (gp.country ?? 'england') === 'england') {
    return {
      icb: gp.icb,
      ruleIds: ['R-WP-GEN-1'],
      reason: `on ${formatLongDate(date)} the person was registered with a GP practice associated with ${gp.icb}`,
      review: [],
    };
  }
  const items: ReviewItem[] = [];
  if (!gp) {
    items.push(
      review(
        'GP-REGISTRATION-MISSING',
        `No GP registration is recorded for ${formatLongDate(date)}; the engine used where the person usually lived. Confirm the registration (for example from PDS).`,
        ['R-WP-GEN-1'],
      ),
    );
  }
  const why = !gp
    ? 'no GP registration is recorded'
    : gp.icb === null
      ? 'the person was not registered with a GP practice'
      : `the person's GP practice was in ${gp.country}`;
  const homes = latestGroup(h.residences, date, (r) => !CUSTODIAL.has(r.setting) && r.nature !== 'holiday-or-visit');
  const homeKeys = new Set(homes.map((r) => `${r.area.country}|${r.area.icb ?? ''}`));
  if (homeKeys.size > 1) {
    const candidates: Candidate[] = homes.map((r) => ({ answer: placeName(r.area), body: r.area.icb ?? null, ruleIds: ['R-WP-GEN-2'] }));
    items.push(
      ask(
        'CONTRADICTORY-RESIDENCES',
        `Where did the person usually live on ${formatLongDate(date)}?`,
        `On ${formatLongDate(date)} ${why}, and two or more homes are recorded from the same day (${candidates.map((c) => c.answer).join('; ')}); the engine does not choose between them.`,
        candidates,
        ['which residence record is right'],
        ['R-OR-6', 'R-WP-GEN-2'],
      ),
    );
    return {
      icb: null,
      ruleIds: ['R-WP-GEN-2', 'R-OR-6'],
      reason: `on ${formatLongDate(date)} ${why} and the record holds contradictory homes`,
      review: items,
    };
  }
  const home: ResidenceEvent | undefined = homes[0];
  if (home && home.area.country !== 'england') {
    return {
      icb: null,
      ruleIds: ['R-WP-GEN-2', 'R-WP-117-12'],
      reason: `on ${formatLongDate(date)} ${why} and the person lived in ${home.area.country}, so no English ICB had core responsibility (a Welsh, Scottish or Northern Irish health body is never an ICB)`,
      review: gp ? [] : items,
      outsideEngland: true,
    };
  }
  if (!home || home.area.icb === undefined) {
    items.push(
      review(
        'USUAL-RESIDENCE-MISSING',
        `On ${formatLongDate(date)} ${why}, and the ICB area where the person usually lived is not recorded.`,
        ['R-WP-GEN-2'],
      ),
    );
    return {
      icb: null,
      ruleIds: ['R-WP-GEN-2'],
      reason: `on ${formatLongDate(date)} ${why} and no usual residence with an ICB is recorded`,
      review: items,
    };
  }
  if (home.setting === 'no-fixed-abode' || home.basis === 'unknown') {
    items.push(
      review(
        'USUAL-RESIDENCE-UNCERTAIN',
        `On ${formatLongDate(date)} ${why}; the person's usual residence (${home.setting === 'no-fixed-abode' ? 'no fixed abode' : 'basis unknown'}) in ${home.area.icb}'s area needs confirming.`,
        ['R-WP-GEN-2'],
      ),
    );
  }
  return {
    icb: home.area.icb,
    ruleIds: ['R-WP-GEN-2'],
    reason: `on ${formatLongDate(date)} ${why}, so core responsibility lay with ${home.area.icb}, where the person usually lived`,
    review: items,
  };
}

/** Decides the NHS body for the duty episode, given the local authority's residence finding. */
export function decideIcb(h: History, episode: DutyEpisode, laFinding: ResidenceFinding): BodyDecision {
  const decision = followResidenceQuestion(h, episode, laFinding) ?? decideByRuleSet(h, episode, laFinding);
  if (decision.since === undefined && decision.body !== null && episode.arose !== undefined) decision.since = episode.arose;
  return decision;
}

function decideByRuleSet(h: History, episode: DutyEpisode, laFinding: ResidenceFinding): BodyDecision {
  const evaluation = h.evaluationDate;
  const d = episode.detention;
  const outside = crossBorder(h, d, laFinding);
  if (outside) return outside;
  if (evaluation < STANDING_RULES_IN_FORCE) return setA(laFinding);
  if (evaluation < SI_2016_293_IN_FORCE)
    return applyReg8(
      h,
      episode,
      fromCore(
        coreResponsibility(h, evaluation),
        ['R-WP-SET-B'],
        "Under the NHS Standing Rules 2012 the s117 duty lay with the CCG of the person's GP practice, or of usual residence if unregistered",
      ),
    );
  if (evaluation < ICB_REGULATIONS_IN_FORCE) return applyReg8(h, episode, beforeIcbRegulations(h, episode, laFinding));
  return applyReg8(h, episode, setE(h, episode, laFinding));
}

const NHS_KIND_WORDS: Partial<Record<BodyKind, string>> = {
  'english-icb': 'English ICB',
  'nhs-england': 'NHS England',
  'welsh-health-board': 'Welsh Local Health Board',
  'outside-england-and-wales': 'outside England and Wales',
};

/**
 * R-WP-117-6, R-XB-1 with R-OR-6 and R-HUMAN-1: where a person must decide where the person was ordinarily resident and
 * a candidate lies outside England, the NHS body depends on that answer too (s117(3)(b): the Welsh Local Health Board;
 * (c): where sent on discharge). Each reading is computed; if they differ, no NHS body is given with confidence.
 * Returns null when every candidate is in England (the English rules decide, e.g. by GP registration).
 */
function followResidenceQuestion(h: History, episode: DutyEpisode, laFinding: ResidenceFinding): BodyDecision | null {
  const { candidates, provisional, ...plain } = laFinding;
  if (candidates === undefined) return null;
  const areas = candidates.map((c) => candidateArea(c) ?? null);
  if (areas.every((a) => a === null || a.country === 'england')) return null;
  const readings = areas.map((area) => decideByRuleSet(h, episode, { ...plain, area }));
  const key = (d: BodyDecision) => `${d.kind}:${d.body ?? ''}`;
  const first = readings[0];
  if (first === undefined || readings.every((d) => key(d) === key(first))) return first ?? null;
  const nhs: Candidate[] = [];
  readings.forEach((d, i) => {
    if (nhs.some((c) => `${c.kind ?? ''}:${c.body ?? ''}` === key(d))) return;
    nhs.push({
      answer: `${d.body ?? 'a body not recorded'} (${NHS_KIND_WORDS[d.kind] ?? 'not determined'}), if the answer is ${candidates[i]?.answer ?? 'that area'}`,
      body: d.body,
      kind: d.kind,
      ruleIds: unique([...(d.kind === 'welsh-health-board' ? ['R-XB-1'] : []), ...d.ruleIds]),
    });
  });
  const given = provisional === true ? readings[areas.indexOf(laFinding.area)] : undefined;
  const review = readings
    .flatMap((d) => d.review)
    .filter((x, i, all) => all.findIndex((y) => y.code === x.code && y.message === x.message) === i);
  review.push(
    ask(
      'NHS-BODY-FOLLOWS-RESIDENCE',
      'Which NHS body owes the duty, given the open question about where the person was ordinarily resident?',
      'Where the person was ordinarily resident immediately before detention is for a person to decide, and the NHS body follows the answer: ordinarily resident in England gives an English ICB (s117(3)(a) and reg 7); in Wales, the Welsh Local Health Board (s117(3)(b)); elsewhere, the body where the person is sent on discharge (s117(3)(c)).',
      nhs,
      ['the answer to the question about ordinary residence'],
      ['R-WP-117-6', 'R-XB-1'],
    ),
  );
  const decision: BodyDecision = {
    body: given?.body ?? null,
    kind: given?.kind ?? 'undetermined',
    ruleIds: ['R-WP-117-6', 'R-XB-1'],
    reasons: [
      given === undefined
        ? 'The NHS body cannot be named until a person decides where the person was ordinarily resident: one candidate is outside England.'
        : `The NHS body given (${given.body ?? ''}) follows the provisional answer on ordinary residence, and changes with it.`,
    ],
    review,
    candidates: nhs,
  };
  if (given !== undefined) decision.provisional = true;
  return decision;
}

function fromCore(core: Core, ruleIds: string[], lead: string): BodyDecision {
  return {
    body: core.icb,
    kind: core.icb === null ? 'undetermined' : 'english-icb',
    ruleIds: unique([...ruleIds, ...core.ruleIds]),
    reasons: [`${lead}: ${core.reason}.`],
    review: core.review,
  };
}

function setA(laFinding: ResidenceFinding): BodyDecision {
  const icb = laFinding.area?.icb ?? null;
  return {
    body: icb,
    kind: icb === null ? 'undetermined' : 'english-icb',
    ruleIds: ['R-WP-SET-A'],
    reasons: [
      icb === null
        ? "Before April 2013 the health body was the one for the area where the person was resident before detention, and that area's health body is not recorded."
        : `Before April 2013 the health body was the one for the area where the person was resident before detention: ${icb}.`,
    ],
    review:
      icb === null
        ? [
            review('HEALTH-BODY-MISSING', 'The health body for the area where the person was resident before detention is not recorded.', [
              'R-WP-SET-A',
            ]),
          ]
        : [],
  };
}

function beforeIcbRegulations(h: History, episode: DutyEpisode, laFinding: ResidenceFinding): BodyDecision {
  const d = episode.detention;
  const opener = d.exclusionOpener ?? d;
  const orIcb = laFinding.area?.icb ?? null;
  if (d.start >= WHO_PAYS_2020_IN_FORCE) {
    const origin = opener.start >= WHO_PAYS_2020_IN_FORCE ? opener : d;
    const core = coreResponsibility(h, origin.start);
    const decision = fromCore(
      core,
      ['R-WP-SET-D'],
      `Under Who Pays? 2020 the originating CCG pays for the detention and the aftercare, and keeps paying through later detentions until the person is discharged from aftercare. The originating CCG is fixed at the detention of ${formatLongDate(origin.start)}`,
    );
    decision.commissioner = { body: orIcb, ruleIds: ['R-WP-SET-C'] };
    decision.reasons.push(
      orIcb === null
        ? 'The CCG that commissions the aftercare (where the person was ordinarily resident before detention) is not recorded.'
        : `${orIcb}, the CCG for the area where the person was ordinarily resident before detention, commissions the aftercare${orIcb === core.icb ? '' : `, while ${core.icb ?? 'the originating CCG'} pays`}.`,
    );
    return decision;
  }
  if (episode.arose !== undefined && episode.arose < SI_2016_293_IN_FORCE) {
    return fromCore(
      coreResponsibility(h, '2016-03-31'),
      ['R-WP-SET-C-SAVING'],
      'The CCG that held the duty under the Standing Rules on 31 March 2016 keeps it until aftercare ends or the person is next detained under a qualifying section',
    );
  }
  return {
    body: orIcb,
    kind: orIcb === null ? 'undetermined' : 'english-icb',
    ruleIds: ['R-WP-SET-C'],
    reasons: [
      orIcb === null
        ? 'From April 2016 the CCG is the one for the area where the person was ordinarily resident before detention, and that CCG is not recorded.'
        : `From April 2016 the CCG is the one for the area where the person was ordinarily resident immediately before detention: ${orIcb}.`,
    ],
    review:
      orIcb === null
        ? [review('HEALTH-BODY-MISSING', 'The CCG for the area of ordinary residence before detention is not recorded.', ['R-WP-SET-C'])]
        : [],
  };
}

/** The candidate a limb gives, for a question to a person. */
const limb = (core: Core, words: string, ruleIds: string[]): Candidate => ({
  answer: `${core.icb ?? 'an ICB not recorded'} (${words})`,
  body: core.icb,
  kind: core.icb === null ? 'undetermined' : 'english-icb',
  ruleIds,
});

/** SI 2022/635 regs 5 to 8. */
function setE(h: History, episode: DutyEpisode, laFinding: ResidenceFinding): BodyDecision {
  const d = episode.detention;
  let opener = d.exclusionOpener ?? d;
  const items: ReviewItem[] = [];
  const ruleIds: string[] = ['R-WP-117-2'];
  const reasons: string[] = [];
  let core: Core;
  let since: LocalDate | undefined = episode.arose;
  /** Where the limbs of reg 7 (or the readings of the Part 3 rules) name different ICBs: the question to ask. */
  const questions: { code: string; question: string; message: string; candidates: Candidate[]; facts: string[]; ruleIds: string[] }[] = [];

  // R-WP-117-12: with no ICB holding core responsibility at the earlier application there is no originating ICB.
  if (opener !== d && opener.start >= ICB_REGULATIONS_IN_FORCE && coreResponsibility(h, opener.start).outsideEngland === true) {
    reasons.push(
      `No English ICB had core responsibility when the detention of ${formatLongDate(opener.start)} began, so there is no originating ICB to keep responsibility; the later detention is allocated afresh.`,
    );
    ruleIds.push('R-WP-117-12');
    opener = d;
  }
  const part3 = (x: Detention): boolean => !x.part2 && !x.recall;

  if (opener.start >= ICB_REGULATIONS_IN_FORCE) {
    core = coreResponsibility(h, opener.start);
    if (opener.nhsEnglandBed) {
      ruleIds.push('R-WP-117-5');
      reasons.push(
        `The detention of ${formatLongDate(opener.start)} was arranged by NHS England, so the aftercare ICB is the one with core responsibility on its first day: ${core.reason} (reg 7(5)).`,
      );
    } else if (opener.part2) {
      ruleIds.push('R-WP-117-1');
      reasons.push(
        `${core.icb ?? 'The ICB'} had core responsibility when the application for the detention of ${formatLongDate(opener.start)} was made: ${core.reason} (reg 5). Where the hospital is does not matter.`,
      );
    } else {
      ruleIds.push('R-WP-117-7', 'R-WP-117-10');
      reasons.push(
        `The detention of ${formatLongDate(opener.start)} came through the courts or prison (Part 3), which is not an application under reg 5; in an ICB-commissioned bed the ICB responsible during it is the one with core responsibility: ${core.reason}.`,
      );
      const atEnd = coreResponsibility(h, opener.endedOn ?? h.evaluationDate);
      if (atEnd.icb !== core.icb) {
        questions.push({
          code: 'PART3-GP-CHANGED-DURING-DETENTION',
          question: 'Which ICB had responsibility during the Part 3 detention to which the aftercare relates?',
          message: `The person's core ICB changed during a Part 3 detention (${core.icb ?? 'unknown'} at the start, ${atEnd.icb ?? 'unknown'} later). How the ICB Regulations treat this is unsettled; the engine's provisional answer is the ICB at the start.`,
          candidates: [
            limb(core, 'core responsibility when the detention began', ['R-WP-117-7']),
            limb(atEnd, 'core responsibility later in the detention', ['R-WP-117-10']),
          ],
          facts: ['the dates of the GP registration change', 'which ICB arranged services during the detention'],
          ruleIds: ['R-WP-117-7', 'R-WP-117-10'],
        });
      }
    }
  } else {
    ruleIds.push('R-WP-117-4');
    if (d.start < ICB_REGULATIONS_IN_FORCE && d.nhsEnglandBed && d.endedOn !== undefined && d.endedOn >= ICB_REGULATIONS_IN_FORCE) {
      ruleIds.push('R-WP-117-5');
      core = coreResponsibility(h, d.endedOn);
      reasons.push(
        `The detention arranged by NHS England began before and ended after 1 July 2022, so under reg 7(4) the aftercare ICB is the one with core responsibility on discharge: ${core.reason}.`,
      );
      const reg6 = coreResponsibility(h, ICB_REGULATIONS_IN_FORCE);
      if (reg6.icb !== core.icb)
        questions.push({
          code: 'REG7-LIMBS-DISAGREE',
          question: 'Which limb of reg 7 governs the aftercare ICB?',
          message: `Reg 6(2) with reg 7(2) names ${reg6.icb ?? 'an unknown ICB'} (core responsibility on 1 July 2022) and reg 7(4) names ${core.icb ?? 'an unknown ICB'} (core responsibility on discharge); reg 7 gives no priority. The engine's provisional answer is reg 7(4), the limb written for NHS England detentions.`,
          candidates: [
            limb(core, 'reg 7(4): core responsibility on discharge', ['R-WP-117-5', 'R-WP-117-11']),
            limb(reg6, 'regs 6(2) and 7(2): core responsibility on 1 July 2022', ['R-WP-117-4', 'R-WP-117-11']),
          ],
          facts: ['the GP registration on 1 July 2022 and on discharge'],
          ruleIds: ['R-WP-117-11'],
        });
      since = maxDefined(since, d.endedOn);
    } else {
      core = coreResponsibility(h, ICB_REGULATIONS_IN_FORCE);
      const detainedThen = d.start < ICB_REGULATIONS_IN_FORCE && (d.endedOn === undefined || d.endedOn >= ICB_REGULATIONS_IN_FORCE);
      const how = detainedThen
        ? 'was detained on 1 July 2022'
        : d.start < ICB_REGULATIONS_IN_FORCE
          ? 'left the detention before 1 July 2022'
          : 'was receiving aftercare on 1 July 2022 and has not been discharged from it since';
      reasons.push(`The person ${how}, so the ICB is the one with core responsibility on 1 July 2022: ${core.reason} (regs 6 and 7(3)).`);
      since = maxDefined(since, ICB_REGULATIONS_IN_FORCE);
    }
  }

  if (d !== opener) {
    ruleIds.push('R-WP-117-3');
    reasons.push(
      `The later detention of ${formatLongDate(d.start)} began before the person was discharged from aftercare, inside the exclusion period, so it does not move the ICB: moving home or changing GP does not either.`,
    );
    const literal = coreResponsibility(h, d.start);
    if (d.nhsEnglandBed && d.start >= ICB_REGULATIONS_IN_FORCE && !d.recall) {
      // R-WP-117-11(b)/(c): the originating ICB (regs 5/6 with 7(2)) against reg 7(5).
      ruleIds.push('R-WP-117-5');
      if (literal.icb !== core.icb) {
        const kept = core;
        core = literal;
        reasons.push(
          `The detention of ${formatLongDate(d.start)} was arranged by NHS England; reg 7(5) names the ICB with core responsibility on its first day, ${literal.icb ?? 'not recorded'}, which the engine gives provisionally.`,
        );
        questions.push({
          code: 'REG7-LIMBS-DISAGREE',
          question: 'Which limb of reg 7 governs the aftercare ICB?',
          message: `The detention of ${formatLongDate(d.start)} was arranged by NHS England. Reg 7(5) names ${literal.icb ?? 'an unknown ICB'} (core responsibility on its first day); the originating ICB under ${opener.start >= ICB_REGULATIONS_IN_FORCE ? 'reg 5' : 'reg 6'} with reg 7(2) is ${kept.icb ?? 'unknown'}. Reg 7 gives no priority; the engine's provisional answer is reg 7(5).`,
          candidates: [
            limb(literal, 'reg 7(5): core responsibility on the first day of the NHS England detention', ['R-WP-117-5', 'R-WP-117-11']),
            limb(kept, 'the originating ICB, kept through the exclusion period (reg 7(2))', ['R-WP-117-3', 'R-WP-117-11']),
          ],
          facts: ['the GP registration on the first day of each detention', 'who commissioned each bed'],
          ruleIds: ['R-WP-117-11'],
        });
      }
    } else if (part3(d) && !d.nhsEnglandBed && opener.part2 && d.start >= ICB_REGULATIONS_IN_FORCE) {
      // R-WP-117-10(a): a Part 3 detention inside a Part 2 exclusion period.
      ruleIds.push('R-WP-117-10');
      if (literal.icb !== core.icb)
        questions.push({
          code: 'PART3-IN-EXCLUSION-PERIOD',
          question: 'Which ICB had responsibility "during the detention to which the aftercare relates"?',
          message: `The Part 3 detention of ${formatLongDate(d.start)} began inside the exclusion period opened by the Part 2 detention of ${formatLongDate(opener.start)}. NHS England's note keeps the originating ICB (${core.icb ?? 'unknown'}); on the literal text the ICB with core responsibility during the Part 3 detention (${literal.icb ?? 'unknown'}) had responsibility then. The engine's provisional answer is the originating ICB.`,
          candidates: [
            limb(core, 'the originating ICB, as NHS England reads the exclusion period', ['R-WP-117-3']),
            limb(literal, 'core responsibility during the Part 3 detention (reg 7(2)(a), literal text)', ['R-WP-117-10']),
          ],
          facts: ['which ICB arranged mental health services during the Part 3 detention'],
          ruleIds: ['R-WP-117-10'],
        });
    } else if (d.part2 && part3(opener) && !opener.nhsEnglandBed) {
      // R-WP-117-10(b): a Part 2 application inside a period a Part 3 detention opened: no reg 5 originating ICB.
      ruleIds.push('R-WP-117-10');
      if (literal.icb !== core.icb) {
        const kept = core;
        core = literal;
        questions.push({
          code: 'PART2-AFTER-PART3',
          question: 'Which ICB had responsibility "during the detention to which the aftercare relates"?',
          message: `The application of ${formatLongDate(d.start)} was made inside a period opened by a Part 3 detention (${formatLongDate(opener.start)}), which has no originating ICB under reg 5. The ICB with core responsibility at the application is ${literal.icb ?? 'unknown'} (the engine's provisional answer); the ICB from the Part 3 detention is ${kept.icb ?? 'unknown'}.`,
          candidates: [
            limb(literal, 'core responsibility when the Part 2 application was made', ['R-WP-117-10']),
            limb(kept, 'the ICB responsible during the earlier Part 3 detention', ['R-WP-117-7']),
          ],
          facts: ['the GP registration when each detention began'],
          ruleIds: ['R-WP-117-10'],
        });
      }
    }
  }
  ruleIds.push(...core.ruleIds);
  items.push(...core.review);

  if ([...d.sections].some((x) => x.section.startsWith('47') || x.section.startsWith('48'))) {
    // R-WP-117-10(d), R-OR-5: core responsibility at transfer from custody is unsettled; never from the custodial address.
    items.push(
      ask(
        'PRISONER-TRANSFER-ICB',
        'Which ICB had core responsibility when the person was transferred from prison or immigration detention?',
        `The person was transferred from custody (s47 or s48). NHS England commissioned their health care in custody, and how an ICB's core responsibility is fixed at transfer is unsettled; the engine's provisional answer (${core.icb ?? 'none'}) uses the last GP registration or usual residence that is not a custodial address.`,
        [limb(core, 'last GP registration or home before custody', ['R-WP-117-10', 'R-OR-5'])],
        ['the GP registration and home before custody', 'whether the person was registered with a practice on release'],
        ['R-WP-117-10', 'R-OR-5', 'R-WP-GEN-7'],
      ),
    );
  }

  let body = core.icb;
  let kind: BodyKind = body === null ? 'undetermined' : 'english-icb';
  // R-WP-117-12 / R-WP-117-6: no ICB had core responsibility (the person lived outside England): the s117(3)(a) ICB.
  const s117a = laFinding.area?.country === 'england' ? (laFinding.area.icb ?? null) : null;
  if (body === null && core.outsideEngland === true) {
    body = s117a;
    kind = body === null ? 'undetermined' : 'english-icb';
    ruleIds.push('R-WP-117-6', 'R-WP-117-12');
    reasons.push(
      body === null
        ? 'Reg 7 names no ICB, and the ICB for the area where the person was ordinarily resident before detention (s117(3)(a)) is not recorded.'
        : `Reg 7 names no ICB, so the duty stays where s117(3)(a) puts it: ${body}, the ICB for the area of England where the person was ordinarily resident before detention.`,
    );
  }

  /** R-WP-117-9: the candidates when the two readings of "usually resident in England" name different ICBs. */
  let residenceCandidates: Candidate[] | undefined;
  // R-WP-117-9: reg 7 applies only while the person is usually resident in England, tested where they live now.
  if (episode.arose !== undefined && h.evaluationDate >= ICB_REGULATIONS_IN_FORCE && laFinding.area?.country === 'england') {
    const now = latestGroup(
      h.residences,
      h.evaluationDate,
      (r) =>
        r.from >= (episode.arose ?? r.from) &&
        !CUSTODIAL.has(r.setting) &&
        r.nature !== 'holiday-or-visit' &&
        r.nature !== 'temporary' &&
        r.nature !== 'respite',
    );
    const abroad = now.length > 0 && now.every((r) => r.area.country !== 'england') ? now[0] : undefined;
    if (abroad !== undefined) {
      ruleIds.push('R-WP-117-9', 'R-WP-117-6');
      if (s117a === body) {
        reasons.push(
          `The person now lives in ${abroad.area.country}, so reg 7 no longer applies; the duty stays with the s117(3)(a) ICB for the area of England where they were ordinarily resident before detention, which is the same ICB. A Welsh or other body is never an English ICB.`,
        );
      } else {
        const reg7 = {
          answer: `${body ?? 'not recorded'} (reg 7, if "usually resident in England" is tested once at discharge)`,
          body,
          kind,
          ruleIds: ['R-WP-117-2'],
        } satisfies Candidate;
        const s117 = {
          answer: `${s117a ?? 'not recorded'} (s117(3)(a): ordinary residence before detention, reg 7 tested continuously)`,
          body: s117a,
          kind: (s117a === null ? 'undetermined' : 'english-icb') as BodyKind,
          ruleIds: ['R-WP-117-9', 'R-WP-117-6'],
        } satisfies Candidate;
        items.push(
          ask(
            'NOT-USUALLY-RESIDENT-IN-ENGLAND',
            'Does reg 7 still apply now that the person lives outside England?',
            `Since ${formatLongDate(abroad.from)} the person has lived in ${abroad.area.country}. Read literally, reg 7 ("is usually resident in England") no longer applies and the duty sits with the s117(3)(a) ICB (${s117a ?? 'not recorded'}); if the test is applied once at discharge, reg 7 keeps ${body ?? 'an unknown ICB'}. The engine's provisional answer is the literal reading. It is never the ${abroad.area.country === 'wales' ? 'Welsh Local Health Board' : 'health body there'}.`,
            [s117, reg7],
            ['where the person usually lives now, and since when', 'whether the move is permanent'],
            ['R-WP-117-9'],
          ),
        );
        body = s117a;
        kind = s117.kind;
        residenceCandidates = [s117, reg7];
      }
    }
  }

  for (const q of questions) {
    items.push(ask(q.code, q.question, q.message, q.candidates, q.facts, q.ruleIds));
    ruleIds.push(...q.ruleIds);
  }
  const decision: BodyDecision = {
    body,
    kind,
    ruleIds: unique(ruleIds),
    reasons,
    review: items,
  };
  const last = questions.at(-1)?.candidates ?? residenceCandidates;
  if (last !== undefined) {
    decision.candidates = last;
    decision.provisional = true;
  }
  childPlacedByIcb(h, episode, decision);
  if (since !== undefined) decision.since = since;
  return decision;
}

/**
 * R-WP-NHSE-1/2: NHS England holds the NHS s117 duty for aftercare services it must arrange, service by service:
 * Standing Rules reg 15 from 1 April 2013, SI 2022/635 reg 8 from 1 July 2022. English NHS duties only.
 */
function applyReg8(h: History, episode: DutyEpisode, decision: BodyDecision): BodyDecision {
  if (h.evaluationDate < STANDING_RULES_IN_FORCE || decision.kind === 'welsh-health-board' || decision.kind === 'outside-england-and-wales')
    return decision;
  let body = decision.body;
  let kind = decision.kind;
  const ruleIds = decision.ruleIds;
  const reasons = decision.reasons;
  const items = decision.review;
  // R-WP-NHSE-1/2: reg 8, service by service.
  const services = h.services.filter((x) => x.from <= h.evaluationDate && (x.to === undefined || x.to >= h.evaluationDate));
  const nhse = services.filter((x) => x.nhsEnglandMustArrange === true);
  const unclassified = services.filter(
    (x) =>
      x.nhsEnglandMustArrange === undefined &&
      ['specialised-mental-health', 'high-security', 'secure-forensic', 'community-forensic', 'health-care-in-custody'].includes(x.kind),
  );
  const inCustodyNow =
    h.imprisonments.some((p) => p.from <= h.evaluationDate && (p.to === undefined || p.to >= h.evaluationDate)) &&
    episode.arose !== undefined;
  if (nhse.length > 0) {
    ruleIds.push('R-WP-NHSE-1');
    const health = services.filter((x) => x.kind !== 'social-care' && x.kind !== 'specialist-accommodation');
    const names = nhse.map((x) => x.kind.replace(/-/g, ' ')).join(', ');
    if (health.length > 0 && health.every((x) => x.nhsEnglandMustArrange === true)) {
      reasons.push(
        `Every NHS aftercare service the person receives (${names}) is one NHS England must arrange, so NHS England holds the NHS s117 duty for it (reg 8); ${body ?? 'the ICB found above'} would hold it for any other NHS service.`,
      );
      body = 'NHSE';
      kind = 'nhs-england';
    } else {
      reasons.push(
        `NHS England holds the NHS s117 duty for the ${names} service, which it must arrange (reg 8); ${body ?? 'the ICB'} holds it for the rest.`,
      );
    }
  }
  if (unclassified.length > 0 || (inCustodyNow && nhse.length === 0)) {
    items.push(
      ask(
        'SERVICE-MAY-BE-NHS-ENGLAND',
        'Is this an aftercare service NHS England must arrange (reg 8)?',
        unclassified.length > 0
          ? `The person receives ${unclassified.map((x) => x.kind.replace(/-/g, ' ')).join(', ')} services, which may be ones NHS England must arrange; if so NHS England holds the s117 duty for them and ${body ?? 'the ICB'} for the rest.`
          : `The person is in custody, where NHS England arranges health services; aftercare delivered there may be NHS England's under reg 8, and ${body ?? 'the ICB'} keeps the rest.`,
        [
          { answer: 'NHS England, for that service', body: 'NHSE', kind: 'nhs-england', ruleIds: ['R-WP-NHSE-1'] },
          { answer: `${body ?? 'the ICB found'}, for every service`, body, kind, ruleIds: ['R-WP-117-2'] },
        ],
        [
          'what each service is, who commissions it, and whether it is a prescribed specialised, high-security or custody service on those dates',
        ],
        ['R-WP-NHSE-2'],
      ),
    );
  }

  decision.body = body;
  decision.kind = kind;
  decision.ruleIds = unique(ruleIds);
  return decision;
}

/**
 * R-CHILD-4: from 1 July 2022 there is no children-specific s117 rule. Where the record names the ICB responsible for a
 * placed child under SI 2022/635 Schedule para 4 and it differs from the ICB found from core responsibility, a person
 * decides which holds the s117 duty; the core-responsibility ICB is the provisional answer.
 */
function childPlacedByIcb(h: History, episode: DutyEpisode, decision: BodyDecision): void {
  const start = episode.detention.start;
  let status: ChildStatusEvent | undefined;
  for (const c of h.childStatuses) if (c.from <= start) status = c;
  const para4 = status?.schedulePara4Icb;
  if (para4 === undefined || decision.kind !== 'english-icb' || para4 === decision.body) return;
  const candidates: Candidate[] = [
    {
      answer: `${decision.body ?? 'not recorded'} (core responsibility, regs 5 to 7)`,
      body: decision.body,
      kind: 'english-icb',
      ruleIds: ['R-WP-117-2', 'R-CHILD-4'],
    },
    {
      answer: `${para4} (responsible for the placed child under Schedule para 4)`,
      body: para4,
      kind: 'english-icb',
      ruleIds: ['R-CHILD-4'],
    },
  ];
  decision.review.push(
    ask(
      'CHILD-SCHEDULE-PARA4-ICB',
      'Which ICB holds the s117 duty for the placed child?',
      `When the detention of ${formatLongDate(start)} began, ${para4} was responsible for the child's placement under SI 2022/635 Schedule para 4, while core responsibility gives ${decision.body ?? 'another ICB'}. Since 1 July 2022 no rule says which holds the s117 duty; the engine's provisional answer is ${decision.body ?? 'the core ICB'}.`,
      candidates,
      ['which ICB arranged mental health services for the child during the detention', 'the placement arrangements and who made them'],
      ['R-CHILD-4'],
    ),
  );
  decision.ruleIds = unique([...decision.ruleIds, 'R-CHILD-4']);
  decision.candidates ??= candidates;
  decision.provisional = true;
}

function maxDefined(a: LocalDate | undefined, b: LocalDate): LocalDate | undefined {
  return a === undefined ? undefined : a > b ? a : b;
}

/** s117(3)(b) and (c): not (ordinarily or usually) resident in England (R-WP-117-6). */
function crossBorder(h: History, d: Detention, laFinding: ResidenceFinding): BodyDecision | null {
  const country = laFinding.area?.country;
  if (country === undefined || country === 'england') return null;
  if (country === 'wales') {
    const board = laFinding.area?.icb ?? null;
    return {
      body: board,
      kind: board === null ? 'undetermined' : 'welsh-health-board',
      ruleIds: ['R-WP-117-6', 'R-LA-1'],
      reasons: [
        `The person was ordinarily resident in Wales before detention, so the Welsh Local Health Board for that area${board === null ? '' : `, ${board},`} owes the NHS duty (s117(3)(b)).`,
      ],
      review:
        board === null
          ? [
              review('HEALTH-BODY-MISSING', 'The Welsh Local Health Board for the area of ordinary residence is not recorded.', [
                'R-WP-117-6',
              ]),
            ]
          : [],
    };
  }
  const dest: Area | undefined = residenceOnDischarge(h, d.leftHospitalOn)?.area;
  const items = [
    review(
      'CROSS-BORDER-RESIDENCE',
      `The person was resident in ${country} before detention. Section 117(3)(c) points to the area where they are resident or sent on discharge; how this sits with the aftercare duties of ${country} is not settled.`,
      ['R-WP-117-6', 'R-WP-GEN-4'],
    ),
  ];
  if (dest === undefined) {
    return {
      body: null,
      kind: 'undetermined',
      ruleIds: ['R-WP-117-6', 'R-LA-1'],
      reasons: ['Where the person will live on discharge is not yet recorded, so the s117(3)(c) health body cannot be named.'],
      review: items,
    };
  }
  const kind: BodyKind =
    dest.country === 'england' ? 'english-icb' : dest.country === 'wales' ? 'welsh-health-board' : 'outside-england-and-wales';
  const body = kind === 'outside-england-and-wales' ? null : (dest.icb ?? null);
  return {
    body,
    kind: body === null && kind !== 'outside-england-and-wales' ? 'undetermined' : kind,
    ruleIds: kind === 'outside-england-and-wales' ? ['R-WP-117-6', 'R-LA-1'] : ['R-WP-117-6', 'R-LA-1', 'R-XB-3'],
    reasons: [`Under s117(3)(c) the health body is the one for the area the person was sent to on discharge: ${placeName(dest)}.`],
    // R-XB-3: only a person sent to Scotland, Northern Ireland or abroad leaves a question about which law applies.
    review: kind === 'outside-england-and-wales' ? items : [],
  };
}
