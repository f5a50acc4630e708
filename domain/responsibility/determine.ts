/**
 * The responsibility engine: for one person's history, as the law stood on the evaluation date, is the
 * s117 duty owed, which ICB and which local authority owe it, and why. Pure: no clock, no environment.
 * @see ../shared/domain/rules.md
 */
import { formatLongDate, type LocalDate } from '../dates.ts';
import type { Determination, Eligibility, ResponsibleBody, ReviewItem } from '../determination.ts';
import type { CaseFacts } from '../facts.ts';
import { citationsFor } from '../rules/catalog.ts';
import { DEFAULT_RULE_CONFIG, type RuleConfig } from '../rules/config.ts';
import { ask, readHistory, type DutyEpisode, type History } from './history.ts';
import {
  decideIcb,
  ICB_REGULATIONS_IN_FORCE,
  SI_2016_293_IN_FORCE,
  STANDING_RULES_IN_FORCE,
  WHO_PAYS_2020_IN_FORCE,
  type BodyDecision,
} from './icb.ts';
import { CARE_ACT_AMENDMENT_IN_FORCE, decideLocalAuthority, findResidence, WORCESTERSHIRE_SUPREME_COURT } from './local-authority.ts';
import { unique } from './residence.ts';

const WHO_PAYS_V3: LocalDate = '2024-04-01';

/** Determines eligibility and the responsible ICB and local authority for one case. */
export function determine(facts: CaseFacts, config: RuleConfig = DEFAULT_RULE_CONFIG): Determination {
  const h = readHistory(facts, config);
  const { eligibility, episode } = judgeEligibility(h);
  const review: ReviewItem[] = [...h.review];
  let icb: BodyDecision;
  let la: BodyDecision;

  if (episode === null && eligibility.status === 'eligible') {
    const why = 'The qualifying detention is missing from the record, so the responsible body cannot be named until it is supplied.';
    icb = { body: null, kind: 'undetermined', ruleIds: ['R-CTO-4'], reasons: [why], review: [] };
    la = { body: null, kind: 'undetermined', ruleIds: ['R-CTO-4'], reasons: [why], review: [] };
  } else if (episode === null || eligibility.status === 'not-eligible' || eligibility.status === 'ended') {
    const why =
      eligibility.status === 'ended'
        ? 'The aftercare duty has ended, so no body owes it now.'
        : 'No aftercare duty is owed, so no body is responsible.';
    icb = { body: null, kind: 'none', ruleIds: [...eligibility.ruleIds], reasons: [why], review: [] };
    la = { body: null, kind: 'none', ruleIds: [...eligibility.ruleIds], reasons: [why], review: [] };
  } else {
    const finding = findResidence(h, episode, config);
    la = decideLocalAuthority(h, episode, finding, config);
    icb = decideIcb(h, episode, finding);
  }
  review.push(...la.review, ...icb.review);

  const needsHumanReview = dedupeReview(review);
  const explanation = [...eligibility.reasons];
  if (icb.kind !== 'none') for (const r of icb.reasons) explanation.push(`ICB: ${r}`);
  if (la.kind !== 'none') for (const r of la.reasons) explanation.push(`Local authority: ${r}`);
  if (icb.kind === 'none' && la.kind === 'none' && la.reasons[0] !== undefined) explanation.push(la.reasons[0]);
  explanation.push(...h.notes);
  const ruleIds = new Set([...eligibility.ruleIds, ...icb.ruleIds, ...la.ruleIds]);
  for (const r of needsHumanReview) {
    explanation.push(`A person must decide: ${r.message}`);
    for (const id of r.ruleIds) ruleIds.add(id);
  }
  const determination: Determination = {
    caseId: facts.id,
    evaluationDate: facts.evaluationDate,
    ruleSet: ruleSetName(facts.evaluationDate, config),
    eligibility,
    icb: toResponsibleBody(icb),
    localAuthority: toResponsibleBody(la),
    needsHumanReview,
    explanation,
    ruleIds: [...ruleIds],
  };
  if (icb.commissioner) determination.icb.commissioner = icb.commissioner;
  return determination;
}

