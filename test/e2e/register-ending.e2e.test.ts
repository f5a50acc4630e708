/**
 * Ending aftercare through the joint panel, end to end through the local runtime: a recommendation to end (the
 * demo partnership has a panel) starts the ending-recommendation workflow, the panel members are mailed (SES
 * store), two of them decide on the approval page (GET, choose, confirm with the page's form token), and the
 * episode ends for both bodies, with the ending letter to the person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '#domain/dates.ts';
import type { RuntimeHandles } from '#local/runtime.ts';
import { eventually } from '../local/support.ts';
import { call, commissioner, type Api, startApp, type App } from './support.ts';

let app: App;
let runtime: RuntimeHandles;
let api: Api;
const worcestershire = commissioner('E10000034');
const qgh = commissioner('QGH');
const T0 = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
  new Date(),
);
const d = (days: number): string => addDays(T0, days);

interface Mail {
  destination: { to: string[] };
  subject: string;
  body: { text: string; html: string };
}
const mailbox = async (): Promise<Mail[]> => ((await (await fetch(`${runtime.ses.url}/store`)).json()) as { emails: Mail[] }).emails;
const linkIn = (mail: Mail | undefined): string => /See the case and decide: (\S+)/.exec(mail?.body.text ?? '')?.[1] ?? '';
const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });

beforeAll(async () => {
  app = await startApp('register-ending', { clock: 'virtual' });
  ({ runtime, api } = app);
});

afterAll(() => app.stop());

/** GET the page, choose, confirm: as a member does from the mail. */
async function decide(link: string, decision: string): Promise<string> {
  const page = await fetch(link);
  expect(page.status).toBe(200);
  const confirm = await postForm(link, { csrf: csrfOf(await page.text()), decision });
  expect(confirm.status).toBe(200);
  const recorded = await postForm(link, { csrf: csrfOf(await confirm.text()), decision, confirm: 'yes' });
  expect(recorded.status).toBe(200);
  return recorded.text();
}

