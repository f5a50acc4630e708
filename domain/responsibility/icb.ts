/**
 * The NHS body responsible for s117 aftercare, under the rule set in force on the evaluation date:
 * set A (before April 2013), B (Standing Rules 2012), C (SI 2016/293 and its saving), D (Who Pays? 2020)
 * and E (the ICB Responsibilities Regulations 2022, with their transitional rules).
 */
import { formatLongDate, type LocalDate } from '../dates.ts';
import type { Area, GpRegistrationEvent, OrgCode, ResidenceEvent } from '../facts.ts';
import type { BodyKind, ReviewItem } from '../determination.ts';
import type { Detention, DutyEpisode, History } from './history.ts';
import { placeName, residenceOnDischarge, unique, type ResidenceFinding } from './residence.ts';

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
}

interface Core {
  icb: OrgCode | null;
  ruleIds: string[];
  reason: string;
  review: ReviewItem[];
}

const review = (code: string, message: string, ruleIds: string[]): ReviewItem => ({ code, message, ruleIds });

function latestOnOrBefore<T extends { from: LocalDate }>(items: readonly T[], date: LocalDate): T | undefined {
  let found: T | undefined;
  for (const item of items) {
    if (item.from <= date) found = item;
    else break;
  }
  return found;
}

/** Core responsibility on a date: the ICB of the registered GP practice, else of usual residence (R-WP-GEN-1/2). */
export function coreResponsibility(h: History, date: LocalDate): Core {
  const gp: GpRegistrationEvent | undefined = latestOnOrBefore(h.gpRegistrations, date);
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
  const home: ResidenceEvent | undefined = latestOnOrBefore(h.residences, date);
  const why = !gp
    ? 'no GP registration is recorded'
    : gp.icb === null
      ? 'the person was not registered with a GP practice'
      : `the person's GP practice was in ${gp.country}`;
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
  const decision = decideByRuleSet(h, episode, laFinding);
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
    return fromCore(
      coreResponsibility(h, evaluation),
      ['R-WP-SET-B'],
      "Under the NHS Standing Rules 2012 the s117 duty lay with the CCG of the person's GP practice, or of usual residence if unregistered",
    );
  if (evaluation < ICB_REGULATIONS_IN_FORCE) return beforeIcbRegulations(h, episode, laFinding);
  return setE(h, episode);
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

/** SI 2022/635 regs 5 to 8. */
function setE(h: History, episode: DutyEpisode): BodyDecision {
  const d = episode.detention;
  const opener = d.exclusionOpener ?? d;
  const items: ReviewItem[] = [];
  const ruleIds: string[] = ['R-WP-117-2'];
  const reasons: string[] = [];
  let core: Core;
  let since: LocalDate | undefined = episode.arose;

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
      ruleIds.push('R-WP-117-7');
      reasons.push(
        `The detention of ${formatLongDate(opener.start)} came through the courts or prison (Part 3) in an ICB-commissioned bed; the engine used core responsibility on its first day: ${core.reason}.`,
      );
      const atEnd = coreResponsibility(h, opener.endedOn ?? h.evaluationDate);
      if (atEnd.icb !== core.icb) {
        items.push(
          review(
            'PART3-GP-CHANGED-DURING-DETENTION',
            `The person's core ICB changed during a Part 3 detention (${core.icb ?? 'unknown'} at the start, ${atEnd.icb ?? 'unknown'} later). How the ICB Regulations treat this is debated; the engine kept the ICB at the start.`,
            ['R-WP-117-7'],
          ),
        );
      }
    }
  } else {
    ruleIds.push('R-WP-117-4');
    if (d.start < ICB_REGULATIONS_IN_FORCE && d.nhsEnglandBed && d.endedOn !== undefined && d.endedOn >= ICB_REGULATIONS_IN_FORCE) {
      ruleIds.push('R-WP-117-5');
      core = coreResponsibility(h, d.endedOn);
      reasons.push(
        `The detention arranged by NHS England began before and ended after 1 July 2022, so the aftercare ICB is the one with core responsibility on discharge: ${core.reason} (reg 7(4)).`,
      );
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
  ruleIds.push(...core.ruleIds);
  items.push(...core.review);

  if (d !== opener) {
    ruleIds.push('R-WP-117-3');
    reasons.push(
      `The later detention of ${formatLongDate(d.start)} began before the person was discharged from aftercare, inside the exclusion period, so it does not move the ICB: moving home or changing GP does not either.`,
    );
    if (d.nhsEnglandBed && d.start >= ICB_REGULATIONS_IN_FORCE) {
      const literal = coreResponsibility(h, d.start);
      if (literal.icb !== core.icb) {
        items.push(
          review(
            'NHSE-DETENTION-IN-EXCLUSION-PERIOD',
            `The detention of ${formatLongDate(d.start)} was arranged by NHS England; read alone, reg 7(5) would give ${literal.icb ?? 'an unknown ICB'}. The engine kept the originating ICB, as NHS England's note on the Worcestershire decision describes.`,
            ['R-WP-117-5', 'R-WP-117-3'],
          ),
        );
      }
    }
  }
  if ([...d.sections].some((s) => s.section.startsWith('47') || s.section.startsWith('48'))) {
    items.push(
      review(
        'PRISONER-TRANSFER-ICB',
        "The person was transferred from prison (s47 or s48). NHS England commissions prisoners' health care, and how an ICB's core responsibility is fixed for them is unsettled; the engine used the last GP registration or usual residence before the detention.",
        ['R-WP-GEN-7', 'R-WP-117-7'],
      ),
    );
  }
  const decision: BodyDecision = {
    body: core.icb,
    kind: core.icb === null ? 'undetermined' : 'english-icb',
    ruleIds: unique(ruleIds),
    reasons,
    review: items,
  };
  if (since !== undefined) decision.since = since;
  return decision;
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
    ruleIds: ['R-WP-117-6', 'R-LA-1'],
    reasons: [`Under s117(3)(c) the health body is the one for the area the person was sent to on discharge: ${placeName(dest)}.`],
    review: items,
  };
}