function toResponsibleBody(d: BodyDecision): ResponsibleBody {
  const body: ResponsibleBody = { body: d.body, kind: d.kind, ruleIds: d.ruleIds, citations: citationsFor(d.ruleIds), reasons: d.reasons };
  if (d.candidates !== undefined) body.candidates = d.candidates;
  if (d.provisional !== undefined) body.provisional = d.provisional;
  if (d.since !== undefined) body.since = d.since;
  return body;
}

function dedupeReview(items: ReviewItem[]): ReviewItem[] {
  if (items.length < 2) return items;
  return items.filter((item, i) => items.findIndex((other) => other.code === item.code && other.message === item.message) === i);
}

/** Whether the duty is owed on the evaluation date, and the episode it belongs to. */
export function judgeEligibility(h: History): { eligibility: Eligibility; episode: DutyEpisode | null } {
  const episode = h.current;
  if (episode === null && h.missingDetention !== undefined) {
    // R-CTO-4: a CTO, recall or discharge presupposes a qualifying detention; the record is missing it.
    const m = h.missingDetention;
    h.review.push(
      ask(
        'QUALIFYING-DETENTION-MISSING',
        'What was the qualifying detention?',
        `The record shows ${m.what} on ${formatLongDate(m.date)} but no qualifying detention before it. A community treatment order or discharge presupposes one (s17A), so the person is eligible and the detention record is missing; the bodies cannot be named until it is supplied.`,
        [{ answer: 'eligible for section 117 aftercare: qualifying detention missing from the record', ruleIds: ['R-CTO-4', 'R-CTO-1'] }],
        [
          'the section of the detention (3 or an unrestricted 37)',
          'the date of the application or order',
          'where the person was ordinarily resident immediately before the detention',
          'the GP registration or usual residence when the application was made',
          'who commissioned the bed',
        ],
        ['R-CTO-4'],
      ),
    );
    return {
      episode: null,
      eligibility: {
        status: 'eligible',
        ruleIds: ['R-CTO-4', 'R-CTO-1'],
        reasons: [
          `The record shows ${m.what} on ${formatLongDate(m.date)}, which can exist only after a qualifying detention, so the person is eligible for section 117 aftercare; the qualifying detention is missing from the record.`,
        ],
      },
    };
  }
  if (episode === null) {
    const sections = [...new Set(h.detentions.flatMap((d) => d.sections.map((s) => s.section)))];
    return {
      episode: null,
      eligibility: {
        status: 'not-eligible',
        ruleIds: ['R-ELIG-1'],
        reasons: [
          sections.length === 0
            ? 'No detention under the Mental Health Act is recorded, so no section 117 aftercare duty arises.'
            : `The person has been detained only under section ${sections.join(', ')}, which does not give rise to section 117 aftercare; only sections 3, 37, 45A, 47 and 48 do.`,
        ],
      },
    };
  }
  const d = episode.detention;
  const q = d.qualifying ?? { section: d.sections[0]?.section ?? '3', from: d.start };
  const first = d.sections[0];
  const detained =
    first && first.section !== q.section && d.start !== q.from
      ? `The person was detained under section ${first.section} on ${formatLongDate(d.start)}, and under section ${q.section} from ${formatLongDate(q.from)}, a qualifying detention for section 117 aftercare.`
      : `The person was detained under section ${q.section} on ${formatLongDate(q.from)}, a qualifying detention for section 117 aftercare.`;
  const base = (e: Omit<Eligibility, 'qualifyingSection' | 'detentionFrom'>): Eligibility => ({
    ...e,
    qualifyingSection: q.section,
    detentionFrom: d.start,
  });

  if (episode.ended) {
    const ended = episode.ended;
    if (episode.arose === undefined) {
      const hadDuty = h.episodes.some((e) => e.arose !== undefined);
      return {
        episode,
        eligibility: base({
          status: hadDuty ? 'ended' : 'not-eligible',
          ruleIds: ['R-ELIG-1', 'R-ELIG-2'],
          reasons: [
            detained,
            `The person died on ${formatLongDate(ended.date)} before leaving hospital, so no aftercare duty arose from that detention.`,
          ],
        }),
      };
    }
    const how =
      ended.by === 'death'
        ? `The duty ended when the person died on ${formatLongDate(ended.date)}.`
        : `The duty ended lawfully on ${formatLongDate(ended.date)}: ${ended.ending?.reason ?? 'both bodies agreed'}.`;
    return {
      episode,
      eligibility: base({
        status: 'ended',
        ruleIds: ['R-ELIG-1', 'R-ELIG-2', 'R-END-1'],
        reasons: [detained, `Aftercare began when they left hospital on ${formatLongDate(episode.arose)}.`, how],
      }),
    };
  }

  if (episode.arose !== undefined) {
    const ruleIds = ['R-ELIG-1', 'R-ELIG-2'];
    if (episode.aroseAfterStay) ruleIds.push('R-ELIG-6');
    const left =
      d.leftInferred && !episode.aroseAfterStay
        ? `they ceased to be detained on ${formatLongDate(episode.arose)}`
        : `they had ceased to be detained and left hospital on ${formatLongDate(episode.arose)}`;
    const reasons = [detained, `The duty arose because ${left}.`];
    if (episode.aroseAfterStay)
      reasons.push(
        'Section 117(1) applies when the person ceases to be detained and then, whether or not immediately, leaves hospital: the stay in hospital after the qualifying detention, and any holding power or section 2 during it, did not cancel the entitlement.',
      );
    if (episode.reinstatedOn !== undefined) {
      ruleIds.push('R-END-8');
      reasons.push(
        `Aftercare was reinstated on ${formatLongDate(episode.reinstatedOn)} because the ending was premature: the same duty continues with the same bodies, with no new residence test.`,
      );
    }
    for (const ending of h.endings) {
      if (ending.lawful || ending.date < episode.arose) continue;
      ruleIds.push(...ending.ruleIds);
      reasons.push(`A decision to end aftercare on ${formatLongDate(ending.date)} did not end the duty: ${ending.reason}.`);
    }
    if (h.recalls.some((r) => !r.revoked && r.date <= h.evaluationDate && r.date >= (episode.arose ?? r.date))) ruleIds.push('R-CTO-2');
    if (h.ctoActiveNow) {
      ruleIds.push('R-ELIG-4');
      reasons.push('The person is on a community treatment order, and aftercare cannot end while they are.');
    }
    if (h.conditionallyDischargedNow) {
      ruleIds.push('R-ELIG-5');
      reasons.push('The person is conditionally discharged and remains entitled to aftercare.');
    }
    if (h.detainedNow && !h.detainedNow.qualifying && !h.detainedNow.recall) {
      ruleIds.push('R-LA-9');
      reasons.push(
        `The person is detained under section ${h.detainedNow.sections[0]?.section ?? ''} at present; that does not end aftercare.`,
      );
    } else if (h.inHospitalNow && !h.detainedNow) {
      ruleIds.push('R-LA-9');
      reasons.push('The person is in hospital as an informal patient; that does not end aftercare.');
    }
    return { episode, eligibility: base({ status: 'eligible', since: episode.arose, ruleIds: unique(ruleIds), reasons }) };
  }

  // A qualifying detention, and the person has not both ceased to be detained and left hospital.
  const ruleIds = ['R-ELIG-1', 'R-ELIG-2', 'R-PLAN-1'];
  const reasons = [detained];
  if (h.detainedNow)
    reasons.push(
      'They are still detained, so the aftercare duty has not yet arisen; planning starts now, and the bodies named below will owe it when they leave hospital.',
    );
  else
    reasons.push('Their detention has ended but they have not yet left hospital, so the duty has not yet arisen; it will when they leave.');
  if (h.movedHospitalOn !== undefined && !h.detainedNow) {
    ruleIds.push('R-ELIG-7');
    reasons.push(
      `On ${formatLongDate(h.movedHospitalOn)} they moved to another hospital as an in-patient, which is probably not leaving hospital.`,
    );
    h.review.push(
      ask(
        'MOVED-BETWEEN-HOSPITALS',
        'Did the person "leave hospital" when they moved to another hospital?',
        `The person moved from one hospital to another as an in-patient on ${formatLongDate(h.movedHospitalOn)}, with no later discharge to the community recorded. The engine treats aftercare as not yet owed.`,
        [
          { answer: 'not yet owed: a move between hospitals is not leaving hospital', ruleIds: ['R-ELIG-7'] },
          { answer: `owed from ${formatLongDate(h.movedHospitalOn)}`, ruleIds: ['R-ELIG-6'] },
        ],
        ['the nature of the second admission', 'any discharge to the community'],
        ['R-ELIG-7'],
      ),
    );
  }
  const leave = h.s17LeaveNow;
  if (leave !== undefined && h.s17LeaveFrom !== undefined) {
    const from = h.s17LeaveFrom;
    const community =
      leave === 'overnight' || leave === 'extended-community' || leave === 'trial-placement' || h.s17StagedDischarge === true;
    if (community) {
      // R-LEAVE-2: nights in the community (or a staged discharge): s117 likely applies; never "not yet".
      ruleIds.push('R-ELIG-3', 'R-LEAVE-2');
      const what =
        leave === 'trial-placement'
          ? 'section 17 leave to a trial placement'
          : leave === 'extended-community'
            ? 'extended section 17 leave in the community'
            : leave === 'overnight'
              ? 'overnight section 17 leave in the community'
              : 'section 17 leave that is a stage of their discharge, with services arranged in the community';
      reasons.push(
        `They have been on ${what} since ${formatLongDate(from)}. Aftercare is likely to apply to a person living in the community on leave, full-time or for part of the week (2024 statutory guidance, Annex B; R v Richmond LBC ex p Watson), so the engine treats it as owed from the start of that leave, for the bodies to confirm.`,
      );
      h.review.push(
        ask(
          'S17-LEAVE-IN-COMMUNITY',
          'Does section 117 aftercare apply during this leave, and from when?',
          `The person has been on ${what} since ${formatLongDate(from)}. Section 117 is likely to apply from the start of leave that involves living in the community; the bodies must confirm.`,
          [
            { answer: `owed from ${formatLongDate(from)}, the start of the leave`, ruleIds: ['R-LEAVE-2'] },
            { answer: 'not yet owed until the person is discharged', ruleIds: ['R-ELIG-2'] },
          ],
          [
            'how many nights a week the person lives in the community',
            'the services arranged for the leave',
            'the planned end of the leave',
          ],
          ['R-LEAVE-2'],
        ),
      );
      return { episode, eligibility: base({ status: 'eligible', since: from, ruleIds: unique(ruleIds), reasons }) };
    }
    const rule = leave === 'escorted-day' ? 'R-LEAVE-1' : 'R-LEAVE-3';
    ruleIds.push('R-ELIG-3', rule);
    reasons.push(
      leave === 'escorted-day'
        ? 'They are on escorted section 17 day leave in the custody of hospital staff, which does not start aftercare (R (CXF) v Central Bedfordshire).'
        : 'They are on unescorted section 17 day leave, returning to hospital the same day; they are not living in the community, so aftercare has not started.',
    );
  }
  return { episode, eligibility: base({ status: 'not-yet', ruleIds, reasons }) };
}

