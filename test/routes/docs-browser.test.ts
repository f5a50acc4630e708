/**
 * GET /docs in headless Chromium (Debian's, as the panel e2e test drives it), on the local runtime: the reference
 * renders the operations of /v1/openapi.json under the page's Content-Security-Policy, and every request the page
 * completes is to the runtime's origin: the only other loads it tries, the fonts its stylesheet names on Scalar's
 * font host, are refused by the policy before they leave the browser.
 */
import '../functions/api/quiet-logs.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';

let runtime: RuntimeHandles;
let browser: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  runtime = await startRuntime();
  userDataDir = mkdtempSync(join(tmpdir(), 's117-docs-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  rmSync(userDataDir, { recursive: true, force: true });
});

describe('GET /docs in a browser', () => {
  it('renders the operations of /v1/openapi.json, loading nothing from elsewhere', async () => {
    const page = await browser.newPage();
    const completed: string[] = [];
    const refused: { url: string; error: string | undefined }[] = [];
    page.on('requestfinished', (request) => completed.push(request.url()));
    page.on('requestfailed', (request) => refused.push({ url: request.url(), error: request.failure()?.errorText }));

    await page.goto(`${runtime.api.url}/docs`);
    await page.getByText('Submit a funding application', { exact: false }).first().waitFor({ timeout: 30_000 });
    await page.getByText('A determined ICB or council accepts or disputes', { exact: false }).first().waitFor({ timeout: 5_000 });

    const origin = new URL(runtime.api.url).origin;
    const local = (url: string) => url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:');
    expect(completed.filter((url) => !local(url))).toStrictEqual([]);
    expect(completed).toEqual(expect.arrayContaining([`${origin}/docs/api-reference.js`, `${origin}/v1/openapi.json`]));
    for (const attempt of refused.filter((r) => !local(r.url))) {
      expect(attempt).toStrictEqual({ url: expect.stringMatching(/^https:\/\/fonts\.scalar\.com\/[\w-]+\.woff2$/), error: 'csp' });
    }
  }, 60_000);
});
