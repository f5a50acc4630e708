/**
 * The local authority responsible for s117 aftercare: where the person was ordinarily resident
 * immediately before the latest qualifying detention (s117(3), Worcestershire [2023] UKSC 31).
 */
import { formatLongDate, type LocalDate } from '../dates.ts';
import type { BodyKind, Candidate, ReviewItem } from '../determination.ts';
import type { Area } from '../facts.ts';
import type { RuleConfig } from '../rules/config.ts';
import { ask, type DutyEpisode, type History } from './history.ts';
import type { BodyDecision } from './icb.ts';
import { placeName, residenceBefore, residenceOnDischarge, unique, type ResidenceFinding, type ResidenceTest } from './residence.ts';

export const CARE_ACT_AMENDMENT_IN_FORCE: LocalDate = '2015-04-01';
export const WORCESTERSHIRE_COURT_OF_APPEAL: LocalDate = '2021-12-22';
export const WORCESTERSHIRE_SUPREME_COURT: LocalDate = '2023-08-10';

const review = (code: string, message: string, ruleIds: string[]): ReviewItem => ({ code, message, ruleIds });

export interface LocalAuthorityDecision extends BodyDecision {
  finding: ResidenceFinding;
}

/** The residence finding that decides the authority for a duty episode, with its date-sensitive checks. */
export function findResidence(h: History, episode: DutyEpisode, config: RuleConfig): ResidenceFinding {
  const d = episode.detention;
  const test: ResidenceTest = d.start < CARE_ACT_AMENDMENT_IN_FORCE ? 'resident' : 'ordinary';
  const commenced = config.mha2025S46CommencementDate;
  const s46Deeming = commenced !== null && d.start >= commenced;
  let finding = residenceBefore(h, d.start, { test, s46Deeming });
  const extra: ReviewItem[] = [];

  if (s46Deeming && finding.deemedFrom !== undefined) {
    const undeemed = residenceBefore(h, d.start, { test, s46Deeming: false });
    if (undeemed.area?.la === finding.area?.la)
      finding = { ...finding, review: finding.review.filter((r) => r.code !== 'MHA2025-S46-DEEMING') };
  }
  if (test === 'resident' && h.evaluationDate >= CARE_ACT_AMENDMENT_IN_FORCE) {
    const modern = residenceBefore(h, d.start, { test: 'ordinary', s46Deeming });
    if (modern.area?.la !== finding.area?.la) {
      extra.push(
        review(
          'RESIDENT-OR-ORDINARILY-RESIDENT',
          `The detention began before 1 April 2015, when the test was where the person was "resident" (${placeName(finding.area)}); the amended "ordinarily resident" test would give ${placeName(modern.area)}. Which applies to this duty should be confirmed.`,
          ['R-LA-3', 'R-LA-1'],
        ),
      );
    }
  }
  return extra.length === 0 ? finding : { ...finding, review: [...finding.review, ...extra] };
}

