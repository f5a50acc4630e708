/**
 * Ending aftercare over the API: a recommendation with its report, checked by the engine's ending rules
 * (refused as a 422 naming the fields), then each body's decision; the ending takes effect only when both
 * agree, as an aftercare-ended fact the engine reads. An ending that proves premature is reinstated: the
 * fact is withdrawn (kept, never deleted) and the duty is in force again.
 * When the partnership has a joint panel, the recommendation goes to it instead (`route: 'panel'`, the
 * ending-recommendation workflow: ending-panel.use-case.ts), and the panel's ICB and council votes are the
 * joint decision, recorded through the same `applyDecision`. Without a panel each body decides here.
 */
import { createHash } from 'node:crypto';
import {
  applyDecision,
  endingEvent,
  engineJudgement,
  judgeRecommendation,
  type EndingRecommendation,
  type EndingRequest,
  type Party,
} from '#domain/register/ending.ts';
import { activeEvents } from '#domain/register/register.ts';
import { needsPanel } from '#domain/panels/panel.ts';
import { DEFAULT_RULE_CONFIG } from '#domain/rules/config.ts';
import { canonicalJson } from '../api/canonical-json.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError, rejectionProblem } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { base32 } from '../shared/person-ref.ts';
import { sendOnce } from '../shared/send-once.ts';
import type { RegisterDeps } from './deps.ts';
import { startEndingPanel } from './ending-panel.use-case.ts';
import { endingRecommendedMessage, endingToPanelMessage } from './messages.ts';
import { episodeFor } from './people.use-case.ts';
import { recordFacts, recordLetterDue, syncRegister, updatePerson } from './register.use-case.ts';

const recommendationIdFor = (episodeId: string, request: EndingRequest): string =>
  `end_${base32(
    createHash('sha256')
      .update(`${episodeId}|${canonicalJson(request)}`, 'utf8')
      .digest(),
  ).slice(0, 20)}`;

function partyOf(caller: Caller, bodies: { icb: string | null; la: string | null }): Party {
  if (caller.org === bodies.icb) return 'icb';
  if (caller.org === bodies.la) return 'la';
  throw new ProblemError(
    403,
    `Only the responsible ICB (${bodies.icb ?? 'none'}) or council (${bodies.la ?? 'none'}) can act on this ending.`,
  );
}

export async function recommendEnding(deps: RegisterDeps, caller: Caller, id: string, request: EndingRequest): Promise<HttpResult> {
  const { episode, person, partnership } = await episodeFor(deps, caller, id);
  const bodies = { icb: episode.icb.body, la: episode.localAuthority.body };
  partyOf(caller, bodies);
  if (episode.ended !== undefined)
    throw new ProblemError(409, `This episode ended on ${episode.ended.date} (${episode.ended.by}); there is no aftercare to end.`);
  const recId = recommendationIdFor(id, request);
  const existing = await deps.store.listEndings(person.personRef, episode.n);
  const same = existing.find((r) => r.id === recId);
  if (same !== undefined) {
    // A repeat after a lost start: starting the same execution again is a no-op.
    if (same.route === 'panel' && same.state === 'awaiting-panel' && partnership.panel !== undefined)
      await startEndingPanel(deps, episode, same, partnership.panel.timing);
    return { statusCode: 200, body: same };
  }
  if (existing.some((r) => r.state === 'awaiting-panel'))
    throw new ProblemError(409, "A recommendation to end this episode already awaits the bodies' decision.");

  const reviews = (await deps.store.listReviews(person.personRef)).get(episode.id) ?? [];
  const problems = judgeRecommendation(
    activeEvents(person),
    request,
    partnership.ruleConfig ?? DEFAULT_RULE_CONFIG,
    episode.dutyArose,
    reviews,
  );
  if (problems.length > 0) {
    throw new ProblemError(422, `Aftercare cannot end on this recommendation: ${problems.map((p) => p.message).join('; ')}.`, {
      errors: problems.map((p) => ({ field: `body.${p.field}`, message: `${p.message} (${p.ruleIds.join(', ')})` })),
    });
  }
  const at = deps.clock.now();
  // The partnership's joint panel decides for both bodies when it has one; otherwise each body decides here.
  const panel = partnership.panel !== undefined && needsPanel(partnership.panel, 'ending', 0) ? partnership.panel : undefined;
  const rec: EndingRecommendation = {
    id: recId,
    episodeId: id,
    version: 1,
    state: 'awaiting-panel',
    route: panel === undefined ? 'joint-decisions' : 'panel',
    request,
    recommendedBy: { userId: caller.userId, org: caller.org, ...(caller.email === undefined ? {} : { email: caller.email }) },
    recommendedAt: at,
    bodies,
    decisions: {},
  };
  await deps.store.saveEnding(person.personRef, episode.n, rec);
  await deps.chronology.append(person.personRef, {
    key: `register:ending-recommended:${recId}`,
    at,
    type: 'register-ending-recommended',
    actor: { userId: caller.userId, org: caller.org },
    data: {
      episodeId: id,
      recommendationId: recId,
      proposedEndDate: request.proposedEndDate,
      reasons: request.reasons,
      personInvolved: request.report.personInvolved,
      route: rec.route,
    },
  });
  if (panel !== undefined) await startEndingPanel(deps, episode, rec, panel.timing);
  const message =
    panel === undefined
      ? endingRecommendedMessage(episode, recId, request.proposedEndDate, deps.appBaseUrl)
      : endingToPanelMessage(episode, request.proposedEndDate);
  for (const code of [bodies.icb, bodies.la]) {
    const org = code === null ? null : await deps.directory.organisation(code);
    if (org === null) continue;
    const mail = { about: person.personRef, purpose: `ending:${recId}`, to: org.email, message };
    await sendOnce(deps, deps.store, { ...mail, tags: { purpose: 'register-ending-recommended' } });
  }
  return { statusCode: 201, headers: { location: `/v1/register/episodes/${id}` }, body: rec };
}

