/**
 * Where the person was (ordinarily) resident immediately before a detention, judged on the facts:
 * detention in hospital is never residence; involuntary residence does not create it; a best-interests
 * decision supplies the voluntary element for a person who lacks capacity; a placement by another
 * authority does not keep the person resident in the placing area (Worcestershire), unless the
 * MHA 2025 s46 deeming has commenced for the detention.
 */
import { addDays, formatLongDate, type LocalDate } from '../dates.ts';
import type { Area, OrgCode, ResidenceEvent } from '../facts.ts';
import type { ReviewItem } from '../determination.ts';
import type { History } from './history.ts';

export type ResidenceTest = 'resident' | 'ordinary';

export interface ResidenceFinding {
  /** The area of (ordinary) residence; null when the facts hold no place the law can use. */
  area: Area | null;
  residence: ResidenceEvent | null;
  ruleIds: string[];
  reasons: string[];
  review: ReviewItem[];
  /** Set when MHA 2025 s46 deeming decided the answer instead of the place itself. */
  deemedFrom?: ResidenceEvent;
}

export interface ResidenceOptions {
  test: ResidenceTest;
  /** Apply the MHA 2025 s117(3A) deeming (commenced, for this detention). */
  s46Deeming: boolean;
}

const INVOLUNTARY_BASIS: Record<string, string> = {
  'condition-of-discharge': 'as a condition of discharge',
  'secure-accommodation-order': 'under a secure accommodation order',
  'court-order': 'under a court order',
};

/** Care Act specified accommodation (Care Act 2014 s39, SI 2014/2828) for the s46 deeming. */
const SPECIFIED_ACCOMMODATION = new Set(['care-home', 'nursing-home', 'supported-living', 'shared-lives']);

const describeSetting = (r: ResidenceEvent): string =>
  ({
    'own-home': 'their own home',
    'family-home': 'the family home',
    'care-home': 'a care home',
    'nursing-home': 'a nursing home',
    'supported-living': 'supported living',
    'shared-lives': 'a shared lives placement',
    hostel: 'a hostel',
    'hospital-informal': 'hospital as an informal (voluntary) patient',
    prison: 'prison',
    'no-fixed-abode': 'no fixed abode',
    'student-accommodation': 'student accommodation',
    other: 'accommodation',
  })[r.setting];

export const placeName = (a: Area | null | undefined): string => a?.la ?? a?.icb ?? (a ? `an area in ${a.country}` : 'an unknown area');

const review = (code: string, message: string, ruleIds: string[]): ReviewItem => ({ code, message, ruleIds });

/** The residence that decides s117(3) for a detention beginning on `before`. */
export function residenceBefore(h: History, before: LocalDate, options: ResidenceOptions): ResidenceFinding {
  let last = -1;
  for (let i = 0; i < h.residences.length; i++) if ((h.residences[i] as ResidenceEvent).from <= before) last = i;
  const prison = h.imprisonments.find((p) => p.from <= before && (p.to === undefined || p.to >= before));
  return walk(h, last, before, options, prison?.from, 0);
}

