/**
 * Letters to the person about their s117 aftercare, in plain English: that they are entitled, their aftercare
 * plan, that a review is coming, what a review decided, a funding decision that changes what they receive, that
 * ending is being considered, and that aftercare has ended. Each letter comes in four versions (standard, large
 * print, easy read, and a carer's copy), carries the version of the template it was written from, and names the
 * routes of complaint. The letter is for the person, so it may use their name from the register; callers must
 * never log it. What a letter says is decided here; rendering (HTML pages, PDF) and sending are the functions'.
 * @see rules.md R-ELIG-2, R-DEF-1, R-CHG-1, R-END-1, R-END-3, R-END-5, R-REVIEW-1, R-PLAN-1
 */
import { formatLongDate, type LocalDate } from '../dates.ts';
import type { EndingRecommendation } from './ending.ts';
import type { AftercarePlan } from './plan.ts';
import type { Episode } from './register.ts';
import type { Review } from './reviews.ts';

export const LETTER_KINDS = ['entitlement', 'plan', 'review-due', 'review', 'funding-change', 'ending-proposed', 'ending'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

/** Standard; large print (the same words, 16-point type); easy read (short sentences); a copy for a carer. */
export const LETTER_VARIANTS = ['standard', 'large-print', 'easy-read', 'carer'] as const;
export type LetterVariant = (typeof LETTER_VARIANTS)[number];

/**
 * The version of each letter's words. Bump a kind's version whenever its wording changes: every letter sent is
 * recorded with the version it was written from, so what the person was told can be shown later.
 */
export const TEMPLATE_VERSIONS: Readonly<Record<LetterKind, string>> = Object.freeze({
  entitlement: '2026-12.2',
  plan: '2026-12.1',
  'review-due': '2026-12.1',
  review: '2026-12.2',
  'funding-change': '2026-12.1',
  'ending-proposed': '2026-12.1',
  ending: '2026-12.2',
});

export interface LetterSection {
  heading: string;
  paragraphs: string[];
  list?: string[];
}

export interface Letter {
  kind: LetterKind;
  variant: LetterVariant;
  templateVersion: string;
  subject: string;
  /** Large print: the renderers use 16-point (PDF) or larger (HTML) type. */
  largePrint: boolean;
  date: LocalDate;
  greeting: string;
  sections: LetterSection[];
  signOff: string[];
  /** The whole letter as plain text (a mail's text part). */
  text: string;
  /** The whole letter as simple, self-contained HTML (a mail's HTML part); every value escaped. */
  html: string;
}

export interface LetterContext {
  /** The person's name, if the register holds it; "Dear Sir or Madam" otherwise. */
  name?: string;
  date: LocalDate;
  episode: Episode;
  /** Names of the bodies, by code. */
  bodyNames: Readonly<Record<string, string>>;
  /** Standard when absent. */
  variant?: LetterVariant;
  /** For the carer's copy: to whom, and their relationship to the person. */
  carer?: { name: string; relationship: string };
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const nameOf = (ctx: LetterContext, code: string | null): string => (code === null ? 'not yet known' : (ctx.bodyNames[code] ?? code));

const FREE = 'Aftercare under section 117 is free. Nobody can charge you for it, whatever your income or savings.';

/** The complaint routes every letter names: the bodies' own processes, PALS, and the two Ombudsmen. */
export const COMPLAINT_ROUTES = [
  'complaints process',
  'Patient Advice and Liaison Service (PALS)',
  'Parliamentary and Health Service Ombudsman',
  'Local Government and Social Care Ombudsman',
] as const;

function complaintsSection(ctx: LetterContext): LetterSection {
  const nhs = nameOf(ctx, ctx.episode.icb.body);
  const council = nameOf(ctx, ctx.episode.localAuthority.body);
  return {
    heading: 'If you are unhappy or want to complain',
    paragraphs: [
      'Please talk to your named contact first if you can. Most problems can be put right quickly.',
      `You can complain to the NHS (${nhs}) or to your council (${council}). Each has a complaints process and must tell you how it works. You do not have to work out which of them is responsible: either can take your complaint.`,
      'For NHS services, the Patient Advice and Liaison Service (PALS) can help you sort out a problem or make a complaint.',
      'If you are still unhappy when your complaint has been answered, you can ask an Ombudsman to look at it. They are free and independent. For the NHS, it is the Parliamentary and Health Service Ombudsman (www.ombudsman.org.uk). For the council, it is the Local Government and Social Care Ombudsman (www.lgo.org.uk). They can look at a complaint about both together.',
      'An advocate can help you say what you want, or make a complaint. Ask your named contact or your council how to find one.',
    ],
  };
}

const EASY_COMPLAINTS: LetterSection = {
  heading: 'If you are not happy',
  paragraphs: [
    'Tell your named contact.',
    'You can complain to the NHS or to your council.',
    'PALS can help with problems about the NHS.',
    'If you are still not happy, an Ombudsman can look at it. The Parliamentary and Health Service Ombudsman looks at the NHS. The Local Government and Social Care Ombudsman looks at councils. It is free.',
    'An advocate can help you.',
  ],
};

/** What one kind of letter says: its subject, its sections in standard English, and its easy-read sentences. */
interface LetterContent {
  subject: string;
  sections: LetterSection[];
  easyRead: string[];
}

function toText(l: Omit<Letter, 'text' | 'html'>): string {
  const lines: string[] = [l.subject, '', formatLongDate(l.date), '', l.greeting, ''];
  for (const s of l.sections) {
    lines.push(s.heading, '');
    for (const p of s.paragraphs) lines.push(p, '');
    if (s.list !== undefined && s.list.length > 0) lines.push(...s.list.map((item) => `- ${item}`), '');
  }
  lines.push(...l.signOff);
  return `${lines.join('\n')}\n`;
}

function toHtml(l: Omit<Letter, 'text' | 'html'>): string {
  const size = l.largePrint ? '1.5em' : '1em';
  const sections = l.sections
    .map(
      (s) =>
        `<h2>${escapeHtml(s.heading)}</h2>` +
        s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
        (s.list === undefined || s.list.length === 0 ? '' : `<ul>${s.list.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`),
    )
    .join('');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(l.subject)}</title></head>` +
    `<body style="font-family:Arial,sans-serif;max-width:40em;line-height:1.5;font-size:${size}"><h1 style="font-size:1.3em">${escapeHtml(l.subject)}</h1>` +
    `<p>${escapeHtml(formatLongDate(l.date))}</p><p>${escapeHtml(l.greeting)}</p>${sections}` +
    l.signOff.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
    '</body></html>'
  );
}

function compose(kind: LetterKind, ctx: LetterContext, content: LetterContent): Letter {
  const variant = ctx.variant ?? 'standard';
  const personGreeting = ctx.name === undefined ? 'Dear Sir or Madam,' : `Dear ${ctx.name},`;
  let greeting = personGreeting;
  let sections: LetterSection[];
  if (variant === 'easy-read') {
    greeting = ctx.name === undefined ? 'Hello,' : `Hello ${ctx.name},`;
    sections = [{ heading: 'About this letter', paragraphs: content.easyRead }, EASY_COMPLAINTS];
  } else if (variant === 'carer') {
    greeting = ctx.carer === undefined ? 'Dear carer,' : `Dear ${ctx.carer.name},`;
    const whose = ctx.name ?? 'the person you support';
    const as = ctx.carer === undefined ? 'someone who supports them' : `their ${ctx.carer.relationship}`;
    sections = [
      {
        heading: 'Why you have this copy',
        paragraphs: [
          `This is a copy of a letter we have sent to ${whose} about their section 117 aftercare. We are sending it to you as ${as} because they agreed that we may share it with you. The letter below is written to them.`,
        ],
      },
      ...content.sections,
      complaintsSection(ctx),
    ];
  } else {
    sections = [...content.sections, complaintsSection(ctx)];
  }
  const base = {
    kind,
    variant,
    templateVersion: TEMPLATE_VERSIONS[kind],
    subject: variant === 'carer' ? `Copy for you: ${content.subject}` : content.subject,
    largePrint: variant === 'large-print',
    date: ctx.date,
    greeting,
    sections,
    signOff: ['Yours sincerely,', 'The section 117 aftercare team'],
  };
  return { ...base, text: toText(base), html: toHtml(base) };
}

/** You are entitled to aftercare: why, from when, who provides it, that it is free, and who the contact is. */
export function entitlementLetter(ctx: LetterContext): Letter {
  const e = ctx.episode;
  const arose =
    e.dutyArose === undefined
      ? 'Your aftercare will start when you leave hospital. The people planning your discharge should talk to you about it now.'
      : `Your right to aftercare started on ${formatLongDate(e.dutyArose)}, when you left hospital.`;
  const contact =
    e.namedPractitioner === undefined
      ? 'We will tell you who your named contact is.'
      : `Your named contact is ${e.namedPractitioner.name}. You can contact them about your aftercare at ${e.namedPractitioner.email}.`;
  return compose('entitlement', ctx, {
    subject: 'Your right to free aftercare (section 117 of the Mental Health Act)',
    sections: [
      {
        heading: 'Your right to aftercare',
        paragraphs: [
          `You were kept in hospital under section ${e.qualifyingDetention.section} of the Mental Health Act from ${formatLongDate(e.qualifyingDetention.from)}. Because of this, you have a right to aftercare: help and services to meet needs that come from your mental health condition, and to help you stay well and out of hospital.`,
          arose,
          `Two organisations are responsible for your aftercare: the NHS (${nameOf(ctx, e.icb.body)}) and your council (${nameOf(ctx, e.localAuthority.body)}). They work together and should agree a care plan with you.`,
          FREE,
        ],
      },
      {
        heading: 'Who to contact',
        paragraphs: [
          contact,
          'Your aftercare will be reviewed with you regularly: first within a few weeks of leaving hospital, then at least once a year. You can bring someone with you, such as a family member, a carer or an advocate.',
        ],
      },
    ],
    easyRead: [
      'You were in hospital under the Mental Health Act.',
      'This means you can have help after hospital. This help is called aftercare.',
      'Aftercare is free. You do not pay for it.',
      'The NHS and your council will plan your aftercare with you.',
      e.namedPractitioner === undefined
        ? 'We will tell you who to contact.'
        : `Your named contact is ${e.namedPractitioner.name}. Their email is ${e.namedPractitioner.email}.`,
      'We will check your aftercare with you. You can bring someone with you.',
    ],
  });
}

/** The aftercare plan as agreed: needs, services, coordinator, meeting, crisis arrangements, accommodation, next review. */
export function planLetter(ctx: LetterContext, plan: AftercarePlan): Letter {
  const m = plan.meeting;
  const tookPart = (who: boolean | null, yes: string, no: string): string[] => (who === null ? [] : [who ? yes : no]);
  const needById = new Map(plan.needs.map((n) => [n.id, n.description]));
  return compose('plan', ctx, {
    subject: `Your aftercare plan (version ${plan.version})`,
    sections: [
      {
        heading: 'Your plan',
        paragraphs: [
          `This is your section 117 aftercare plan, version ${plan.version}. It was agreed at a planning meeting on ${formatLongDate(m.date)}.`,
          [
            m.personTookPart
              ? 'You took part in the meeting.'
              : 'You did not take part in the meeting. Please tell your care coordinator if anything in this plan is wrong or missing.',
            ...tookPart(m.carerTookPart, 'Your carer took part.', 'Your carer did not take part.'),
            ...tookPart(m.advocateTookPart, 'Your advocate took part.', 'Your advocate did not take part.'),
          ].join(' '),
          `The people at the meeting were: ${m.attendees.map((a) => `${a.name} (${a.role})`).join(', ')}.`,
        ],
      },
      { heading: 'What you need help with', paragraphs: [], list: plan.needs.map((n) => n.description) },
      {
        heading: 'The help you will get',
        paragraphs: [FREE],
        list: plan.services.map(
          (s) => `${s.description}, from ${s.provider.name} (for: ${s.needIds.map((id) => needById.get(id) ?? id).join('; ')})`,
        ),
      },
      {
        heading: 'Your care coordinator',
        paragraphs: [
          `Your care coordinator is ${plan.careCoordinator.name} (${plan.careCoordinator.role}). You can contact them at ${plan.careCoordinator.email}.`,
        ],
      },
      { heading: 'If things get difficult or you are in crisis', paragraphs: [plan.crisis.contacts, plan.crisis.contingency] },
      { heading: 'Where you live', paragraphs: [plan.accommodation.description] },
      {
        heading: 'Your next review',
        paragraphs: [
          `Your plan will be reviewed with you by ${formatLongDate(plan.nextReview)}. You can ask for a review sooner if things change.`,
        ],
      },
    ],
    easyRead: [
      'This is your aftercare plan.',
      `We made it at a meeting on ${formatLongDate(m.date)}.`,
      'You need help with:',
      ...plan.needs.map((n) => `- ${n.description}`),
      'You will get:',
      ...plan.services.map((s) => `- ${s.description} from ${s.provider.name}`),
      'This help is free.',
      `Your care coordinator is ${plan.careCoordinator.name}. Their email is ${plan.careCoordinator.email}.`,
      `If you are in crisis: ${plan.crisis.contacts}`,
      `We will check your plan with you by ${formatLongDate(plan.nextReview)}.`,
    ],
  });
}

/** A review is coming: by when, what it is for, and that the person can take part and bring someone. */
export function reviewDueLetter(ctx: LetterContext, due: LocalDate): Letter {
  return compose('review-due', ctx, {
    subject: 'Your aftercare review is coming up',
    sections: [
      {
        heading: 'Your review',
        paragraphs: [
          `Your section 117 aftercare is due to be reviewed by ${formatLongDate(due)}. Your named contact will arrange a time with you.`,
          'The review looks at how your aftercare is going: what is working, what is not, and whether your plan needs to change. Your views matter most. You can bring someone with you, such as a family member, a carer or an advocate.',
          'A review does not mean your aftercare will stop. It can only end if both the NHS and your council agree that you no longer need it, after talking with you.',
          FREE,
        ],
      },
    ],
    easyRead: [
      `We will check your aftercare by ${formatLongDate(due)}.`,
      'We will ask what is good and what is not good.',
      'You can bring someone with you.',
      'Your aftercare will not stop just because of this check.',
      'Aftercare is free.',
    ],
  });
}

const OUTCOME_WORDS: Record<Review['outcome'], string> = {
  continue: 'your aftercare carries on as it is',
  'change-plan': 'your care plan will change; your named contact will go through the changes with you',
  'recommend-ending':
    'the people at the review think you may no longer need aftercare. Nothing stops yet: both the NHS and your council have to agree, and they must listen to your views first',
};

const EASY_OUTCOME: Record<Review['outcome'], string> = {
  continue: 'Your aftercare will carry on the same.',
  'change-plan': 'Your plan will change. Your named contact will tell you how.',
  'recommend-ending': 'Some people think you may not need aftercare any more. Nothing stops yet. We will ask you what you think.',
};

/** What the review on a date decided, and who took part. */
export function reviewLetter(ctx: LetterContext, review: Review): Letter {
  const who = review.participants.map((p) => `${p.name} (${p.role})`).join(', ');
  return compose('review', ctx, {
    subject: 'Your aftercare review',
    sections: [
      {
        heading: 'Your review',
        paragraphs: [
          `Your section 117 aftercare was reviewed on ${formatLongDate(review.date)}. ${review.personTookPart ? 'Thank you for taking part.' : 'You did not take part this time. If you would like to talk about the review, please contact your named contact.'}`,
          who === '' ? 'No one else was recorded as taking part.' : `The people who took part were: ${who}.`,
          `The review decided that ${OUTCOME_WORDS[review.outcome]}.`,
          FREE,
        ],
      },
    ],
    easyRead: [`We checked your aftercare on ${formatLongDate(review.date)}.`, EASY_OUTCOME[review.outcome], 'Aftercare is free.'],
  });
}

/** A funding decision changes what the person receives: from when, what changes, and that it stays free. */
export function fundingChangeLetter(ctx: LetterContext, change: { from: LocalDate; whatChanges: string }): Letter {
  return compose('funding-change', ctx, {
    subject: 'A change to your aftercare',
    sections: [
      {
        heading: 'What is changing',
        paragraphs: [
          `The NHS (${nameOf(ctx, ctx.episode.icb.body)}) and your council (${nameOf(ctx, ctx.episode.localAuthority.body)}) have made a decision about your aftercare that changes what you receive from ${formatLongDate(change.from)}.`,
          change.whatChanges,
          FREE,
          'If you disagree with the change, please tell your named contact. You can ask for your plan to be reviewed.',
        ],
      },
    ],
    easyRead: [
      `Your aftercare will change from ${formatLongDate(change.from)}.`,
      change.whatChanges,
      'Aftercare is still free.',
      'If you do not agree, tell your named contact.',
    ],
  });
}

/** Ending is being considered: nothing stops yet, the person must be involved, and how to have a say or challenge it. */
export function endingProposedLetter(ctx: LetterContext, proposedEndDate: LocalDate): Letter {
  return compose('ending-proposed', ctx, {
    subject: 'We are thinking about whether you still need aftercare',
    sections: [
      {
        heading: 'What is happening',
        paragraphs: [
          `The people who plan your aftercare are thinking about whether you still need section 117 aftercare. They have suggested it could end on ${formatLongDate(proposedEndDate)}.`,
          'Nothing stops yet. Aftercare can only end if both the NHS and your council agree that you no longer need it, after a review with you. It cannot end just because you have left specialist mental health services, because time has passed, or because you are no longer on a community treatment order or leave.',
          'You must be fully involved. Please tell your named contact what you think. You can bring a family member, a carer or an advocate, and an advocate can help you say what you want.',
          FREE,
        ],
      },
    ],
    easyRead: [
      'Some people think you may not need aftercare any more.',
      'Nothing stops yet.',
      'The NHS and your council must both agree. They must talk with you first.',
      'Tell your named contact what you think.',
      'An advocate can help you.',
    ],
  });
}

/** Aftercare has ended: the joint decision, the reasons, and how to ask for it back. */
export function endingLetter(ctx: LetterContext, rec: EndingRecommendation): Letter {
  return compose('ending', ctx, {
    subject: 'Your section 117 aftercare has ended',
    sections: [
      {
        heading: 'The decision',
        paragraphs: [
          `The NHS (${nameOf(ctx, rec.bodies.icb)}) and your council (${nameOf(ctx, rec.bodies.la)}) have both agreed that you no longer need section 117 aftercare. It ends on ${formatLongDate(rec.request.proposedEndDate)}.`,
          `Why: ${rec.request.report.needsNoLongerArise.trim()} ${rec.request.report.readmissionRiskReasoning.trim()}`,
          `Your views, as recorded: "${rec.request.report.personViews.trim()}"`,
          'If you disagree, or if you start to need help again, contact your council or your GP. Aftercare can be started again if it ended too soon, and if you are kept in hospital again under a section that gives a right to aftercare, that right starts again when you leave.',
        ],
      },
    ],
    easyRead: [
      `Your aftercare ends on ${formatLongDate(rec.request.proposedEndDate)}.`,
      'The NHS and your council both agreed.',
      'If you do not agree, tell your council or your GP.',
      'If you need help again, aftercare can start again.',
    ],
  });
}

/** A letter as recorded when sent: what, which version of the words, to whom (by role, never an address), how. */
export interface SentLetter {
  /** Stable for (what it is about, kind, recipient): recording it again is a retry. */
  id: string;
  episodeId: string;
  kind: LetterKind;
  variant: LetterVariant;
  templateVersion: string;
  recipient: 'person' | 'gp' | 'provider' | 'carer';
  /** For a carer: their supporter id; for a GP or provider: the organisation's name. */
  recipientName?: string;
  /** Email to the person's or an organisation's mailbox; post: sent to the council's mailbox to print and post. */
  channel: 'email' | 'post';
  /** What the letter is about: a plan version (`plan-v2`), a review due, the episode. */
  about: string;
  sentAt: string;
}
