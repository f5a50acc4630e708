/**
 * Letters to the person (R-ELIG-2, R-DEF-1, R-CHG-1, R-END-1, R-END-8, R-REVIEW-1): plain words, free of charge,
 * both bodies named, and the HTML escapes what the register holds.
 */
import { describe, expect, it } from 'vitest';
import {
  COMPLAINT_ROUTES,
  endingLetter,
  endingProposedLetter,
  entitlementLetter,
  fundingChangeLetter,
  planLetter,
  reviewDueLetter,
  reviewLetter,
  TEMPLATE_VERSIONS,
  type LetterContext,
} from '#domain/register/letters.ts';
import { planContent } from '../../support/plan-builder.ts';
import type { Episode, RegisterBody } from '#domain/register/register.ts';
import type { EndingRecommendation } from '#domain/register/ending.ts';
import type { Review } from '#domain/register/reviews.ts';

const body = (code: string | null, kind: RegisterBody['kind']): RegisterBody => ({
  body: code,
  kind,
  since: '2024-04-01',
  ruleIds: [],
  reasons: [],
  history: [],
});
const episode = (over: Partial<Episode> = {}): Episode => ({
  id: 'p_aaaaaaaaaaaaaaaaaaaaaaaaaa-e1',
  personRef: 'p_aaaaaaaaaaaaaaaaaaaaaaaaaa',
  n: 1,
  partnershipId: 'P1',
  version: 1,
  createdAt: '2024-04-01T00:00:00.000Z',
  updatedAt: '2024-04-01T00:00:00.000Z',
  detentionFrom: '2024-01-10',
  qualifyingDetention: { section: '3', from: '2024-01-10' },
  dutyArose: '2024-04-01',
  icb: body('ICB-A', 'english-icb'),
  localAuthority: body('LA-A', 'english-la'),
  needsHumanReview: [],
  reviewGeneration: 0,
  fundingChanges: [],
  reminders: [],
  escalations: [],
  ...over,
});
const ctx = (over: Partial<LetterContext> = {}): LetterContext => ({
  date: '2024-04-02',
  episode: episode(),
  bodyNames: { 'ICB-A': 'Anyshire ICB', 'LA-A': 'Anyshire County Council' },
  ...over,
});

describe('entitlement letter', () => {
  it('says why, from when, who, and that it is free (R-ELIG-2, R-CHG-1)', () => {
    const l = entitlementLetter(ctx({ name: 'Sam' }));
    expect(l.kind).toBe('entitlement');
    expect(l.text).toContain('Dear Sam,');
    expect(l.text).toContain('under section 3 of the Mental Health Act from 10 January 2024');
    expect(l.text).toContain('Your right to aftercare started on 1 April 2024, when you left hospital.');
    expect(l.text).toContain('the NHS (Anyshire ICB) and your council (Anyshire County Council)');
    expect(l.text).toContain('Aftercare under section 117 is free.');
    expect(l.text).toContain('We will tell you who your named contact is.');
  });

  it('before leaving hospital, an unknown body, a named contact, no name', () => {
    const l = entitlementLetter(
      ctx({
        episode: episode({ localAuthority: body(null, 'undetermined'), namedPractitioner: { name: 'Jo Bloggs', email: 'jo@example.org' } }),
      }),
    );
    const { dutyArose: _omit, ...rest } = episode();
    void _omit;
    const notYet = entitlementLetter(ctx({ episode: rest }));
    expect(l.text).toContain('Dear Sir or Madam,');
    expect(l.text).toContain('your council (not yet known)');
    expect(l.text).toContain('Your named contact is Jo Bloggs. You can contact them about your aftercare at jo@example.org.');
    expect(notYet.text).toContain('Your aftercare will start when you leave hospital.');
  });

  it('a code with no name is shown as the code', () => {
    expect(entitlementLetter(ctx({ bodyNames: {} })).text).toContain('the NHS (ICB-A)');
  });

  it('escapes the register’s text in HTML', () => {
    const l = entitlementLetter(ctx({ name: '<b>Sam & "Co"</b>' }));
    expect(l.html).toContain('Dear &lt;b&gt;Sam &amp; &quot;Co&quot;&lt;/b&gt;,');
    expect(l.html).not.toContain('<b>Sam');
    expect(l.html.startsWith('<!doctype html>')).toBe(true);
  });
});

describe('review letter (R-REVIEW-1)', () => {
  const review = (over: Partial<Review> = {}): Review => ({
    id: 'R-1',
    date: '2024-05-01',
    outcome: 'continue',
    personTookPart: true,
    participants: [{ name: 'Dr A', role: 'responsible clinician' }] as Review['participants'],
    recordedAt: '2024-05-01T10:00:00.000Z',
    recordedBy: { userId: 'u1', org: 'LA-A' },
    ...over,
  });
  it.each([
    { outcome: 'continue' as const, words: 'your aftercare carries on as it is' },
    { outcome: 'change-plan' as const, words: 'your care plan will change' },
    { outcome: 'recommend-ending' as const, words: 'Nothing stops yet: both the NHS and your council have to agree' },
  ])('$outcome', ({ outcome, words }) => {
    const l = reviewLetter(ctx(), review({ outcome }));
    expect(l.text).toContain(words);
    expect(l.text).toContain('reviewed on 1 May 2024. Thank you for taking part.');
    expect(l.text).toContain('Dr A (responsible clinician)');
  });

  it('a review without the person and without others says so', () => {
    const l = reviewLetter(ctx(), review({ personTookPart: false, participants: [] }));
    expect(l.text).toContain('You did not take part this time.');
    expect(l.text).toContain('No one else was recorded as taking part.');
  });
});

