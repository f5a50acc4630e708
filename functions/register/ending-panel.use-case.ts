/**
 * Ending aftercare through the joint panel (issue 8, point 3): when the partnership has a panel, a valid
 * recommendation starts statemachines/ending-recommendation.asl.json, which asks the panel
 * (`request-panel-decision` with the episode id, subject 'ending') and then records its answer here. An
 * approval takes effect for both bodies through the same `applyDecision` as the joint-decisions route, with the
 * engine re-judging the ending first; anything else closes the recommendation and aftercare continues.
 */
import { formatLongDate } from '#domain/dates.ts';
import {
  applyPanelDecision,
  endingEvent,
  engineJudgement,
  type EndingPanelDecision,
  type EndingRecommendation,
  type EndingRequest,
} from '#domain/register/ending.ts';
import { panelTimeoutSeconds, type PanelProposal, type PanelTiming } from '#domain/panels/panel.ts';
import { activeEvents, parseEpisodeId, type Episode } from '#domain/register/register.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { sendOnce } from '../shared/send-once.ts';
import type { RegisterDeps } from './deps.ts';
import { endingPanelClosedMessage } from './messages.ts';
import { recordFacts, recordLetterDue } from './register.use-case.ts';

/** The input of an ending-recommendation execution. */
export interface EndingWorkflowInput {
  episodeId: string;
  recommendationId: string;
  panelTimeoutSeconds: number;
  proposal: PanelProposal;
  proposedBy: { userId: string; org: string; email?: string };
}

/** One execution per recommendation (the name makes a repeated start a no-op). */
export const endingExecutionName = (recommendationId: string): string => `ending-${recommendationId}`;

const REASON_WORDS: Record<string, string> = {
  'no-longer-needs-aftercare': 'no longer needs aftercare services for their mental disorder',
  'discharged-from-specialist-services': 'discharged from specialist mental health services',
  'time-elapsed': 'time has passed',
  'deprived-of-liberty-mca': 'deprived of liberty under the Mental Capacity Act',
  'readmitted-informally-or-s2': 'readmitted informally or under section 2',
  'cto-or-s17-ended': 'CTO or section 17 leave ended',
  'refuses-services': 'refuses services',
  'moved-area': 'moved area',
  died: 'died',
};

/** Free text to the panel page in pieces the panel contract accepts (each detail at most 2,000 characters). */
function pieces(label: string, text: string): string[] {
  const trimmed = text.trim();
  const out: string[] = [];
  for (let i = 0; i < trimmed.length; i += 1_800) out.push(`${label}${i === 0 ? '' : ' (continued)'}: ${trimmed.slice(i, i + 1_800)}`);
  return out.length === 0 ? [`${label}: (none given)`] : out;
}

/**
 * What the panel is asked: a summary for the mail (no personal data: the episode, the date, the reasons) and the
 * required report as details for the case page (the person's views, why needs no longer arise, why readmission
 * is not a risk, the responsible clinician's and the social care manager's confirmations).
 */
export function endingProposal(episode: Episode, request: EndingRequest, recommendedBy: string): PanelProposal {
  const r = request.report;
  return {
    summary:
      `End s117 aftercare for episode ${episode.id} on ${formatLongDate(request.proposedEndDate)}, recommended by ${recommendedBy}` +
      ` (${request.reasons.map((x) => REASON_WORDS[x] ?? x).join('; ')}). The person ${r.personInvolved ? 'took part' : 'did not take part'} in the review.`,
    details: [
      `Responsible: ICB ${episode.icb.body ?? 'undetermined'}, council ${episode.localAuthority.body ?? 'undetermined'}; the duty arose on ${episode.dutyArose === undefined ? 'no date yet' : formatLongDate(episode.dutyArose)}.`,
      ...pieces("The person's views", r.personViews),
      ...pieces('Why the needs no longer arise from the mental disorder', r.needsNoLongerArise),
      ...pieces('Why readmission is not a risk', r.readmissionRiskReasoning),
      `Responsible clinician: ${r.responsibleClinician.name}, ${r.responsibleClinician.confirmed ? 'confirmed' : 'NOT confirmed'} on ${formatLongDate(r.responsibleClinician.date)}.`,
      `Council social care manager: ${r.socialCareManager.name} (${r.socialCareManager.council}), ${r.socialCareManager.confirmed ? 'confirmed' : 'NOT confirmed'} on ${formatLongDate(r.socialCareManager.date)}.`,
    ].slice(0, 20),
  };
}

