/**
 * A child or young person on the register (issue 17 item 5): their date of birth, the involvement of the parents or
 * of the council that looks after them, education, and transition planning. Written with optimistic concurrency;
 * a new or changed date of birth plans the review schedule afresh (a new generation), so the transition reminder at
 * 17 and the handover at 18 run on the register's clock like reviews.
 * @see rules.md R-CHILD-1 to R-CHILD-6
 */
import { childView, type ChildRecord } from '#domain/register/children.ts';
import { activeEvents, type Episode } from '#domain/register/register.ts';
import { canonicalJson } from '../api/canonical-json.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { updateVersioned } from '../shared/optimistic-update.ts';
import type { RegisterDeps } from './deps.ts';
import { personFor, startReviewSchedule, updatePerson } from './register.use-case.ts';

export type ChildInput = Omit<ChildRecord, 'updatedAt' | 'handover'>;

/** Only a body responsible for one of the person's episodes records about the child (403 otherwise). */
export function requireResponsibleBody(caller: Caller, episodes: readonly Episode[], what: string): void {
  if (episodes.some((e) => e.icb.body === caller.org || e.localAuthority.body === caller.org)) return;
  throw new ProblemError(403, `Only a body responsible for one of the person's episodes can record ${what}.`);
}

export async function recordChild(deps: RegisterDeps, caller: Caller, personRef: string, input: ChildInput): Promise<HttpResult> {
  const { person } = await personFor(deps, caller, personRef);
  const episodes = await deps.store.listEpisodes(personRef);
  requireResponsibleBody(caller, episodes, "a child's record");
  const today = deps.clock.today();
  if (input.dateOfBirth > today)
    throw new ProblemError(422, 'The date of birth is in the future.', {
      errors: [{ field: 'body.dateOfBirth', message: `must be on or before ${today}` }],
    });
  if (input.transitionPlan !== undefined && input.transitionPlan.startedOn < input.dateOfBirth)
    throw new ProblemError(422, 'Transition planning cannot start before the date of birth.', {
      errors: [{ field: 'body.transitionPlan.startedOn', message: `must be on or after ${input.dateOfBirth}` }],
    });
  const at = deps.clock.now();
  const before = person.child?.dateOfBirth;
  const saved = await updatePerson(deps, personRef, (p) => {
    const next: ChildRecord = { ...input, updatedAt: at };
    // The handover stays recorded unless the date of birth changed (then it is owed afresh on the new date).
    if (p.child?.handover !== undefined && p.child.dateOfBirth === input.dateOfBirth) next.handover = p.child.handover;
    // The same record again (a retry) writes nothing.
    if (p.child !== undefined && canonicalJson({ ...p.child, updatedAt: '' }) === canonicalJson({ ...next, updatedAt: '' })) return null;
    return { ...p, child: next };
  });
  const child = saved.child;
  if (child === undefined) throw new Error('The child record was not saved');
  await deps.chronology.append(personRef, {
    key: `register:child-recorded:${saved.version}`,
    at,
    type: 'register-child-recorded',
    actor: { userId: caller.userId, org: caller.org },
    data: {
      dateOfBirthChanged: before !== input.dateOfBirth,
      parentsInvolved: input.parents?.involved ?? null,
      responsibleCouncil: input.responsibleCouncil === undefined ? null : { ...input.responsibleCouncil },
      education: input.education?.setting ?? null,
      ehcPlan: input.education?.ehcPlan ?? null,
      transitionPlanStartedOn: input.transitionPlan?.startedOn ?? null,
      ruleIds: ['R-CHILD-1', 'R-CHILD-6'],
    },
  });
  if (before !== input.dateOfBirth) {
    // Plan each running schedule afresh, so its transition milestones are waited on from now.
    for (const episode of episodes) {
      if (episode.dutyArose === undefined || episode.ended !== undefined) continue;
      const replanned = await updateVersioned(
        { read: () => deps.store.getEpisode(personRef, episode.n), write: (e) => deps.store.saveEpisode(e) },
        (e) => ({ ...e, reviewGeneration: e.reviewGeneration + 1 }),
        () => deps.clock.now(),
      );
      if (replanned !== null) await startReviewSchedule(deps, replanned);
    }
  }
  return { statusCode: 200, body: childView(child, activeEvents(saved), today) };
}
