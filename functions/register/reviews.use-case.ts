/** Recording a review, and the letters to the person (entitlement, review, ending). */
import { createHash } from 'node:crypto';
import { activeEvents } from '#domain/register/register.ts';
import type { Review, ReviewOutcome } from '#domain/register/reviews.ts';
import { canonicalJson } from '../api/canonical-json.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { base32 } from '../shared/person-ref.ts';
import type { RegisterDeps } from './deps.ts';
import { episodeFor } from './people.use-case.ts';
import { episodeView, reviewSettingsOf } from './register.use-case.ts';

export interface ReviewRequest {
  reviewId?: string;
  date: string;
  outcome: ReviewOutcome;
  personTookPart: boolean;
  participants: { name: string; role: string }[];
  notes?: string;
}

export async function recordReview(deps: RegisterDeps, caller: Caller, id: string, body: ReviewRequest): Promise<HttpResult> {
  const { episode, person, partnership } = await episodeFor(deps, caller, id);
  if (episode.dutyArose === undefined) {
    throw new ProblemError(422, 'The duty has not arisen yet (the person has not left hospital); aftercare planning is not a review.', {
      errors: [{ field: 'body.date', message: 'no review is owed before the duty arises' }],
    });
  }
  if (body.date < episode.dutyArose)
    throw new ProblemError(422, 'The review is dated before the duty arose.', {
      errors: [{ field: 'body.date', message: `must be on or after ${episode.dutyArose}` }],
    });
  if (episode.ended !== undefined && body.date > episode.ended.date)
    throw new ProblemError(422, 'The review is dated after the episode ended.', {
      errors: [{ field: 'body.date', message: `must be on or before ${episode.ended.date}` }],
    });
  const { reviewId, ...content } = body;
  const review: Review = {
    id:
      reviewId ??
      `rev_${base32(
        createHash('sha256')
          .update(`${id}|${canonicalJson(content)}`, 'utf8')
          .digest(),
      ).slice(0, 20)}`,
    date: body.date,
    outcome: body.outcome,
    personTookPart: body.personTookPart,
    participants: body.participants,
    recordedAt: deps.clock.now(),
    recordedBy: { userId: caller.userId, org: caller.org },
    ...(body.notes === undefined ? {} : { notes: body.notes }),
  };
  const created = await deps.store.putReview(person.personRef, episode.n, review);
  await deps.chronology.append(person.personRef, {
    key: `register:review:${id}:${review.id}`,
    at: review.recordedAt,
    type: 'register-review-recorded',
    actor: { userId: caller.userId, org: caller.org },
    data: {
      episodeId: id,
      reviewId: review.id,
      date: review.date,
      outcome: review.outcome,
      personTookPart: review.personTookPart,
      participantRoles: review.participants.map((p) => p.role),
    },
  });
  const reviews = (await deps.store.listReviews(person.personRef)).get(id) ?? [];
  return {
    statusCode: created === 'created' ? 201 : 200,
    body: {
      reviewId: review.id,
      ...(body.outcome === 'recommend-ending' ? { next: `POST /v1/register/episodes/${id}/ending-recommendations with the report` } : {}),
      episode: episodeView(episode, activeEvents(person), reviews, deps.clock.today(), reviewSettingsOf(partnership)),
    },
  };
}