function walk(
  h: History,
  startIndex: number,
  before: LocalDate,
  options: ResidenceOptions,
  prisonFrom: LocalDate | undefined,
  depth: number,
): ResidenceFinding {
  const ruleIds: string[] = [options.test === 'ordinary' ? 'R-LA-6' : 'R-LA-3'];
  const reasons: string[] = [];
  const items: ReviewItem[] = [];
  const capacity = h.facts.person?.capacityToDecideResidence;
  const skipped: string[] = [];

  if (prisonFrom !== undefined) {
    items.push(
      review(
        'PRISON-BEFORE-DETENTION',
        `The person was in prison immediately before the detention of ${formatLongDate(before)}. Prison is not residence chosen by the person, so the engine used the last place they lived before prison; whether they kept their residence there is for the authorities to decide.`,
        ['R-LA-6', 'R-LA-10'],
      ),
    );
  }

  for (let i = startIndex; i >= 0; i--) {
    const r = h.residences[i] as ResidenceEvent;
    if (prisonFrom !== undefined && r.from >= prisonFrom) {
      skipped.push(`${describeSetting(r)} in ${placeName(r.area)} from ${formatLongDate(r.from)} (while in prison)`);
      continue;
    }
    const whileDetained = h.detentions.find((d) => r.from > d.start && (d.endedOn === undefined || r.from < d.endedOn));
    if (whileDetained) {
      if (!ruleIds.includes('R-LA-15')) ruleIds.push('R-LA-15');
      skipped.push(
        `${describeSetting(r)} in ${placeName(r.area)}, recorded from ${formatLongDate(r.from)} while the person was detained (detention in hospital is never residence)`,
      );
      continue;
    }
    const involuntary = INVOLUNTARY_BASIS[r.basis] ?? (r.setting === 'prison' ? 'in prison' : undefined);
    if (involuntary !== undefined) {
      skipped.push(
        `${describeSetting(r)} in ${placeName(r.area)} from ${formatLongDate(r.from)}, lived in ${involuntary} (residence that is not voluntarily adopted does not make a person ordinarily resident)`,
      );
      continue;
    }

    // s46 deeming (R-LA-16): accommodation arranged under s117, the Care Act, the NHS or (under 18) the Children Act.
    if (options.s46Deeming && r.arrangedBy !== undefined && depth < 8) {
      const under = r.arrangedBy.under;
      const underEighteen = isUnder18(h, r.from);
      const deemed =
        under === 'mha-s117' ||
        under === 'nhs-continuing-healthcare' ||
        (under === 'care-act-2014' && SPECIFIED_ACCOMMODATION.has(r.setting)) ||
        (under === 'children-act-1989' && underEighteen === true);
      if (deemed) {
        const prior = walk(h, i - 1, r.from, options, undefined, depth + 1);
        const body: OrgCode = r.arrangedBy.body;
        const area: Area | null =
          under === 'mha-s117'
            ? prior.area?.la === body
              ? prior.area
              : { country: prior.area?.country ?? 'england', la: body }
            : prior.area;
        return {
          area,
          residence: r,
          deemedFrom: r,
          ruleIds: unique([...ruleIds, 'R-LA-16', ...prior.ruleIds]),
          reasons: [
            ...skippedReasons(skipped),
            under === 'mha-s117'
              ? `From ${formatLongDate(r.from)} the person lived in ${describeSetting(r)} in ${placeName(r.area)} provided by ${body} as s117 aftercare; under the Mental Health Act 2025 s117(3A) they are treated as ordinarily resident in the area of ${body}, the authority that provided it.`
              : `From ${formatLongDate(r.from)} the person lived in ${describeSetting(r)} in ${placeName(r.area)} arranged by ${body}; under the Mental Health Act 2025 s117(3A) that placement is disregarded and they are treated as ordinarily resident where they were before it.`,
            ...(under === 'mha-s117' ? [] : prior.reasons),
          ],
          review: [
            ...items,
            ...prior.review,
            review(
              'MHA2025-S46-DEEMING',
              `The Mental Health Act 2025 s46 deeming decided this authority. Its transitional provisions are not yet known and practitioners question whether the drafting achieves this for s117; confirm before relying on it.`,
              ['R-LA-16'],
            ),
          ],
        };
      }
      if (under === 'children-act-1989' && underEighteen === undefined) {
        items.push(
          review(
            'DATE-OF-BIRTH-MISSING',
            'A Children Act placement may be disregarded under s117(3A) if the person was under 18, but their date of birth is not recorded.',
            ['R-LA-16'],
          ),
        );
      }
    }

    ruleIds.push(options.test === 'ordinary' ? 'R-LA-1' : 'R-LA-3');
    reasons.push(...skippedReasons(skipped));
    const test = options.test === 'ordinary' ? 'ordinarily resident' : 'resident';
    reasons.push(
      `Immediately before the detention that began on ${formatLongDate(before)} the person was ${test} in ${placeName(r.area)}, living in ${describeSetting(r)} from ${formatLongDate(r.from)}.`,
    );

    if (r.setting === 'hospital-informal') {
      if (!ruleIds.includes('R-LA-15')) ruleIds.push('R-LA-15');
      reasons.push('A voluntary stay in hospital, unlike detention, can be where a person is resident (Sunderland v South Tyneside).');
      if (options.test === 'ordinary') {
        items.push(
          review(
            'VOLUNTARY-INPATIENT-RESIDENCE',
            'The person lived in hospital as an informal patient before being detained. The courts have treated a voluntary stay as residence under the old "resident" test; whether it makes a person ordinarily resident is for the authorities to confirm.',
            ['R-LA-15', 'R-LA-6'],
          ),
        );
      }
    }
    if (r.setting === 'no-fixed-abode') {
      items.push(
        review(
          'NO-SETTLED-RESIDENCE',
          `The person had no fixed abode before the detention. Whether they were ordinarily resident anywhere is a question of fact; the engine named ${placeName(r.area)}, where they were living.`,
          ['R-LA-1', 'R-LA-6'],
        ),
      );
    }
    if (r.basis === 'best-interests-decision') {
      ruleIds.push('R-LA-7');
      reasons.push(
        capacity === true
          ? 'The place was chosen by a best-interests decision, although the person is recorded as having capacity to decide where to live.'
          : 'The person lacked capacity to decide where to live; a best-interests decision to live there supplies the voluntary and settled element.',
      );
      if (capacity === true) {
        items.push(
          review(
            'CAPACITY-AND-BASIS-DISAGREE',
            'The residence was chosen by a best-interests decision but the person is recorded as having capacity to decide where to live; check the capacity record.',
            ['R-LA-7', 'R-LA-14'],
          ),
        );
      }
    } else if (r.basis === 'own-choice' && capacity === false) {
      ruleIds.push('R-LA-7');
      items.push(
        review(
          'CAPACITY-AND-BASIS-DISAGREE',
          'The person is recorded as lacking capacity to decide where to live, yet the residence is recorded as their own choice; the voluntary element should come from a best-interests decision. Check how the place was chosen.',
          ['R-LA-7', 'R-LA-14'],
        ),
      );
    } else if (r.basis === 'unknown') {
      items.push(
        review(
          'RESIDENCE-BASIS-UNKNOWN',
          `How the person came to live in ${placeName(r.area)} from ${formatLongDate(r.from)} is not recorded, so the voluntary and settled element of ordinary residence could not be checked.`,
          ['R-LA-6'],
        ),
      );
    }
    if (r.arrangedBy !== undefined && r.arrangedBy.body !== r.area.la) {
      const by = r.arrangedBy.body;
      if (r.arrangedBy.under === 'mha-s117') {
        ruleIds.push('R-LA-8');
        reasons.push(
          `${by} arranged the place as s117 aftercare, but an out-of-area s117 placement does not keep the person ordinarily resident in the placing area (Worcestershire [2023] UKSC 31).`,
        );
      } else {
        ruleIds.push('R-LA-4');
        reasons.push(
          `${by} arranged the place, but deeming under other Acts does not decide residence for s117; the person lived in ${placeName(r.area)}.`,
        );
      }
    }
    return { area: r.area, residence: r, ruleIds: unique(ruleIds), reasons, review: items };
  }

  reasons.push(...skippedReasons(skipped));
  reasons.push(`No place where the person lived before ${formatLongDate(before)} is recorded that can decide residence.`);
  return {
    area: null,
    residence: null,
    ruleIds: unique([...ruleIds, 'R-LA-1']),
    reasons,
    review: [
      ...items,
      review(
        'RESIDENCE-BEFORE-DETENTION-MISSING',
        `Where the person lived before the detention of ${formatLongDate(before)} is not recorded; the local authority cannot be determined without it.`,
        ['R-LA-1'],
      ),
    ],
  };
}

function skippedReasons(skipped: string[]): string[] {
  return skipped.length === 0 ? [] : [`Not counted as residence: ${skipped.join('; ')}.`];
}

function isUnder18(h: History, on: LocalDate): boolean | undefined {
  const dob = h.facts.person?.dateOfBirth;
  if (dob === undefined) return undefined;
  const eighteenth = `${String(Number(dob.slice(0, 4)) + 18).padStart(4, '0')}${dob.slice(4)}`;
  return on < (eighteenth.endsWith('02-29') ? addDays(eighteenth.slice(0, 8) + '28', 1) : eighteenth);
}

export function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** The first place the person lived on or after leaving hospital: s117(3)(c) "the area to which they are sent on discharge". */
export function residenceOnDischarge(h: History, left: LocalDate | undefined): ResidenceEvent | undefined {
  if (left === undefined) return undefined;
  return h.residences.find((r) => r.from >= left);
}
