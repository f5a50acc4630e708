/**
 * The workspace in headless Chromium (issue 16, items 2 and 6), against the local runtime: a commissioner signs in
 * through the OpenID Connect stand-in, opens the applications list and one application, sends a refused answer (the
 * error summary) and then answers with the keyboard alone; a finance user meets the 403 page, then downloads the
 * month's CSV from the exports page and sees the batch listed, and meets the 403 page on the application form; a
 * commissioner submits an application through the form with the keyboard alone (after a refused one, the error
 * summary) and sees interim funding in place; an s117 lead opens the register, those whose review is due, the
 * overdue reviews, the delays list, the maturity matrix with its charts and the disputes; signing out ends the
 * session. axe-core runs over every page reached: no serious and no critical violations. Screenshots of each page go
 * to test-results/workspace/ (not committed). One browser launch; a context per person.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#functions/adapters/dynamodb/sdk.ts';
import { appManifest } from '#lib/app-manifest.ts';
import { signInTicket } from '#local/oidc-tickets.ts';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { loadSeedFile } from '#local/seed-schema.ts';
import { seedDirectory } from '#local/seed.ts';
import { applicationBody, applicationWhen, call, commissioner, type Api } from './support.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = join(process.cwd(), 'test-results', 'workspace');

let runtime: RuntimeHandles;
let browser: Browser;
let dataDir: string;
let api: Api;
let id: string;
let delayed: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's117-e2e-workspace-browser-'));
  const seed = await loadSeedFile();
  runtime = await startRuntime({ manifest: appManifest, dataDir, users: seed.users });
  await seedDirectory(documentClient(runtime.dynamodb.client), 'Register', seed);
  api = { url: runtime.api.url, token: (s) => runtime.auth.token(s) };
  const created = await call(api, 'POST', '/v1/applications', {
    as: commissioner('E10000034'),
    body: applicationBody(),
    headers: { 'idempotency-key': 'e2e-workspace-browser' },
  });
  expect(created.status).toBe(201);
  id = String(created.body['id']);
  await applicationWhen(api, id, commissioner('E10000034'), (a) => a['status'] === 'awaiting-responses', 'the determination');
  // Ready for discharge since March 2025 and still in hospital: on the delays list.
  const waiting = await call(api, 'POST', '/v1/applications', {
    as: commissioner('E10000034'),
    body: { ...applicationBody({ nhsNumber: '401 023 2137', factsId: 'e2e-delayed' }), discharge: { clinicallyReadyOn: '2025-03-01' } },
    headers: { 'idempotency-key': 'e2e-workspace-browser-delayed' },
  });
  expect(waiting.status).toBe(201);
  delayed = String(waiting.body['id']);
  // Discharged in March 2025 and never reviewed: the care plan review is long overdue.
  const person = await call(api, 'POST', '/v1/register/people', {
    as: commissioner('E10000034'),
    body: {
      nhsNumber: '943 476 5870',
      events: [
        {
          type: 'residence',
          from: '2018-01-01',
          area: { country: 'england', la: 'E10000034', icb: 'QGH' },
          setting: 'own-home',
          basis: 'own-choice',
        },
        { type: 'gp-registration', from: '2018-01-01', icb: 'QGH' },
        { type: 'detention', from: '2025-01-10', section: '3', hospitalArea: { country: 'england', la: 'E06000030', icb: 'QOX' } },
        { type: 'detention-ended', date: '2025-03-10', outcome: 'discharged' },
        { type: 'left-hospital', date: '2025-03-10' },
      ],
    },
  });
  expect(person.status).toBe(201);
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A browser context signed in as a seeded user through the stand-in, as `npx s117 sign-in-url` would link. */
async function signedIn(userId: string): Promise<Page> {
  // The workspace allows no script; axe is put in through the DevTools protocol, which the page's policy does not govern.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const ticket = signInTicket(runtime.auth.key, userId);
  await page.goto(`${runtime.api.url}/app/sign-in?login_hint=${encodeURIComponent(ticket)}`);
  expect(new URL(page.url()).pathname).toBe('/app');
  return page;
}

interface Violation {
  id: string;
  impact: string | null;
  targets: string[];
}

