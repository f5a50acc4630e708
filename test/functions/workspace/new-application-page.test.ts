/**
 * The commissioner's application form (issue 16): the API's schema and use case behind a form, its problems as an
 * NHS.UK error summary linked to the fields, the CSRF token, one application however often it is sent, and a
 * redirect to the application with interim funding in place.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { applicationRequest, poundsToPence } from '#functions/workspace/new-application.ts';
import { pageHarness, type PageHarness } from './support.ts';

let h: PageHarness;

beforeEach(() => {
  h = pageHarness();
});

/** A complete form: lived in LA-A / ICB-A, detained under section 3 in 2024 (the clock reads 2024-06-01). */
const filled = (changes: Record<string, string> = {}): Record<string, string> => ({
  nhsNumber: '943 476 5919',
  name: 'Alex Example',
  partnershipId: 'test',
  requestedStartDate: '2024-06-10',
  residenceFrom: '2000-01-01',
  residenceCountry: 'england',
  residenceLa: 'LA-A',
  residenceIcb: 'ICB-A',
  residenceSetting: 'own-home',
  residenceBasis: 'own-choice',
  gpIcb: 'ICB-A',
  detentionFrom: '2024-01-10',
  detentionSection: '3',
  hospitalLa: 'LA-B',
  hospitalIcb: 'ICB-B',
  serviceDescription: 'Supported living, 24-hour staffed',
  serviceProvider: 'Riverside Care Ltd',
  serviceCategory: 'accommodation',
  weeklyCost: '1,850.00',
  key: 'form-abcdefghijklmnop',
  ...changes,
});