/** Starts the recommendation's workflow (fire-and-forget; starting it again is a no-op). */
export async function startEndingPanel(
  deps: RegisterDeps,
  episode: Episode,
  rec: EndingRecommendation,
  timing: PanelTiming,
): Promise<void> {
  if (deps.endingStateMachineArn === undefined)
    throw new Error('The ending-recommendation state machine is not configured for this function');
  const input: EndingWorkflowInput = {
    episodeId: episode.id,
    recommendationId: rec.id,
    panelTimeoutSeconds: panelTimeoutSeconds(timing),
    proposal: endingProposal(episode, rec.request, rec.recommendedBy.org),
    proposedBy: rec.recommendedBy,
  };
  await deps.workflow.start(deps.endingStateMachineArn, endingExecutionName(rec.id), input);
}

export interface RecordEndingPanelInput {
  episodeId: string;
  recommendationId: string;
  panel: EndingPanelDecision;
}

export interface RecordEndingPanelOutput {
  recommendationId: string;
  state: EndingRecommendation['state'];
  /** Whether aftercare ends (the aftercare-ended fact is recorded). */
  ended: boolean;
}

export class EndingRecommendationNotFoundError extends Error {
  constructor(id: string) {
    super(`Ending recommendation ${id} not found`);
    this.name = 'EndingRecommendationNotFoundError';
  }
}

/**
 * RecordEndingPanelDecision: applies the panel's answer to the recommendation. Safe to run again: a decided
 * recommendation is not decided twice, the aftercare-ended fact and the chronology entry have keys, and mail goes
 * through the register's mail log.
 */
export async function recordEndingPanelDecision(deps: RegisterDeps, input: RecordEndingPanelInput): Promise<RecordEndingPanelOutput> {
  const parsed = parseEpisodeId(input.episodeId);
  const person = parsed === null ? null : await deps.store.getPerson(parsed.personRef);
  const episode = parsed === null ? null : await deps.store.getEpisode(parsed.personRef, parsed.n);
  const rec =
    parsed === null ? undefined : (await deps.store.listEndings(parsed.personRef, parsed.n)).find((r) => r.id === input.recommendationId);
  if (person === null || episode === null || rec === undefined) throw new EndingRecommendationNotFoundError(input.recommendationId);
  const partnership = await deps.directory.partnership(person.partnershipId);
  const config = partnership?.ruleConfig ?? DEFAULT_RULE_CONFIG;
  const events = activeEvents(person);
  const at = deps.clock.now();

  const result = applyPanelDecision(rec, input.panel, (event) => engineJudgement(events, event, config));
  let saved = result.recommendation;
  if (result.kind === 'decided') {
    saved = result.takesEffect ? { ...result.recommendation, endedEventKey: `ending:${rec.id}` } : result.recommendation;
    await deps.store.saveEnding(person.personRef, episode.n, saved);
    await deps.chronology.append(person.personRef, {
      key: `register:ending-panel-decided:${rec.id}`,
      at,
      type: 'register-ending-panel-decided',
      actor: { system: 'register/ending-panel' },
      data: {
        episodeId: episode.id,
        recommendationId: rec.id,
        panelRequestId: input.panel.panelRequestId ?? null,
        outcome: input.panel.outcome,
        ...(input.panel.cause === undefined ? {} : { cause: input.panel.cause }),
        state: saved.state,
        ruleIds: result.ruleIds,
        reasons: result.reasons,
        votes: input.panel.votes.map((v) => ({
          memberId: v.memberId,
          organisation: v.organisation,
          side: v.side,
          decision: v.decision,
          at: v.at,
        })),
      },
    });
  }
  // Also on a retry after the recommendation was saved: recording the fact is idempotent by its key.
  if (saved.state === 'agreed' && saved.endedEventKey === `ending:${rec.id}`) {
    await recordFacts(
      deps,
      person.personRef,
      [{ key: saved.endedEventKey, event: endingEvent(rec.request, { icb: true, la: true }), source: 'ending-decision' }],
      { system: 'register/ending-panel' },
    );
    await recordLetterDue(deps, person.personRef, {
      kind: 'aftercare-ended',
      ref: rec.id,
      episodeId: episode.id,
      ruleIds: ['R-END-5', 'R-CHG-6'],
      about: `Aftercare ends on ${rec.request.proposedEndDate}: the decision, its reasons and how to challenge it.`,
    });
  } else if (saved.state === 'declined' && saved.route === 'panel') {
    const message = endingPanelClosedMessage(
      episode,
      saved.panel?.outcome ?? input.panel.outcome,
      saved.closedReasons?.[0] ?? 'The recommendation was not agreed.',
    );
    for (const code of [saved.bodies.icb, saved.bodies.la]) {
      const org = code === null ? null : await deps.directory.organisation(code);
      if (org === null) continue;
      const mail = { about: person.personRef, purpose: `ending-closed:${rec.id}`, to: org.email, message };
      await sendOnce(deps, deps.store, { ...mail, tags: { purpose: 'register-ending-closed' } });
    }
  }
  return { recommendationId: rec.id, state: saved.state, ended: saved.state === 'agreed' };
}