describe('ending aftercare through the joint panel, through the local runtime', () => {
  it('a recommendation goes to the panel, two members approve on the approval page, and the episode ends for both bodies', async () => {
    const created = await call(api, 'POST', '/v1/register/people', {
      as: worcestershire,
      body: {
        nhsNumber: '401 023 2137',
        name: 'Robin Example',
        events: [
          {
            type: 'residence',
            from: '2018-01-01',
            area: { country: 'england', la: 'E10000034', icb: 'QGH' },
            setting: 'own-home',
            basis: 'own-choice',
          },
          { type: 'gp-registration', from: '2018-01-01', icb: 'QGH' },
          { type: 'detention', from: d(-120), section: '3' },
          { type: 'detention-ended', date: d(-60), outcome: 'discharged' },
          { type: 'left-hospital', date: d(-60) },
        ],
      },
    });
    expect(created.status).toBe(201);
    const personRef = String(created.body['personRef']);
    const episodeId = `${personRef}-e1`;

    const recommendation = {
      proposedEndDate: d(7),
      reasons: ['no-longer-needs-aftercare'],
      report: {
        personViews: 'I am ready to manage with my GP.',
        personInvolved: true,
        needsNoLongerArise: 'No specialist input needed for a year.',
        readmissionRiskReasoning: 'Crisis plan agreed; stable through two stressful events.',
        responsibleClinician: { name: 'Dr Patel', confirmed: true, date: d(-3) },
        socialCareManager: { name: 'Sam Carter', council: 'E10000034', confirmed: true, date: d(-2) },
        involvement: { date: d(-3), form: 'review-meeting', supportedBy: ['advocate'] },
        personLetterSentOn: d(-2),
      },
    };
    // Both bodies consider ending at a joint review first (R-END-6): an ending no review considered is refused.
    const unreviewed = await call(api, 'POST', `/v1/register/episodes/${episodeId}/ending-recommendations`, {
      as: qgh,
      body: recommendation,
    });
    expect([unreviewed.status, (unreviewed.body['errors'] as { field: string }[]).map((e) => e.field)]).toStrictEqual([
      422,
      ['body.report.jointReviewId'],
    ]);
    const review = await call(api, 'POST', `/v1/register/episodes/${episodeId}/reviews`, {
      as: qgh,
      body: {
        date: d(-2),
        outcome: 'recommend-ending',
        personTookPart: true,
        participants: [
          { name: 'Dr Patel', role: 'responsible clinician' },
          { name: 'Sam Carter', role: 'social care manager' },
        ],
      },
    });
    expect(review.status).toBe(201);

    const recommended = await call(api, 'POST', `/v1/register/episodes/${episodeId}/ending-recommendations`, {
      as: qgh,
      body: recommendation,
    });
    expect(recommended.status).toBe(201);
    expect([recommended.body['route'], recommended.body['state']]).toStrictEqual(['panel', 'awaiting-panel']);
    const recommendationId = String(recommended.body['id']);
    // The bodies are told it went to the panel; they do not decide through the API.
    const refused = await call(api, 'POST', `/v1/register/episodes/${episodeId}/ending-decisions`, {
      as: qgh,
      body: { recommendationId, agree: true },
    });
    expect(refused.status).toBe(409);

    const invitations = await eventually(
      async () => {
        const found = (await mailbox()).filter((m) => m.subject === `s117 panel: your decision is needed (${episodeId})`);
        return found.length === 4 ? new Map(found.map((m) => [m.destination.to[0] ?? '', m])) : undefined;
      },
      'four panel invitations',
      20_000,
    );
    expect([...invitations.keys()].sort()).toStrictEqual([
      'fiona.grant@swindon.example.gov.uk',
      'helen.marsh@qox.example.nhs.uk',
      'mark.tolley@worcestershire.example.gov.uk',
      'tom.beddoes@qgh.example.nhs.uk',
    ]);
    const tom = linkIn(invitations.get('tom.beddoes@qgh.example.nhs.uk'));
    const mark = linkIn(invitations.get('mark.tolley@worcestershire.example.gov.uk'));
    expect(tom).toMatch(new RegExp(`^${runtime.api.url}/approvals/[A-Za-z0-9_-]{32}$`));

    const page = await (await fetch(tom)).text();
    expect(page).toContain(`Register episode <strong>${episodeId}</strong>`);
    expect(page).toContain('Why readmission is not a risk: Crisis plan agreed; stable through two stressful events.');
    expect(page).not.toMatch(/4010232137|401 023 2137|Robin Example|<script/);

    await decide(tom, 'approve');
    const halfway = (await call(api, 'GET', `/v1/register/episodes/${episodeId}`, { as: qgh })).body;
    expect([halfway['ended'], (halfway['endingRecommendations'] as { state: string }[])[0]?.state]).toStrictEqual([
      undefined,
      'awaiting-panel',
    ]);
    expect(await decide(mark, 'approve')).toContain('Thank you: your decision is recorded');

    const view = await eventually(
      async () => {
        const reply = await call(api, 'GET', `/v1/register/episodes/${episodeId}?asOf=${d(8)}`, { as: worcestershire });
        return reply.body['status'] === 'ended' ? reply.body : undefined;
      },
      'the episode ended by the panel',
      20_000,
    );
    expect(view['ended']).toStrictEqual({ date: d(7), by: 'joint-decision', personInvolved: true });
    const [rec] = view['endingRecommendations'] as {
      state: string;
      decisions: Record<string, { body: string; by: string }>;
      panel: { outcome: string; votes: { memberId: string }[] };
    }[];
    expect([
      rec?.state,
      rec?.decisions['icb']?.body,
      rec?.decisions['icb']?.by,
      rec?.decisions['la']?.body,
      rec?.decisions['la']?.by,
    ]).toStrictEqual(['agreed', 'QGH', 'panel:qgh-panel', 'E10000034', 'panel:e10000034-panel']);
    expect([rec?.panel.outcome, rec?.panel.votes.map((v) => v.memberId)]).toStrictEqual(['approved', ['qgh-panel', 'e10000034-panel']]);

    const letter = await call(api, 'GET', `/v1/register/episodes/${episodeId}/letters/ending?asOf=${d(8)}`, { as: worcestershire });
    expect(letter.status).toBe(200);
    expect(String(letter.body['text'])).toContain('Dear Robin Example,');
    for (const m of await mailbox())
      expect(`${m.body.text}${m.body.html}`).not.toMatch(/4010232137|401 023 2137|Robin Example|sfnlocal-tt|taskToken/);
  }, 60_000);
});
