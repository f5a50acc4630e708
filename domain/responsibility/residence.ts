/**
 * Where the person was (ordinarily) resident immediately before a detention, judged on the facts:
 * detention in hospital is never residence; involuntary residence does not create it; a best-interests
 * decision supplies the voluntary element for a person who lacks capacity; a placement by another
 * authority does not keep the person resident in the placing area (Worcestershire), unless the
 * MHA 2025 s46 deeming has commenced for the detention.
 */
import { addDays, formatLongDate, type LocalDate } from '../dates.ts';
import type { Area, OrgCode, ResidenceEvent } from '../facts.ts';
import type { Candidate, ReviewItem } from '../determination.ts';
import { ask, type History } from './history.ts';

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
  /** Where a person must decide between areas (R-OR-2 to R-OR-7, R-CHILD-2 to R-CHILD-5): the candidates; no area is given. */
  candidates?: Candidate[];
  /** Set when the area given is provisional (R-HUMAN-1), for a person to confirm against `candidates`. */
  provisional?: boolean;
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

const sameArea = (a: Area | null | undefined, b: Area | null | undefined): boolean =>
  (a?.country ?? null) === (b?.country ?? null) && (a?.la ?? null) === (b?.la ?? null);
/** The area behind each council candidate, so the NHS side can follow the same question (s117(3)(a)/(b)/(c)). */
const CANDIDATE_AREAS = new WeakMap<Candidate, Area | null>();
export const candidateArea = (c: Candidate): Area | null | undefined => CANDIDATE_AREAS.get(c);

const laCandidate = (a: Area | null, answer: string, ruleIds: string[]): Candidate => {
  const c: Candidate = {
    answer,
    body: a?.la ?? null,
    kind:
      a === null
        ? 'undetermined'
        : a.country === 'england'
          ? 'english-la'
          : a.country === 'wales'
            ? 'welsh-la'
            : 'outside-england-and-wales',
    ruleIds,
  };
  CANDIDATE_AREAS.set(c, a);
  return c;
};

/** A finding that names no area: a person decides between the candidates. */
function toPerson(base: ResidenceFinding, item: ReviewItem, candidates: Candidate[], ruleIds: string[]): ResidenceFinding {
  return {
    ...base,
    area: null,
    candidates,
    ruleIds: unique([...base.ruleIds, ...ruleIds]),
    reasons: [
      // The walk's finding is only one candidate now: say where the person lived, not that they were ordinarily resident there.
      ...base.reasons.map((r) =>
        r.replace(/the person was (?:ordinarily )?resident in (.+?), living in /u, 'the person was living in $1, in '),
      ),
      `A person must decide where the person was ordinarily resident: ${candidates.map((c) => c.answer).join('; or ')}.`,
    ],
    review: [...base.review, item],
  };
}

