/**
 * The aftercare plan of an episode over the API (issue 17 item 1): record a version (appended, never rewritten; a
 * retry with the same id is the same version), read the current one, list every version. Each version goes into
 * the chronology, names the episode's practitioner (the care coordinator is the one reminded of reviews), and is
 * sent to the person, the GP, the providers and the carers the person agreed may have it, each recorded as sent.
 */
import { ConcurrentUpdateError } from '#domain/errors.ts';
import { planLetter } from '#domain/register/letters.ts';
import { currentPlan, nextPlanVersion, planProblems, planRecipients, type AftercarePlan, type PlanContent } from '#domain/register/plan.ts';
import type { Episode, PersonRecord } from '#domain/register/register.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { updateVersioned, withOptimisticRetry } from '../shared/optimistic-update.ts';
import type { RegisterDeps } from './deps.ts';
import { deliverLetter, letterContext, tellPersonAndCarers } from './letters.use-case.ts';
import { episodeFor } from './people.use-case.ts';

/** The service lines of the person's own applications named by the plan (another person's application is not found). */
async function serviceLinesOf(deps: RegisterDeps, person: PersonRecord, plan: PlanContent): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const id of new Set(plan.services.map((s) => s.applicationId))) {
    const app = await deps.applications.get(id);
    if (app !== null && app.personRef === person.personRef && app.partnershipId === person.partnershipId)
      out.set(id, new Set(app.carePlan.serviceLines.map((l) => l.id)));
  }
  return out;
}

export async function recordPlan(deps: RegisterDeps, caller: Caller, id: string, body: PlanContent & { id: string }): Promise<HttpResult> {
  const { episode, person } = await episodeFor(deps, caller, id);
  const today = deps.clock.today();
  if (episode.ended !== undefined && episode.ended.date <= today)
    throw new ProblemError(409, `Aftercare for episode ${id} ended on ${episode.ended.date}; its plan can no longer change.`);
  const { id: planId, ...content } = body;
  const problems = planProblems(content, { today, episode, serviceLines: await serviceLinesOf(deps, person, content) });
  if (problems.length > 0)
    throw new ProblemError(422, 'The aftercare plan cannot be recorded as it stands.', {
      errors: problems.map((p) => ({ field: `body.${p.field}`, message: p.message })),
    });
  const by = { userId: caller.userId, org: caller.org };
  const outcome = await withOptimisticRetry(async () => {
    const versioning = nextPlanVersion(await deps.store.listPlans(person.personRef, episode.n), {
      id: planId,
      episodeId: episode.id,
      content,
      at: deps.clock.now(),
      by,
    });
    // Two writers numbering the same version: the second re-reads and takes the next number.
    if (versioning.kind === 'new' && (await deps.store.putPlan(person.personRef, episode.n, versioning.plan)) === 'exists')
      throw new ConcurrentUpdateError();
    return versioning;
  });
  if (outcome.kind === 'id-reused')
    throw new ProblemError(409, `Plan version id ${planId} was already used for version ${outcome.existing.version} with other content.`, {
      errors: [{ field: 'body.id', message: 'is already the id of a different plan version; use a new id for a new version' }],
    });
  const plan = outcome.plan;
  await deps.chronology.append(person.personRef, {
    key: `register:plan:${episode.id}:${plan.version}`,
    at: plan.recordedAt,
    type: 'register-plan-version',
    actor: by,
    data: {
      episodeId: episode.id,
      planId: plan.id,
      version: plan.version,
      meetingDate: plan.meeting.date,
      personTookPart: plan.meeting.personTookPart,
      carerTookPart: plan.meeting.carerTookPart,
      advocateTookPart: plan.meeting.advocateTookPart,
      needs: plan.needs.length,
      serviceLines: plan.services.map((s) => ({ applicationId: s.applicationId, lineId: s.lineId })),
      accommodationS117Funded: plan.accommodation.s117Funded,
      nextReview: plan.nextReview,
    },
  });
  const named = await nameCoordinator(deps, episode, plan);
  const copies = await sendPlanCopies(deps, person, named, plan);
  return {
    statusCode: outcome.kind === 'new' ? 201 : 200,
    headers: { location: `/v1/register/episodes/${episode.id}/plan` },
    body: {
      plan,
      copies: copies.map((c) => ({ letterId: c.id, recipient: c.recipient, channel: c.channel, variant: c.variant })),
    },
  };
}

/** The plan's care coordinator becomes the episode's named practitioner (reminded of reviews), unless already so. */
async function nameCoordinator(deps: RegisterDeps, episode: Episode, plan: AftercarePlan): Promise<Episode> {
  const c = plan.careCoordinator;
  const practitioner = { name: c.name, email: c.email, role: c.role };
  const saved = await updateVersioned(
    { read: () => deps.store.getEpisode(episode.personRef, episode.n), write: (next) => deps.store.saveEpisode(next) },
    (e) => (JSON.stringify(e.namedPractitioner) === JSON.stringify(practitioner) ? null : { ...e, namedPractitioner: practitioner }),
    () => deps.clock.now(),
  );
  return saved ?? episode;
}

/** Copies of the plan: the person's own (their format) and carers' through tellPersonAndCarers, then the GP and each provider. */
async function sendPlanCopies(deps: RegisterDeps, person: PersonRecord, episode: Episode, plan: AftercarePlan) {
  const about = `plan-v${plan.version}`;
  const sent = await tellPersonAndCarers(deps, person, episode, about, (ctx) => planLetter(ctx, plan), { version: String(plan.version) });
  const professional = planLetter(await letterContext(deps, person, episode, deps.clock.today(), 'standard'), plan);
  const copy = { ...professional, subject: `Copy of ${professional.subject}` };
  for (const r of planRecipients(plan, { supporters: [] })) {
    if (r.role !== 'gp' && r.role !== 'provider') continue;
    const record = await deliverLetter(deps, person, episode, copy, { recipient: r.role, to: r.to, recipientName: r.name, about });
    if (record !== null) sent.push(record);
  }
  return sent;
}

export async function readCurrentPlan(deps: RegisterDeps, caller: Caller, id: string): Promise<HttpResult> {
  const { episode, person } = await episodeFor(deps, caller, id);
  const plan = currentPlan(await deps.store.listPlans(person.personRef, episode.n));
  if (plan === undefined) throw new ProblemError(404, `Episode ${id} has no aftercare plan recorded yet.`);
  const letters = (await deps.store.listLetters(person.personRef)).filter((l) => l.episodeId === id && l.about === `plan-v${plan.version}`);
  return { statusCode: 200, body: { plan, sent: letters } };
}

export async function listPlanVersions(deps: RegisterDeps, caller: Caller, id: string): Promise<HttpResult> {
  const { episode, person } = await episodeFor(deps, caller, id);
  const plans = [...(await deps.store.listPlans(person.personRef, episode.n))].sort((a, b) => a.version - b.version);
  return { statusCode: 200, body: { episodeId: id, current: plans.at(-1)?.version ?? null, versions: plans } };
}