export async function recordEndingDecision(
  deps: RegisterDeps,
  caller: Caller,
  id: string,
  body: { recommendationId: string; agree: boolean; reason?: string },
): Promise<HttpResult> {
  const { episode, person, partnership } = await episodeFor(deps, caller, id);
  const rec = (await deps.store.listEndings(person.personRef, episode.n)).find((r) => r.id === body.recommendationId);
  if (rec === undefined)
    throw new ProblemError(404, 'No such recommendation for this episode.', {
      errors: [{ field: 'body.recommendationId', message: 'is not a recommendation of this episode' }],
    });
  const party = partyOf(caller, rec.bodies);
  if (rec.route === 'panel') {
    throw new ProblemError(
      409,
      'This recommendation is decided by the joint panel, for both bodies; its members decide through the links they were mailed.',
      {
        errors: [{ field: 'body.recommendationId', message: 'is decided by the joint panel' }],
      },
    );
  }
  const at = deps.clock.now();
  const result = applyDecision(rec, {
    party,
    body: caller.org,
    agree: body.agree,
    at,
    by: caller.userId,
    ...(body.reason === undefined ? {} : { reason: body.reason }),
  });
  if (result.kind === 'rejected') throw rejectionProblem(result);
  if (result.recommendation === rec) return { statusCode: 200, body: rec };
  if (result.takesEffect) {
    const judged = engineJudgement(
      activeEvents(person),
      endingEvent(rec.request, { icb: true, la: true }),
      partnership.ruleConfig ?? DEFAULT_RULE_CONFIG,
    );
    if (judged === null || !judged.lawful) {
      throw new ProblemError(
        422,
        `The facts have changed since the recommendation: ${judged?.reason ?? 'no aftercare duty is in force on the proposed date'}.`,
        {
          errors: [{ field: 'body.agree', message: `the engine refuses this ending now (${(judged?.ruleIds ?? ['R-END-1']).join(', ')})` }],
        },
      );
    }
  }
  const saved: EndingRecommendation = result.takesEffect
    ? { ...result.recommendation, endedEventKey: `ending:${rec.id}` }
    : result.recommendation;
  await deps.store.saveEnding(person.personRef, episode.n, saved);
  await deps.chronology.append(person.personRef, {
    key: `register:ending-decision:${rec.id}:${party}`,
    at,
    type: 'register-ending-decision',
    actor: { userId: caller.userId, org: caller.org },
    data: { episodeId: id, recommendationId: rec.id, party, agree: body.agree, state: saved.state },
  });
  if (result.takesEffect) {
    await recordFacts(
      deps,
      person.personRef,
      [{ key: `ending:${rec.id}`, event: endingEvent(rec.request, { icb: true, la: true }), source: 'ending-decision' }],
      { system: 'register/ending-decisions' },
    );
    await recordLetterDue(deps, person.personRef, {
      kind: 'aftercare-ended',
      ref: rec.id,
      episodeId: id,
      ruleIds: ['R-END-5', 'R-CHG-6'],
      about: `Aftercare ends on ${rec.request.proposedEndDate}: the decision, its reasons and how to challenge it.`,
    });
  }
  return { statusCode: 201, body: saved };
}

export async function reinstate(deps: RegisterDeps, caller: Caller, id: string, reason: string): Promise<HttpResult> {
  const { episode, person } = await episodeFor(deps, caller, id);
  partyOf(caller, { icb: episode.icb.body, la: episode.localAuthority.body });
  const ended = episode.ended;
  if (ended?.by !== 'joint-decision') {
    throw new ProblemError(
      409,
      ended === undefined
        ? 'This episode has not ended; there is nothing to reinstate.'
        : `This episode ended by ${ended.by}; only an ending by joint decision can be reinstated.`,
    );
  }
  const at = deps.clock.now();
  const actor = { userId: caller.userId, org: caller.org };
  const keys = person.events
    .filter((e) => e.withdrawn === undefined && e.event.type === 'aftercare-ended' && e.event.date === ended.date)
    .map((e) => e.key);
  await updatePerson(deps, person.personRef, (p) =>
    keys.length === 0
      ? null
      : {
          ...p,
          events: p.events.map((e) => (keys.includes(e.key) && e.withdrawn === undefined ? { ...e, withdrawn: { at, reason, actor } } : e)),
        },
  );
  for (const rec of await deps.store.listEndings(person.personRef, episode.n)) {
    if (rec.state === 'agreed' && rec.endedEventKey !== undefined && keys.includes(rec.endedEventKey)) {
      await deps.store.saveEnding(person.personRef, episode.n, {
        ...rec,
        state: 'reinstated',
        version: rec.version + 1,
        reinstatement: { at, by: caller.userId, reason },
      });
    }
  }
  await deps.chronology.append(person.personRef, {
    key: `register:reinstated:${id}:${ended.date}`,
    at,
    type: 'register-aftercare-reinstated',
    actor,
    data: { episodeId: id, endedOn: ended.date, reason, withdrawnFacts: keys },
  });
  const changes = await syncRegister(deps, person.personRef);
  const saved = await deps.store.getEpisode(person.personRef, episode.n);
  return { statusCode: 201, body: { episodeId: id, reinstated: saved?.ended === undefined, changes } };
}