/** The residence that decides s117(3) for a detention beginning on `before`, with the R-OR and R-CHILD checks. */
export function residenceBefore(h: History, before: LocalDate, options: ResidenceOptions): ResidenceFinding {
  // R-OR-4: a move recorded on the day of the detention, with the order stated, is placed on its side of it.
  const usable = h.residences.filter((r) => !(r.from === before && r.sameDayAsDetention === 'moved-after-detention'));
  const view: History = usable.length === h.residences.length ? h : { ...h, residences: usable };
  const finding = plainResidenceBefore(view, before, options);
  const r = finding.residence;
  if (r === null || finding.deemedFrom !== undefined) return finding;

  // R-OR-6: records from the same day that disagree, where the disagreement changes the answer.
  const sameDay = view.residences.filter((x) => x.from === r.from);
  if (sameDay.length > 1) {
    const alone = (x: ResidenceEvent): History => ({ ...view, residences: view.residences.filter((y) => y.from !== r.from || y === x) });
    const readings = sameDay.map((x) => plainResidenceBefore(alone(x), before, options));
    // Each record read with every check (R-OR-2 to R-OR-5, R-CHILD): records in one area can still disagree in effect.
    const full = sameDay.map((x) => residenceBefore(alone(x), before, options));
    const outcome = (f: ResidenceFinding): string =>
      f.candidates !== undefined && f.provisional !== true
        ? 'a person decides'
        : `${f.area?.country ?? ''}|${f.area?.la ?? ''}|${f.provisional === true ? 'provisional' : ''}`;
    if (readings.some((f) => !sameArea(f.area, finding.area)) || full.some((f) => outcome(f) !== outcome(full[0] as ResidenceFinding))) {
      // Every area any record can lead to, once: a record that itself leaves a question brings its own candidates.
      const candidates: Candidate[] = [];
      const add = (a: Area | null, answer: string, ruleIds: string[]): void => {
        if (!candidates.some((c) => sameArea(candidateArea(c), a))) candidates.push(laCandidate(a, answer, ruleIds));
      };
      readings.forEach((f, i) => {
        const record = `the ${describeSetting(sameDay[i] as ResidenceEvent)} record`;
        add(f.area, `${placeName(f.area)} (${record})`, ['R-OR-6', 'R-LA-1']);
        const own = full[i];
        if (own?.candidates === undefined)
          add(own?.area ?? null, `${placeName(own?.area)} (${record}, read with every check)`, unique(['R-OR-6', ...(own?.ruleIds ?? [])]));
        for (const c of own?.candidates ?? [])
          add(candidateArea(c) ?? null, `${c.answer}, reading ${record}`, unique(['R-OR-6', ...c.ruleIds]));
      });
      // R-OR-6: nothing from any one record may leak into the answer, or storage order would decide what is said.
      const neutral: ResidenceFinding = {
        ...finding,
        ruleIds: unique(readings.flatMap((f) => f.ruleIds)),
        reasons: [],
        review: readings
          .flatMap((f) => f.review)
          .filter((x, i, all) => all.findIndex((y) => y.code === x.code && y.message === x.message) === i),
      };
      return toPerson(
        neutral,
        ask(
          'CONTRADICTORY-RESIDENCES',
          `Which residence record from ${formatLongDate(r.from)} is right?`,
          `Two or more homes are recorded from ${formatLongDate(r.from)} (${candidates.map((c) => c.answer).join('; ')}), and they give different authorities. The engine does not choose between records.`,
          candidates,
          ['which record is right, and where the person actually lived immediately before the detention'],
          ['R-OR-6'],
        ),
        candidates,
        ['R-OR-6'],
      );
    }
    // The records agree in effect: say what any of them raises, so storage order never decides what is asked.
    const merged = fullMerge(full);
    return { ...merged, ruleIds: unique(full.flatMap((f) => f.ruleIds)) };
  }
  const previous = plainResidenceBefore({ ...view, residences: view.residences.filter((x) => x.from < r.from) }, r.from, options);
  const differs = previous.area !== null && !sameArea(previous.area, finding.area);

  // R-OR-4: a move dated the day of the detention, order not recorded.
  if (r.from === before && r.sameDayAsDetention === undefined && differs && h.detentions.some((d) => d.start === before)) {
    const candidates = [
      laCandidate(finding.area, `${placeName(finding.area)} (the move came before the detention)`, ['R-OR-4', 'R-OR-1']),
      laCandidate(previous.area, `${placeName(previous.area)} (the detention came first)`, ['R-OR-4']),
    ];
    return toPerson(
      finding,
      ask(
        'SAME-DAY-MOVE-AND-DETENTION',
        'Did the person move before or after they were detained that day?',
        `A move to ${placeName(r.area)} is recorded on ${formatLongDate(before)}, the day the detention began; the order is not recorded and the two places are in different areas.`,
        candidates,
        ['the time of the move and of the detention', 'whether the new place was adopted voluntarily for settled purposes'],
        ['R-OR-4'],
      ),
      candidates,
      ['R-OR-4'],
    );
  }

  // R-OR-2: a temporary stay with a kept home leaves ordinary residence at that home; unknown nature elsewhere goes to a person.
  const temporary = r.nature === 'temporary' || r.nature === 'holiday-or-visit' || r.nature === 'respite';
  if (temporary && r.homeKeptElsewhere === true && previous.area !== null) {
    return {
      ...previous,
      ruleIds: unique([...previous.ruleIds, 'R-OR-2']),
      reasons: [
        ...previous.reasons,
        `The ${(r.nature ?? '').replace(/-/g, ' ')} stay in ${placeName(r.area)} from ${formatLongDate(r.from)} did not move ordinary residence: the person kept their home and intended to return (Fox v Stirk; Shah).`,
      ],
    };
  }
  if (temporary && r.homeKeptElsewhere === true) {
    // R-OR-2 with R-HUMAN-1: the kept home decides, but it is not recorded; never fall back to the stay silently.
    const candidates = [
      laCandidate(finding.area, `${placeName(finding.area)} (where the person was staying)`, ['R-OR-1', 'R-OR-2']),
      laCandidate(null, 'the home the person kept and intended to return to (not recorded)', ['R-OR-2']),
    ];
    return toPerson(
      finding,
      ask(
        'KEPT-HOME-NOT-RECORDED',
        'Where was the home the person kept while staying away?',
        `From ${formatLongDate(r.from)} the person stayed in ${placeName(r.area)} (${(r.nature ?? '').replace(/-/g, ' ')}) and kept a home elsewhere, which is not recorded; a temporary absence leaves ordinary residence at the kept home.`,
        candidates,
        ['where the kept home was, and since when the person lived there'],
        ['R-OR-2'],
      ),
      candidates,
      ['R-OR-2'],
    );
  }
  if (((temporary && r.homeKeptElsewhere === undefined) || r.nature === 'unknown') && differs) {
    const candidates = [
      laCandidate(finding.area, `${placeName(finding.area)} (where the person was staying)`, ['R-OR-1', 'R-OR-2']),
      laCandidate(previous.area, `${placeName(previous.area)} (the last settled home)`, ['R-OR-2']),
    ];
    return toPerson(
      finding,
      ask(
        'STAY-OF-UNCERTAIN-NATURE',
        'Was the stay where the person had become ordinarily resident, or a temporary absence from a home they kept?',
        `From ${formatLongDate(r.from)} the person stayed in ${placeName(r.area)} (${r.nature === 'unknown' ? 'nature not known' : (r.nature ?? '').replace(/-/g, ' ')}), a different area from their last settled home.`,
        candidates,
        ['whether the person kept a home and intended to return to it', 'how long and for what purpose they stayed'],
        ['R-OR-2'],
      ),
      candidates,
      ['R-OR-2'],
    );
  }
  // R-OR-3: housing-authority temporary accommodation in another area from the last settled home.
  if (r.providedAs === 'homelessness-temporary-accommodation' && differs) {
    const candidates = [
      laCandidate(finding.area, `${placeName(finding.area)} (where the person ate and slept, Mohamed)`, ['R-OR-3']),
      laCandidate(previous.area, `${placeName(previous.area)} (the last settled home)`, ['R-OR-2', 'R-OR-3']),
    ];
    return toPerson(
      finding,
      ask(
        'TEMPORARY-ACCOMMODATION-ELSEWHERE',
        'Was the person ordinarily resident in the temporary accommodation?',
        `From ${formatLongDate(r.from)} the person lived in temporary accommodation provided under the homelessness legislation in ${placeName(r.area)}, a different area from their last settled home. There is no deeming for s117, so the placing district does not keep them.`,
        candidates,
        ['how settled the accommodation was', 'whether the person kept any other home'],
        ['R-OR-3'],
      ),
      candidates,
      ['R-OR-3'],
    );
  }
  // R-OR-5, R-IMM-3: an address required or provided by the Home Office needs a person's confirmation.
  if (r.providedAs === 'immigration-bail-address' || r.providedAs === 'home-office-accommodation') {
    const candidates = [
      laCandidate(finding.area, `${placeName(finding.area)} (the address was the person's ordinary residence)`, ['R-OR-1']),
      laCandidate(previous.area, `${placeName(previous.area)} (the last voluntarily adopted home)`, ['R-OR-5']),
    ];
    return {
      ...finding,
      ruleIds: unique([...finding.ruleIds, 'R-OR-5']),
      candidates,
      provisional: true,
      review: [
        ...finding.review,
        ask(
          'RESIDENCE-MAY-BE-INVOLUNTARY',
          'Was the residence adopted voluntarily?',
          `The person lived in ${placeName(r.area)} at an address ${r.providedAs === 'immigration-bail-address' ? 'required by an immigration bail condition' : 'provided by the Home Office'}; such an address may not be voluntarily adopted. The engine's provisional answer is ${placeName(r.area)}.`,
          candidates,
          ['the bail conditions or support arrangements', 'whether the person chose the area'],
          ['R-OR-5'],
        ),
      ],
    };
  }
  return children(h, before, finding, previous, options);
}