/** Decides the local authority for the duty episode from the residence finding. */
export function decideLocalAuthority(h: History, episode: DutyEpisode, finding: ResidenceFinding, config: RuleConfig): BodyDecision {
  const d = episode.detention;
  const reasons = [...finding.reasons];
  const ruleIds = [...finding.ruleIds];
  const items = [...finding.review];
  const previous = previousEpisode(h, episode);
  if (previous) {
    ruleIds.push('R-LA-5');
    const before = findResidence(h, previous, config).area;
    reasons.unshift(
      `The duty of ${placeName(before)} ended automatically when the person was detained again under section ${d.qualifying?.section ?? ''} on ${formatLongDate(d.qualifying?.from ?? d.start)}; a new duty follows where they were ordinarily resident immediately before that detention.`,
    );
    if (
      h.evaluationDate >= WORCESTERSHIRE_COURT_OF_APPEAL &&
      h.evaluationDate < WORCESTERSHIRE_SUPREME_COURT &&
      before?.la !== finding.area?.la
    ) {
      items.push(
        review(
          'WORCESTERSHIRE-COURT-OF-APPEAL',
          `On ${formatLongDate(h.evaluationDate)} the Court of Appeal's judgment ([2021] EWCA Civ 1957) held that the first authority's duty continued after a fresh detention (${placeName(before)}); the Supreme Court reversed it on 10 August 2023. The engine applies the Supreme Court's reading.`,
          ['R-LA-5'],
        ),
      );
    }
  }

  // R-CTO-3: a CTO revocation or a recall from conditional discharge; the council is contested only where the areas differ.
  let recallCandidates: Candidate[] | undefined;
  for (const r of h.recalls) {
    if (!r.revoked || episode.arose === undefined || r.date < episode.arose) continue;
    const test: ResidenceTest = d.start < CARE_ACT_AMENDMENT_IN_FORCE ? 'resident' : 'ordinary';
    const atRecall = residenceBefore(h, r.date, { test, s46Deeming: false });
    const how = r.from === 'cto' ? 'the community treatment order was revoked' : 'the person was recalled from conditional discharge';
    if (atRecall.area?.la === finding.area?.la && atRecall.area?.country === finding.area?.country) {
      ruleIds.push('R-CTO-3');
      reasons.push(
        `On ${formatLongDate(r.date)} ${how}; whichever reading applies, the authority is the same (${placeName(finding.area)}).`,
      );
      continue;
    }
    ruleIds.push('R-CTO-3');
    const candidates: Candidate[] = [
      {
        answer: `${placeName(finding.area)} (the existing duty continues: residence before the original detention)`,
        body: finding.area?.la ?? null,
        kind: councilKind(finding.area),
        ruleIds: ['R-CTO-3', 'R-LA-1'],
      },
      {
        answer: `${placeName(atRecall.area)} (a new duty: residence immediately before the recall)`,
        body: atRecall.area?.la ?? null,
        kind: councilKind(atRecall.area),
        ruleIds: ['R-CTO-3', 'R-LA-5'],
      },
    ];
    items.push(
      ask(
        'RECALL-COUNCIL-CONTESTED',
        "Did the recall end the council's duty, and if so where was the person ordinarily resident immediately before it?",
        `On ${formatLongDate(r.date)} ${how}. Whether that is a fresh detention ending the council's duty after Worcestershire, and where ordinary residence is then taken, is unsettled; the candidate areas differ. The engine's provisional answer keeps the existing duty (${placeName(finding.area)}).`,
        candidates,
        [
          'whether the residence before the recall was required by a CTO or discharge condition',
          "the person's capacity and choice of that residence",
        ],
        ['R-CTO-3'],
      ),
    );
    recallCandidates = candidates;
    if (candidates.every((c) => c.body !== null)) {
      reasons.push(`On ${formatLongDate(r.date)} ${how}; the authority is provisional until a person decides.`);
    }
  }

  const area = finding.area;
  let decision: BodyDecision;
  if (area === null) {
    decision = { body: null, kind: 'undetermined', ruleIds, reasons, review: items };
  } else if (area.country === 'england' || area.country === 'wales') {
    const welsh = area.country === 'wales';
    if (welsh)
      reasons.push('The person was ordinarily resident in Wales, so the Welsh local authority for that area owes the duty (s117(3)(b)).');
    if (area.la === undefined)
      items.push(review('LOCAL-AUTHORITY-CODE-MISSING', 'The area of residence is recorded without its local authority code.', ['R-LA-1']));
    decision = {
      body: area.la ?? null,
      kind: area.la === undefined ? 'undetermined' : welsh ? 'welsh-la' : 'english-la',
      ruleIds,
      reasons,
      review: items,
    };
  } else {
    const dest = residenceOnDischarge(h, d.leftHospitalOn)?.area;
    items.push(
      review(
        'CROSS-BORDER-RESIDENCE',
        `The person was resident in ${area.country} before detention. Under s117(3)(c) the authority is the one where they are resident or to which they are sent on discharge; cross-border arrangements should be confirmed.`,
        ['R-LA-1', 'R-DISP-LA-10'],
      ),
    );
    if (dest === undefined) {
      reasons.push('Where the person will live on discharge is not yet recorded, so the s117(3)(c) authority cannot be named.');
      decision = { body: null, kind: 'undetermined', ruleIds, reasons, review: items };
    } else {
      reasons.push(`Under s117(3)(c) the authority is the one for the area the person was sent to on discharge: ${placeName(dest)}.`);
      const kind = dest.country === 'england' ? 'english-la' : dest.country === 'wales' ? 'welsh-la' : 'outside-england-and-wales';
      if (kind !== 'outside-england-and-wales') {
        // R-XB-3: sent on discharge to England or Wales, s117(3)(c) names that area's body; no question.
        const i = items.findIndex((x) => x.code === 'CROSS-BORDER-RESIDENCE');
        if (i >= 0) items.splice(i, 1);
        ruleIds.push('R-XB-3');
      }
      decision = { body: kind === 'outside-england-and-wales' ? null : (dest.la ?? null), kind, ruleIds, reasons, review: items };
    }
  }
  if (finding.candidates !== undefined && finding.provisional === true) {
    // R-HUMAN-1: a provisional answer is labelled as such, with the candidates a person chooses from.
    decision.candidates = finding.candidates;
    decision.provisional = true;
  } else if (finding.candidates !== undefined) {
    decision.body = null;
    decision.kind = 'undetermined';
    decision.candidates = finding.candidates;
  } else if (recallCandidates !== undefined && decision.body !== null) {
    // R-CTO-3: the existing duty is the provisional answer while a person decides whether the recall made a new one.
    decision.candidates = recallCandidates;
    decision.provisional = true;
  }
  decision.ruleIds = unique(decision.ruleIds);
  if (episode.arose !== undefined) decision.since = episode.arose;
  return decision;
}

/** The kind of council an area names; never labels a body as a kind it is not (issue 14, item 3). */
function councilKind(a: Area | null): BodyKind {
  if (a === null || a.la === undefined) return 'undetermined';
  return a.country === 'england' ? 'english-la' : a.country === 'wales' ? 'welsh-la' : 'outside-england-and-wales';
}

function previousEpisode(h: History, episode: DutyEpisode): DutyEpisode | undefined {
  const i = h.episodes.indexOf(episode);
  const prev = i > 0 ? h.episodes[i - 1] : undefined;
  return prev?.ended?.by === 're-detention' ? prev : undefined;
}
