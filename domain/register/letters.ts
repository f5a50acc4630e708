/**
 * Letters to the person about their s117 aftercare, in plain English: that they are entitled, what their
 * review decided, and that aftercare has ended (and how to challenge it). The letter is for the person, so
 * it may use their name from the register; callers must never log it.
 * @see rules.md R-ELIG-2, R-DEF-1, R-CHG-1, R-END-1, R-END-3, R-REVIEW-1
 */
import { formatLongDate, type LocalDate } from '../dates.ts';
import type { EndingRecommendation } from './ending.ts';
import type { Episode } from './register.ts';
import type { Review } from './reviews.ts';

export const LETTER_KINDS = ['entitlement', 'review', 'ending'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export interface Letter {
  kind: LetterKind;
  subject: string;
  text: string;
  html: string;
}

export interface LetterContext {
  /** The person's name, if the register holds it; "Dear Sir or Madam" otherwise. */
  name?: string;
  date: LocalDate;
  episode: Episode;
  /** Names of the bodies, by code. */
  bodyNames: Readonly<Record<string, string>>;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function render(kind: LetterKind, subject: string, ctx: LetterContext, paragraphs: string[]): Letter {
  const greeting = ctx.name === undefined ? 'Dear Sir or Madam,' : `Dear ${ctx.name},`;
  const all = [formatLongDate(ctx.date), greeting, ...paragraphs, 'Yours sincerely,', 'The section 117 aftercare team'];
  return {
    kind,
    subject,
    text: `${subject}\n\n${all.join('\n\n')}\n`,
    html:
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
      `<body style="font-family:Arial,sans-serif;max-width:40em;line-height:1.5"><h1 style="font-size:1.3em">${escapeHtml(subject)}</h1>` +
      all.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
      '</body></html>',
  };
}

const nameOf = (ctx: LetterContext, code: string | null): string => (code === null ? 'not yet known' : (ctx.bodyNames[code] ?? code));

const FREE = 'Aftercare under section 117 is free. Nobody can charge you for it, whatever your income or savings.';

/** You are entitled to aftercare: why, from when, and who provides it. */
export function entitlementLetter(ctx: LetterContext): Letter {
  const e = ctx.episode;
  const arose =
    e.dutyArose === undefined
      ? 'Your aftercare will start when you leave hospital. The people planning your discharge should talk to you about it now.'
      : `Your right to aftercare started on ${formatLongDate(e.dutyArose)}, when you left hospital.`;
  return render('entitlement', 'Your right to free aftercare (section 117 of the Mental Health Act)', ctx, [
    `You were kept in hospital under section ${e.qualifyingDetention.section} of the Mental Health Act from ${formatLongDate(e.qualifyingDetention.from)}. Because of this, you have a right to aftercare: help and services to meet needs that come from your mental health condition, and to help you stay well and out of hospital.`,
    arose,
    `Two organisations are responsible for your aftercare: the NHS (${nameOf(ctx, e.icb.body)}) and your council (${nameOf(ctx, e.localAuthority.body)}). They work together and should agree a care plan with you.`,
    FREE,
    e.namedPractitioner === undefined
      ? 'We will tell you who your named contact is.'
      : `Your named contact is ${e.namedPractitioner.name}. You can contact them about your aftercare at ${e.namedPractitioner.email}.`,
    'Your aftercare will be reviewed with you regularly: first within a few weeks of leaving hospital, then at least once a year. You can bring someone with you, such as a family member, a carer or an advocate.',
  ]);
}

const OUTCOME_WORDS: Record<Review['outcome'], string> = {
  continue: 'your aftercare carries on as it is',
  'change-plan': 'your care plan will change; your named contact will go through the changes with you',
  'recommend-ending':
    'the people at the review think you may no longer need aftercare. Nothing stops yet: both the NHS and your council have to agree, and they must listen to your views first',
};

/** What the review on a date decided, and who took part. */
export function reviewLetter(ctx: LetterContext, review: Review): Letter {
  const who = review.participants.map((p) => `${p.name} (${p.role})`).join(', ');
  return render('review', 'Your aftercare review', ctx, [
    `Your section 117 aftercare was reviewed on ${formatLongDate(review.date)}. ${review.personTookPart ? 'Thank you for taking part.' : 'You did not take part this time. If you would like to talk about the review, please contact your named contact.'}`,
    who === '' ? 'No one else was recorded as taking part.' : `The people who took part were: ${who}.`,
    `The review decided that ${OUTCOME_WORDS[review.outcome]}.`,
    FREE,
  ]);
}

/** Aftercare has ended: the joint decision, the reasons, and how to ask for it back. */
export function endingLetter(ctx: LetterContext, rec: EndingRecommendation): Letter {
  return render('ending', 'Your section 117 aftercare has ended', ctx, [
    `The NHS (${nameOf(ctx, rec.bodies.icb)}) and your council (${nameOf(ctx, rec.bodies.la)}) have both agreed that you no longer need section 117 aftercare. It ends on ${formatLongDate(rec.request.proposedEndDate)}.`,
    `Why: ${rec.request.report.needsNoLongerArise.trim()} ${rec.request.report.readmissionRiskReasoning.trim()}`,
    `Your views, as recorded: "${rec.request.report.personViews.trim()}"`,
    'If you disagree, or if you start to need help again, contact your council or your GP. Aftercare can be started again if it ended too soon, and if you are kept in hospital again under a section that gives a right to aftercare, that right starts again when you leave.',
    'You can also complain, and you can ask an advocate to help you.',
  ]);
}