describe('ending letter (R-END-1, R-END-8)', () => {
  it('both bodies agreed, the reasons, the person’s views, and how to get aftercare back', () => {
    const rec = {
      bodies: { icb: 'ICB-A', la: 'LA-A' },
      request: {
        proposedEndDate: '2024-06-01',
        reasons: ['no-longer-needs-aftercare'],
        report: {
          needsNoLongerArise: ' Needs met. ',
          readmissionRiskReasoning: 'Stable. ',
          personViews: ' Happy to stop. ',
          personInvolved: true,
        },
      },
    } as unknown as EndingRecommendation;
    const l = endingLetter(ctx(), rec);
    expect(l.subject).toBe('Your section 117 aftercare has ended');
    expect(l.text).toContain('have both agreed that you no longer need section 117 aftercare. It ends on 1 June 2024.');
    expect(l.text).toContain('Why: Needs met. Stable.');
    expect(l.text).toContain('Your views, as recorded: "Happy to stop."');
    expect(l.text).toContain('Aftercare can be started again if it ended too soon');
  });
});

describe('every letter in four versions, with its template version and the complaint routes (issue 17 item 3)', () => {
  const plan = {
    ...planContent(),
    id: 'v1',
    episodeId: episode().id,
    version: 2,
    recordedAt: '2025-03-11T09:00:00.000Z',
    recordedBy: { userId: 'u1', org: 'LA-A' },
  };
  const writers = [
    ['entitlement', (c: LetterContext) => entitlementLetter(c)],
    ['plan', (c: LetterContext) => planLetter(c, plan)],
    ['review-due', (c: LetterContext) => reviewDueLetter(c, '2024-05-13')],
    [
      'funding-change',
      (c: LetterContext) => fundingChangeLetter(c, { from: '2024-06-01', whatChanges: 'Your day service moves to Tuesdays.' }),
    ],
    ['ending-proposed', (c: LetterContext) => endingProposedLetter(c, '2024-09-30')],
  ] as const;

  it.each(writers)('%s: standard names the bodies’ complaints processes, PALS and both Ombudsmen', (kind, write) => {
    const l = write(ctx({ name: 'Sam' }));
    expect([l.kind, l.variant, l.templateVersion, l.largePrint]).toStrictEqual([kind, 'standard', TEMPLATE_VERSIONS[kind], false]);
    expect(l.text).toContain(
      'You can complain to the NHS (Anyshire ICB) or to your council (Anyshire County Council). Each has a complaints process',
    );
    for (const route of COMPLAINT_ROUTES) expect(l.text).toContain(route);
  });

  it.each(writers)('%s: large print is the same words in large type', (_kind, write) => {
    const standard = write(ctx({ name: 'Sam' }));
    const large = write(ctx({ name: 'Sam', variant: 'large-print' }));
    expect(large.largePrint).toBe(true);
    expect(large.sections).toStrictEqual(standard.sections);
    expect(large.html).toContain('font-size:1.5em');
  });

  it.each(writers)('%s: easy read is short sentences, with the Ombudsmen in plain words', (_kind, write) => {
    const l = write(ctx({ name: 'Sam', variant: 'easy-read' }));
    expect(l.greeting).toBe('Hello Sam,');
    expect(l.sections.map((s) => s.heading)).toStrictEqual(['About this letter', 'If you are not happy']);
    const sentences = l.sections.flatMap((s) => s.paragraphs).flatMap((p) => p.split(/(?<=\.) /));
    // Easy read: no sentence longer than 25 words (the standard version's are up to twice that).
    expect(Math.max(...sentences.map((s) => s.split(/\s+/).length))).toBeLessThanOrEqual(25);
    expect(l.text).toContain('Parliamentary and Health Service Ombudsman');
    expect(l.text).toContain('Local Government and Social Care Ombudsman');
  });

  it.each(writers)('%s: the carer’s copy says why they have it, then the letter', (_kind, write) => {
    const l = write(ctx({ name: 'Sam', variant: 'carer', carer: { name: 'Jo', relationship: 'mother' } }));
    expect(l.greeting).toBe('Dear Jo,');
    expect(l.subject.startsWith('Copy for you: ')).toBe(true);
    expect(l.sections[0]).toStrictEqual({
      heading: 'Why you have this copy',
      paragraphs: [
        'This is a copy of a letter we have sent to Sam about their section 117 aftercare. We are sending it to you as their mother because they agreed that we may share it with you. The letter below is written to them.',
      ],
    });
  });

  it('the plan letter carries the plan: needs, services, coordinator, meeting, crisis, accommodation, next review', () => {
    const l = planLetter(ctx(), plan);
    expect(l.subject).toBe('Your aftercare plan (version 2)');
    expect(l.text).toContain('It was agreed at a planning meeting on 5 March 2025.');
    expect(l.text).toContain('You took part in the meeting. Your carer took part.');
    expect(l.text).toContain('- Keeping well\n- Managing a tenancy');
    expect(l.text).toContain('- Weekly CMHT visits, from CMHT (for: Keeping well)');
    expect(l.text).toContain('Your care coordinator is Sam Coordinator (Care coordinator). You can contact them at sam@example.org.');
    expect(l.text).toContain('Crisis line 0800 000 0000.');
    expect(l.text).toContain('Own flat');
    expect(l.text).toContain('Your plan will be reviewed with you by 5 June 2025.');
  });

  it('the entitlement letter says it is free and who to contact, in easy read too', () => {
    const l = entitlementLetter(
      ctx({ variant: 'easy-read', episode: episode({ namedPractitioner: { name: 'Jo Bloggs', email: 'jo@example.org' } }) }),
    );
    expect(l.text).toContain('Aftercare is free. You do not pay for it.');
    expect(l.text).toContain('Your named contact is Jo Bloggs. Their email is jo@example.org.');
  });
});