/** Names the dated rule sets applied on the evaluation date. */
export function ruleSetName(evaluationDate: LocalDate, config: RuleConfig): string {
  const nhs =
    evaluationDate < STANDING_RULES_IN_FORCE
      ? 'nhs:pre-2013'
      : evaluationDate < SI_2016_293_IN_FORCE
        ? 'nhs:standing-rules-2012'
        : evaluationDate < WHO_PAYS_2020_IN_FORCE
          ? 'nhs:si-2016-293'
          : evaluationDate < ICB_REGULATIONS_IN_FORCE
            ? 'nhs:who-pays-2020'
            : evaluationDate < WHO_PAYS_V3
              ? 'nhs:icb-regulations-2022+who-pays-v2'
              : 'nhs:icb-regulations-2022+who-pays-v3';
  const la =
    evaluationDate < CARE_ACT_AMENDMENT_IN_FORCE
      ? 'la:resident-test'
      : evaluationDate < WORCESTERSHIRE_SUPREME_COURT
        ? 'la:ordinary-residence'
        : 'la:ordinary-residence+worcestershire-2023';
  const s46 = config.mha2025S46CommencementDate;
  const deeming = s46 === null ? 's46:not-commenced' : evaluationDate >= s46 ? `s46:commenced-${s46}` : `s46:from-${s46}`;
  return `${nhs};${la};${deeming};config:${config.name}`;
}
