/** Reading a letter to the person back (issue 17 item 3): JSON (its parts), an accessible HTML page, or a PDF. */
import {
  endingLetter,
  endingProposedLetter,
  entitlementLetter,
  planLetter,
  reviewDueLetter,
  reviewLetter,
  type Letter,
  type LetterContext,
  type LetterKind,
  type LetterVariant,
} from '#domain/register/letters.ts';
import { currentPlan } from '#domain/register/plan.ts';
import { activeEvents, type Episode, type PersonRecord } from '#domain/register/register.ts';
import { nextReview, reviewSchedule } from '#domain/register/reviews.ts';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { renderPdf } from '../shared/pdf.ts';
import type { RegisterDeps } from './deps.ts';
import { letterPage, letterPdfModel } from './letter-render.ts';
import { letterContext } from './letters.use-case.ts';
import { episodeFor } from './people.use-case.ts';
import { reviewSettingsOf } from './register.use-case.ts';
import type { LetterFormat } from './schemas.ts';

/** A letter for the episode, in a version and a format: JSON (subject, sections, text, html), an HTML page, or a PDF. */
export async function readLetter(
  deps: RegisterDeps,
  caller: Caller,
  id: string,
  kind: LetterKind,
  query: { asOf?: string; reviewId?: string; version?: number; variant?: LetterVariant; format?: LetterFormat },
): Promise<HttpResult> {
  const { episode, person, partnership } = await episodeFor(deps, caller, id);
  const ctx = await letterContext(deps, person, episode, query.asOf ?? deps.clock.today(), query.variant ?? 'standard');
  const letter = await writeLetter(deps, person, episode, kind, ctx, query, reviewSettingsOf(partnership));
  const format = query.format ?? 'json';
  if (format === 'json') return { statusCode: 200, body: letter };
  if (format === 'html')
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      rawBody: letterPage(letter),
    };
  const pdf = await renderPdf(letterPdfModel(letter));
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${kind}-${letter.variant}.pdf"`,
      'cache-control': 'no-store',
    },
    rawBody: pdf.toString('base64'),
    isBase64Encoded: true,
  };
}

async function writeLetter(
  deps: RegisterDeps,
  person: PersonRecord,
  episode: Episode,
  kind: LetterKind,
  ctx: LetterContext,
  query: { reviewId?: string; version?: number },
  settings: ReturnType<typeof reviewSettingsOf>,
): Promise<Letter> {
  switch (kind) {
    case 'entitlement':
      return entitlementLetter(ctx);
    case 'plan': {
      const plans = await deps.store.listPlans(person.personRef, episode.n);
      const plan = query.version === undefined ? currentPlan(plans) : plans.find((p) => p.version === query.version);
      if (plan === undefined)
        throw new ProblemError(404, 'No aftercare plan to write about.', {
          errors: [{ field: 'query.version', message: 'names no plan version of this episode' }],
        });
      return planLetter(ctx, plan);
    }
    case 'review-due': {
      const reviews = (await deps.store.listReviews(person.personRef)).get(episode.id) ?? [];
      const next = nextReview(
        reviewSchedule({ arose: episode.dutyArose, ended: episode.ended?.date, events: activeEvents(person), reviews }, settings),
      );
      if (next === undefined) throw new ProblemError(409, 'No review is owed for this episode.');
      return reviewDueLetter(ctx, next.due);
    }
    case 'review': {
      const reviews = [...((await deps.store.listReviews(person.personRef)).get(episode.id) ?? [])].sort((a, b) =>
        a.date < b.date ? -1 : 1,
      );
      const review = query.reviewId === undefined ? reviews.at(-1) : reviews.find((r) => r.id === query.reviewId);
      if (review === undefined)
        throw new ProblemError(404, 'No review to write about.', {
          errors: [{ field: 'query.reviewId', message: 'names no review of this episode' }],
        });
      return reviewLetter(ctx, review);
    }
    case 'ending-proposed': {
      const open = (await deps.store.listEndings(person.personRef, episode.n)).at(-1);
      if (open === undefined) throw new ProblemError(404, 'No recommendation to end aftercare for this episode.');
      return endingProposedLetter(ctx, open.request.proposedEndDate);
    }
    case 'funding-change':
      throw new ProblemError(
        409,
        'A funding-change letter is written when a funding decision changes what the person receives; none is recorded for this episode.',
      );
    case 'ending': {
      const agreed = (await deps.store.listEndings(person.personRef, episode.n)).find((r) => r.state === 'agreed');
      if (agreed === undefined) throw new ProblemError(404, 'Aftercare has not ended by joint decision for this episode.');
      return endingLetter(ctx, agreed);
    }
  }
}