describe('the application form', () => {
  it('shows labelled fields, the CSRF token and an idempotency key to a commissioner', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const response = await h.get('/app/new-application', cookie);

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<form method="post" action="/app/new-application" novalidate id="new-application">');
    expect(response.body).toContain(`<input type="hidden" name="csrf" value="${csrf}">`);
    expect(response.body).toMatch(/<input type="hidden" name="key" value="form-[A-Za-z0-9_-]{10,59}">/);
    for (const id of ['nhsNumber', 'requestedStartDate', 'residenceFrom', 'detentionFrom', 'weeklyCost'])
      expect(response.body).toMatch(new RegExp(`<label class="nhsuk-label" for="${id}">`));
    expect(response.body).toContain('<option value="test" selected>');
  });

  it('refuses a finance user with a 403 page, and a post without the CSRF token', async () => {
    const finance = await h.signIn('LA-A', 'finance');
    const refused = await h.get('/app/new-application', finance.cookie);
    expect([refused.statusCode, refused.body.includes('You cannot use this page')]).toStrictEqual([403, true]);

    const { cookie } = await h.signIn('LA-A', 'commissioner');
    const forged = await h.post('/app/new-application', filled({ csrf: 'forged' }), cookie);
    expect([forged.statusCode, forged.body.includes('This form has expired')]).toStrictEqual([403, true]);
    expect((await h.api.applications.listForOrganisation('LA-A', { limit: 10 })).items).toHaveLength(0);
  });

  it('submits through the API’s use case and redirects to the application with interim funding in place', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const response = await h.post('/app/new-application', filled({ csrf }), cookie);

    expect(response.statusCode).toBe(303);
    const location = response.headers['location'] ?? '';
    expect(location).toMatch(/^\/app\/applications\/app_[a-z2-7]{20}\?submitted=1$/);
    const id = location.slice('/app/applications/'.length, location.indexOf('?'));
    const app = await h.api.applications.get(id);
    expect(app?.carePlan.serviceLines[0]?.weeklyCostPence).toBe(185_000);
    expect(app?.arrangements.at(-1)?.state).toBe('interim');

    const page = (await h.get(location, cookie)).body;
    expect(page).toContain('Application submitted. Interim funding is in place from 10 June 2024');
    expect(page).toContain('Interim');

    // The same form sent again (a double click, a retry) makes no second application.
    const again = await h.post('/app/new-application', filled({ csrf }), cookie);
    expect(again.headers['location']).toBe(location);
    expect((await h.api.applications.listForOrganisation('LA-A', { limit: 10 })).items).toHaveLength(1);
  });

  it('shows the API’s problems as an error summary linked to each field, in page order, keeping what was typed', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const response = await h.post(
      '/app/new-application',
      filled({ csrf, nhsNumber: '1234567890', detentionFrom: '', weeklyCost: 'lots', name: '<b>x</b>' }),
      cookie,
    );

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<title>Error: Submit an application - s117 workspace</title>');
    expect(response.body).toContain('There is a problem');
    const links = [...response.body.matchAll(/<a href="#(\w+)">/g)].map((m) => m[1]);
    expect(links).toStrictEqual(['nhsNumber', 'detentionFrom', 'weeklyCost']);
    expect(response.body).toContain('NHS number must be a valid NHS number');
    expect(response.body).toContain('Weekly cost must be an amount in pounds, for example 1850.00');
    expect(response.body).toContain('value="&lt;b&gt;x&lt;/b&gt;"');
    expect(response.body).toContain('value="form-abcdefghijklmnop"');
    expect((await h.api.applications.listForOrganisation('LA-A', { limit: 10 })).items).toHaveLength(0);
  });

  it('asks for a choice where a list was left unchosen, rather than listing the API’s codes', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const response = await h.post('/app/new-application', filled({ csrf, residenceSetting: '', detentionSection: '' }), cookie);

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Kind of home is required: choose one');
    expect(response.body).toContain('Section of the Mental Health Act is required: choose one');
    expect(response.body).not.toContain('&quot;own-home&quot;');
  });

  it('shows a domain refusal (a partnership the organisation is not in) on its field', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const response = await h.post('/app/new-application', filled({ csrf, partnershipId: 'north' }), cookie);

    expect(response.statusCode).toBe(422);
    expect(response.body).toMatch(/<a href="#partnershipId">\s*Partnership is not a partnership LA-A belongs to\s*<\/a>/);
    expect(response.body).toContain('<span class="nhsuk-error-message" id="partnershipId-error">');
  });

  it('bounds what it echoes back, and draws a fresh key for a forged one', async () => {
    const { cookie, csrf } = await h.signIn('LA-A', 'commissioner');
    const response = await h.post('/app/new-application', filled({ csrf, name: 'n'.repeat(5000), key: 'x"><script>' }), cookie);

    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('n'.repeat(501));
    expect(response.body).not.toContain('<script>');
    expect(response.body).toMatch(/<input type="hidden" name="key" value="form-[A-Za-z0-9_-]{10,59}">/);
  });
});

describe('the form as the API’s request', () => {
  it('reads pounds as pence and leaves anything else for the schema to refuse', () => {
    expect([poundsToPence('1850'), poundsToPence('£1,850.5'), poundsToPence('0.07'), poundsToPence('12.345')]).toStrictEqual([
      185_000,
      185_050,
      7,
      '12.345',
    ]);
  });

  it('leaves blank fields out and maps each problem back to its field', () => {
    const { body, fieldOf } = applicationRequest({ detentionFrom: '2024-01-10', gpIcb: 'ICB-A' }, '2024-06-01', 'form-k');
    expect(body['person']).toStrictEqual({});
    expect(body).not.toHaveProperty('requestedStartDate');
    expect(fieldOf('body.facts.events[0].area.la')).toBe('residenceLa');
    expect(fieldOf('body.facts.events[1].icb')).toBe('gpIcb');
    expect(fieldOf('body.facts.events[2].from')).toBe('detentionFrom');
    expect(fieldOf('body.carePlan.serviceLines[0].weeklyCostPence')).toBe('weeklyCost');
    expect(fieldOf('body.facts.events[9].from')).toBeUndefined();
  });
});