/** R-CHILD-2 to R-CHILD-5: a child's or care leaver's ordinary residence. */
function children(
  h: History,
  before: LocalDate,
  finding: ResidenceFinding,
  previous: ResidenceFinding,
  options: ResidenceOptions,
): ResidenceFinding {
  const r = finding.residence;
  if (r === null || options.s46Deeming) return finding;
  let status: import('../facts.ts').ChildStatusEvent | undefined;
  for (const c of h.childStatuses) if (c.from <= before) status = c;
  const under18 = isUnder18(h, before) === true;
  const placedByChildrenAct = r.arrangedBy?.under === 'children-act-1989' && r.arrangedBy.body !== r.area.la;
  const lookedAfter = status?.status === 'care-order' || status?.status === 's20-accommodated';
  if (status?.status === 'living-with-parents') return { ...finding, ruleIds: unique([...finding.ruleIds, 'R-CHILD-2']) };
  if (status?.status === 'parents-living-apart' || status?.status === 'informal-arrangement') {
    const candidates = [
      laCandidate(finding.area, `${placeName(finding.area)} (the home recorded last)`, ['R-CHILD-2']),
      laCandidate(previous.area, `${placeName(previous.area)} (the other home)`, ['R-CHILD-2']),
    ];
    if (sameArea(finding.area, previous.area) || previous.area === null)
      return { ...finding, ruleIds: unique([...finding.ruleIds, 'R-CHILD-2']) };
    return toPerson(
      finding,
      ask(
        'CHILD-BETWEEN-HOMES',
        'Where was the child ordinarily resident immediately before the detention?',
        `The child ${status.status === 'parents-living-apart' ? 'divided time between parents living apart' : 'lived with neither parent under informal arrangements'}; a child's ordinary residence normally follows the parent with parental responsibility they live with.`,
        candidates,
        ['who holds parental responsibility', 'where the child mainly lived and slept'],
        ['R-CHILD-2'],
      ),
      candidates,
      ['R-CHILD-2'],
    );
  }
  if ((lookedAfter || (status === undefined && under18 && placedByChildrenAct)) && (under18 || lookedAfter)) {
    const placing = status?.authority ?? r.arrangedBy?.body;
    if (placing === undefined || placing === r.area.la) return { ...finding, ruleIds: unique([...finding.ruleIds, 'R-CHILD-3']) };
    const candidates: Candidate[] = [
      laCandidate(
        finding.area,
        `${placeName(finding.area)} (where the child was placed: the state of mind of whoever decides where the child lives, Worcestershire)`,
        ['R-CHILD-3', 'R-LA-8'],
      ),
      {
        answer: `${placing} (the authority that looked after the child: a place chosen to perform its duties, Cornwall)`,
        body: placing,
        kind: 'english-la',
        ruleIds: ['R-CHILD-3', 'R-LA-13'],
      },
    ];
    if (
      status?.status === 's20-accommodated' &&
      previous.area !== null &&
      previous.area.la !== placing &&
      !sameArea(previous.area, finding.area)
    )
      candidates.push(
        laCandidate(previous.area, `${placeName(previous.area)} (the parents' home: they keep parental responsibility under s20)`, [
          'R-CHILD-3',
          'R-CHILD-2',
        ]),
      );
    return toPerson(
      finding,
      ask(
        'LOOKED-AFTER-CHILD-PLACED-OUT-OF-AREA',
        'Where was the looked-after child ordinarily resident immediately before the detention?',
        `The child was looked after by ${placing}${status?.status === 's20-accommodated' ? ' (accommodated under s20)' : status?.status === 'care-order' ? ' (under a care order)' : ' (placed under the Children Act 1989)'} and placed in ${placeName(r.area)}. Children Act s105(6) does not apply to s117 until the Mental Health Act 2025 s46 commences, and the courts have not decided where such a child is ordinarily resident.`,
        candidates,
        ['who holds parental responsibility', 'how and by whom the placement was chosen', "the child's own wishes and capacity"],
        ['R-CHILD-3'],
      ),
      candidates,
      ['R-CHILD-3'],
    );
  }
  if (status?.status === 'care-leaver') {
    const authority = status.authority;
    if (status.chosenByYoungPerson === true || authority === undefined || authority === r.area.la)
      return {
        ...finding,
        ruleIds: unique([...finding.ruleIds, 'R-CHILD-5']),
        reasons: [
          ...finding.reasons,
          'A care leaver who chose and settled in accommodation is ordinarily resident there; the leaving-care authority does not by that become the s117 authority.',
        ],
      };
    const candidates = [
      laCandidate(finding.area, `${placeName(finding.area)} (where the young person lived)`, ['R-CHILD-5']),
      {
        answer: `${authority} (the leaving-care authority that chose the place)`,
        body: authority,
        kind: 'english-la' as const,
        ruleIds: ['R-CHILD-5', 'R-CHILD-3'],
      },
    ];
    return toPerson(
      finding,
      ask(
        'CARE-LEAVER-PLACED',
        'Was the care leaver ordinarily resident where the leaving-care authority placed them?',
        `The young person is a care leaver of ${authority}, living in ${placeName(r.area)} in accommodation not recorded as their own choice.`,
        candidates,
        ['whether the young person chose the accommodation, and their capacity to decide where to live'],
        ['R-CHILD-5'],
      ),
      candidates,
      ['R-CHILD-5'],
    );
  }
  return finding;
}

function plainResidenceBefore(h: History, before: LocalDate, options: ResidenceOptions): ResidenceFinding {
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

/** Same-day readings that agree: the first (canonical) reading, with every reading's review items once. */
function fullMerge(full: ResidenceFinding[]): ResidenceFinding {
  const first = full[0] as ResidenceFinding;
  const review = full
    .flatMap((f) => f.review)
    .filter((x, i, all) => all.findIndex((y) => y.code === x.code && y.message === x.message) === i);
  return { ...first, review };
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