/** axe-core over the page as shown, its serious and critical violations, and a full-page screenshot. */
async function audit(page: Page, name: string): Promise<Violation[]> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.addScriptTag({ content: AXE });
  // Strings, not functions: they run in the page, whose DOM types the Node project does not compile against.
  const violations = await page.evaluate<Violation[]>(
    'axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.flatMap((n) => n.target) })))',
  );
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('the workspace in Chromium', () => {
  it('a commissioner sees their applications and one application, is refused in an error summary, and answers by keyboard', async () => {
    const page = await signedIn('e10000034-commissioner');
    const found: Record<string, Violation[]> = {};
    found['home'] = await audit(page, 'home');

    await page.goto(`${runtime.api.url}/app/applications`);
    expect(await page.locator('h1').textContent()).toBe('Applications');
    expect(await page.locator(`a[href="/app/applications/${id}"]`).count()).toBe(1);
    found['applications'] = await audit(page, 'applications');

    await page.goto(`${runtime.api.url}/app/applications/${id}`);
    expect(await page.locator('h1').textContent()).toBe(`Application ${id}`);
    found['application'] = await audit(page, 'application');

    // A dispute without reasons: the API's validation, as an error summary linking to the field.
    await page.check('#decision-2');
    await page.click('button:has-text("Send answer")');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.nhsuk-error-summary a[href="#reason"]').textContent()).toContain(
      'Reasons is required when the decision is dispute',
    );
    found['answer-refused'] = await audit(page, 'answer-refused');

    // The keyboard alone: the skip link first, then through the form to "Accept" and the button.
    await page.goto(`${runtime.api.url}/app/applications/${id}`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()')).toBe('Skip to main content');
    let steps = 0;
    while ((await page.evaluate<string | undefined>('document.activeElement?.name')) !== 'decision') {
      await page.keyboard.press('Tab');
      if (++steps > 60) throw new Error('the answer form cannot be reached with Tab');
    }
    await page.keyboard.press('Space');
    while ((await page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()')) !== 'Send answer') {
      await page.keyboard.press('Tab');
      if (++steps > 80) throw new Error('the Send answer button cannot be reached with Tab');
    }
    const focusOutline = await page.evaluate<string>('getComputedStyle(document.activeElement).boxShadow');
    expect(focusOutline).not.toBe('none');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.locator('#answer + p').textContent()).toContain('E10000034 answered on');
    found['answered'] = await audit(page, 'answered');

    // Signing out ends the session: /app sends the browser back to sign in.
    await page.click('button:has-text("Sign out")');
    expect(await page.locator('h1').textContent()).toBe('You have signed out');
    found['signed-out'] = await audit(page, 'signed-out');
    const after = await page.request.get(`${runtime.api.url}/app/applications`, { maxRedirects: 0 });
    expect([after.status(), after.headers()['location']?.startsWith('/app/sign-in')]).toStrictEqual([303, true]);

    expect(found).toStrictEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    await page.context().close();
  }, 120_000);

  it('a finance user cannot open a commissioner’s page (a 403 page), and downloads a CSV from their own', async () => {
    const page = await signedIn('qgh-finance');
    const response = await page.goto(`${runtime.api.url}/app/applications/${id}`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('You cannot use this page');
    expect(await audit(page, 'forbidden')).toStrictEqual([]);
    const form = await page.goto(`${runtime.api.url}/app/new-application`);
    expect([form?.status(), await page.locator('h1').textContent()]).toStrictEqual([403, 'You cannot use this page']);

    // Their own page: the export form, a CSV download through it, and the batch listed after.
    await page.goto(`${runtime.api.url}/app/exports`);
    expect(await audit(page, 'exports')).toStrictEqual([]);
    await page.fill('#period', '2025-03');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Download")')]);
    expect(download.suggestedFilename()).toMatch(/^EXP-2025-03-[0-9a-f]+\.csv$/);
    await page.goto(`${runtime.api.url}/app/exports?period=2025-03`);
    expect(await page.locator('table').textContent()).toMatch(/EXP-2025-03-/);
    expect(await audit(page, 'exports-with-batch')).toStrictEqual([]);
    await page.context().close();
  }, 60_000);

  it('an s117 lead sees the register, those whose review is due, the disputes, overdue reviews, the delays list and the maturity matrix', async () => {
    const page = await signedIn('e10000034-admin');
    await page.goto(`${runtime.api.url}/app/register`);
    expect(await page.locator('h1').textContent()).toBe('The s117 register');
    expect(await audit(page, 'register')).toStrictEqual([]);
    await page.selectOption('#status', 'review-due');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Show")')]);
    expect(new URL(page.url()).search).toBe('?status=review-due');
    expect(await audit(page, 'register-review-due')).toStrictEqual([]);
    await page.goto(`${runtime.api.url}/app/disputes`);
    expect(await page.locator('h1').textContent()).toBe('Disputes');
    expect(await page.locator('svg.s117-chart[role="img"] title').count()).toBe(1);
    expect(await audit(page, 'disputes')).toStrictEqual([]);

    await page.goto(`${runtime.api.url}/app/reviews`);
    expect(await page.locator('h1').textContent()).toBe('Reviews due and overdue');
    expect(await page.locator('.nhsuk-tag--red', { hasText: 'Overdue' }).count()).toBeGreaterThanOrEqual(1);
    expect(await audit(page, 'reviews')).toStrictEqual([]);

    await page.goto(`${runtime.api.url}/app/delays`);
    expect(await page.locator('h1').textContent()).toBe('Ready for discharge and waiting');
    expect(await page.locator(`table a[href="/app/applications/${delayed}"]`).count()).toBe(1);
    expect(await audit(page, 'delays')).toStrictEqual([]);

    await page.goto(`${runtime.api.url}/app/maturity`);
    expect(await page.locator('h1').textContent()).toBe('s117 maturity matrix');
    expect(await page.locator('svg.s117-chart[role="img"] desc').count()).toBe(2);
    expect(await page.locator('main').textContent()).toContain('mature at most £2,000.00 a week');
    expect(await audit(page, 'maturity')).toStrictEqual([]);
    await page.context().close();
  }, 60_000);

  it('a commissioner submits an application through the form, by keyboard alone, and sees interim funding in place', async () => {
    const page = await signedIn('e10000034-commissioner');
    const found: Record<string, Violation[]> = {};
    await page.goto(`${runtime.api.url}/app/new-application`);
    expect(await page.locator('h1').textContent()).toBe('Submit an application');
    found['new-application'] = await audit(page, 'new-application');

    // Sent empty: the API's validation as an error summary, each entry linking to its field.
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Submit application")')]);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.nhsuk-error-summary a[href="#nhsNumber"]').count()).toBe(1);
    found['new-application-refused'] = await audit(page, 'new-application-refused');

    // The keyboard alone, from the skip link: type into each field, choose options with the arrow keys, Enter to send.
    await page.goto(`${runtime.api.url}/app/new-application`);
    const typed: Record<string, string> = {
      nhsNumber: '999 054 8609',
      requestedStartDate: '2025-03-10',
      residenceFrom: '2018-01-01',
      residenceLa: 'E10000034',
      residenceIcb: 'QGH',
      gpIcb: 'QGH',
      detentionFrom: '2025-01-10',
      hospitalLa: 'E06000030',
      hospitalIcb: 'QOX',
      serviceDescription: 'Supported living',
      serviceProvider: 'Acme Care Ltd',
      weeklyCost: '1250.00',
    };
    // Options below the first ("Choose ..."): own home, own choice, section 3 (after 2), accommodation (after health, social care).
    const arrows: Record<string, number> = { residenceSetting: 1, residenceBasis: 1, detentionSection: 2, serviceCategory: 3 };
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()')).toBe('Skip to main content');
    let steps = 0;
    for (;;) {
      await page.keyboard.press('Tab');
      if (++steps > 80) throw new Error('the form cannot be finished with Tab');
      const focused = await page.evaluate<{ id: string; text: string }>(
        '({ id: document.activeElement?.id ?? "", text: document.activeElement?.textContent?.trim() ?? "" })',
      );
      const text = typed[focused.id];
      if (text !== undefined) await page.keyboard.type(text);
      for (let n = arrows[focused.id] ?? 0; n > 0; n -= 1) await page.keyboard.press('ArrowDown');
      if (focused.text === 'Submit application') break;
    }
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).boxShadow')).not.toBe('none');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toMatch(/^\/app\/applications\/app_[a-z2-7]{20}$/);
    expect(await page.locator('.nhsuk-inset-text').textContent()).toContain('Interim funding is in place from 10 March 2025');
    found['submitted'] = await audit(page, 'submitted');

    expect(found).toStrictEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    await page.context().close();
  }, 120_000);
});
