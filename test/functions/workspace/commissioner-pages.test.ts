/**
 * Commissioners' pages (issue 16, item 2): the list and one application, the answer form through the API's use case
 * and validation (the same problem details, as an NHS.UK error summary), refused to other roles with a 403 page and
 * to a missing or wrong CSRF token; every value escaped.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { daysWaiting, waitingOn } from '#functions/workspace/commissioner.ts';
import { application } from '../../support/application-builder.ts';
import { pageHarness, type PageHarness } from './support.ts';

let h: PageHarness;

beforeEach(async () => {
  h = pageHarness();
  // The clock reads 2024-06-01; the person was ready from 2024-05-20.
  await h.api.applications.create(
    application({ requestedStartDate: '2024-05-20', person: { nhsNumber: '9434765919', name: '<script>alert(1)</script>' } }),
  );
});

describe('the applications page', () => {
  it('lists the organisation’s applications with status, who is waiting on whom and days waiting', async () => {
    const { cookie } = await h.signIn('LA-A', 'commissioner');
    const response = await h.get('/app/applications', cookie);

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<a href="/app/applications/app_1">app_1</a>');
    expect(response.body).toContain('Awaiting answers');
    expect(response.body).toMatch(/ICB-A \(ICB\) to answer; LA-A \(council\) to answer|LA-A \(council\) to answer/);
    expect(response.body).toContain('Days waiting </span>12\n');
  });

  it('escapes what it shows', async () => {
    const { cookie } = await h.signIn('LA-A', 'commissioner');
    const body = (await h.get('/app/applications', cookie)).body;

    expect(body).not.toContain('<script>alert(1)</script>');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows another organisation nothing, and refuses a finance user with a 403 page', async () => {
    const other = await h.signIn('ICB-B', 'commissioner');
    expect((await h.get('/app/applications', other.cookie)).body).toContain('Your organisation is not a party to any application.');
    expect((await h.get('/app/applications/app_1', other.cookie)).statusCode).toBe(404);

    const finance = await h.signIn('LA-A', 'finance');
    const refused = await h.get('/app/applications', finance.cookie);
    expect([refused.statusCode, refused.body.includes('You cannot use this page')]).toStrictEqual([403, true]);
    expect((await h.post('/app/applications/app_1/answer', { csrf: finance.csrf, decision: 'accept' }, finance.cookie)).statusCode).toBe(
      403,
    );
  });

  it('sends a visitor without a session to sign in, and back', async () => {
    const response = await h.get('/app/applications/app_1');
    expect([response.statusCode, response.headers['location']]).toStrictEqual([303, '/app/sign-in?returnTo=%2Fapp%2Fapplications%2Fapp_1']);
  });
});

describe('one application and its answer form', () => {
  it('shows the determination, funding, responses, chronology and a form with the CSRF token', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const body = (await h.get('/app/applications/app_1', cookie)).body;

    for (const heading of ['Determination', 'Funding timeline', 'Responses', 'Answer for your body', 'Chronology'])
      expect(body).toContain(`>${heading}</h2>`);
    expect(body).toContain('NHS number 9434765919');
    expect(body).toContain('<form method="post" action="/app/applications/app_1/answer" novalidate>');
    expect(body).toContain(`<input type="hidden" name="csrf" value="${csrf}">`);
  });

  it('refuses an answer without the session’s CSRF token and records nothing', async () => {
    const { cookie } = await h.signIn('LA-A', 'commissioner');
    for (const form of [{ decision: 'accept' }, { decision: 'accept', csrf: 'forged' }]) {
      const response = await h.post('/app/applications/app_1/answer', form, cookie);
      expect([response.statusCode, response.body.includes('This form has expired')]).toStrictEqual([403, true]);
    }
    expect((await h.api.applications.get('app_1'))?.responses).toStrictEqual({});
  });

  it('shows the API’s validation as an error summary linked to the field, keeping what was typed', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const response = await h.post('/app/applications/app_1/answer', { csrf, decision: 'dispute', reason: '', proposedBody: 'x<y' }, cookie);

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<title>Error: Application app_1 - s117 workspace</title>');
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain('<a href="#reason">');
    expect(response.body).toContain('Reasons is required when the decision is dispute');
    expect(response.body).toContain('<a href="#proposedBody">');
    expect(response.body).toContain('value="x&lt;y"');
    expect((await h.api.applications.get('app_1'))?.responses).toStrictEqual({});
  });

  it('shows a domain refusal (a proposed body outside the partnership) in the API’s words', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const response = await h.post(
      '/app/applications/app_1/answer',
      { csrf, decision: 'dispute', reason: 'She lived elsewhere.', proposedBody: 'LA-N' },
      cookie,
    );

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('The body you say is responsible is not an organisation of the application&#39;s partnership');
  });

  it('records an accepted answer through the API’s use case and shows it', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const response = await h.post('/app/applications/app_1/answer', { csrf, decision: 'accept', about: 'responsibility' }, cookie);

    expect([response.statusCode, response.headers['location']]).toStrictEqual([303, '/app/applications/app_1#answer']);
    expect((await h.api.applications.get('app_1'))?.responses.la?.decision).toBe('accept');
    const after = (await h.get('/app/applications/app_1', cookie)).body;
    expect(after).toContain('LA-A answered on 2024-06-01.');
    expect(after).toContain('response recorded');
  });
});

describe('waiting', () => {
  it('names the bodies yet to answer, and nobody once agreed', () => {
    const app = application();
    expect(waitingOn(app)).toContain('to answer');
    expect(waitingOn({ ...app, status: 'agreed' })).toBe('Nobody');
    expect(waitingOn({ ...app, status: 'in-dispute' })).toBe('The dispute process');
  });

  it('counts days from the requested start while open', () => {
    expect(daysWaiting({ status: 'interim', requestedStartDate: '2024-05-20' }, '2024-06-01')).toBe(12);
    expect(daysWaiting({ status: 'interim', requestedStartDate: '2024-06-20' }, '2024-06-01')).toBeNull();
    expect(daysWaiting({ status: 'settled', requestedStartDate: '2024-05-20' }, '2024-06-01')).toBeNull();
  });
});
