/**
 * Panels end to end through the local runtime: the funding workflow asks the joint panel (agreed funding above the
 * demo partnership's £2,000 a week threshold), members get mail through the SES stand-in, and decide on the
 * approval page: once with a plain HTTP client, once with headless Chromium from the SES inbox page.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/clock.ts';
import type { RuntimeHandles } from '#local/runtime.ts';
import { eventually } from '../local/support.ts';
import { applicationBody, applicationWhen, call, commissioner, type Api, startApp, type App } from './support.ts';

interface StoredMail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text: string; html: string };
}

let app: App;
let runtime: RuntimeHandles;
let api: Api;
const worcestershire = commissioner('E10000034');
const qgh = commissioner('QGH');
const clock = new VirtualClock(Date.now());
const DAY_MS = 86_400_000;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as shown (issue 16: the approval pages on the NHS.UK layout). */
async function seriousViolations(page: Page): Promise<{ id: string; impact: string | null }[]> {
  await page.addScriptTag({ content: AXE });
  const found = await page.evaluate<{ id: string; impact: string | null }[]>(
    'axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))',
  );
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

beforeAll(async () => {
  app = await startApp('panels', { clock });
  ({ runtime, api } = app);
});

afterAll(() => app.stop());

/** An application both bodies accept, costing £2,450 a week (above the demo panel's £2,000 threshold). */
async function agreedAboveThreshold(key: string, nhsNumber: string): Promise<string> {
  const body = applicationBody({ nhsNumber, factsId: key });
  body['carePlan'] = {
    serviceLines: [
      {
        description: 'Specialist supported living, 2:1 at night',
        provider: 'Severn Support Ltd',
        category: 'accommodation',
        s117: true,
        weeklyCostPence: 215_000,
        startDate: '2025-03-10',
      },
      {
        description: 'Community psychiatric nursing',
        provider: 'Mental health trust',
        category: 'health',
        s117: true,
        weeklyCostPence: 30_000,
        startDate: '2025-03-10',
      },
    ],
  };
  const created = await call(api, 'POST', '/v1/applications', { as: worcestershire, body, headers: { 'idempotency-key': key } });
  expect(created.status).toBe(201);
  const id = String(created.body['id']);
  await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'awaiting-responses', 'the determination');
  await eventually(async () => {
    const c = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });
    return (c.body['entries'] as { type: string }[]).filter((e) => e.type === 'response-requested').length === 2 ? true : undefined;
  }, 'both requests to respond');
  expect((await call(api, 'POST', `/v1/applications/${id}/responses`, { as: qgh, body: { decision: 'accept' } })).status).toBe(201);
  expect((await call(api, 'POST', `/v1/applications/${id}/responses`, { as: worcestershire, body: { decision: 'accept' } })).status).toBe(
    201,
  );
  return id;
}

async function store(): Promise<StoredMail[]> {
  return ((await (await fetch(`${runtime.ses.url}/store`)).json()) as { emails: StoredMail[] }).emails;
}

/** The panel invitations for an application, by recipient, once all four members have theirs. */
async function invitations(id: string): Promise<Map<string, StoredMail>> {
  return eventually(
    async () => {
      const mails = (await store()).filter((m) => m.subject === `s117 panel: your decision is needed (${id})`);
      return mails.length === 4 ? new Map(mails.map((m) => [m.destination.to[0] ?? '', m])) : undefined;
    },
    'four panel invitations',
    20_000,
  );
}

const linkIn = (mail: StoredMail | undefined): string => /See the case and decide: (\S+)/.exec(mail?.body.text ?? '')?.[1] ?? '';
const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });

async function chronologyTypes(id: string): Promise<string[]> {
  const c = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });
  return (c.body['entries'] as { type: string }[]).map((e) => e.type);
}

describe('panels through the local runtime', () => {
  it("plain HTTP: HEAD and GET change nothing; the page's form token, a choice and a confirm record each vote; the quorum agrees funding", async () => {
    const id = await agreedAboveThreshold('e2e-panel-http', '4857773007');
    const mails = await invitations(id);
    expect([...mails.keys()].sort()).toStrictEqual([
      'fiona.grant@swindon.example.gov.uk',
      'helen.marsh@qox.example.nhs.uk',
      'mark.tolley@worcestershire.example.gov.uk',
      'tom.beddoes@qgh.example.nhs.uk',
    ]);
    const tom = linkIn(mails.get('tom.beddoes@qgh.example.nhs.uk'));
    const mark = linkIn(mails.get('mark.tolley@worcestershire.example.gov.uk'));
    expect(tom).toMatch(new RegExp(`^${runtime.api.url}/approvals/[A-Za-z0-9_-]{32}$`));

    const head = await fetch(tom, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const page = await fetch(tom);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('£2,450.00');
    expect(html).not.toMatch(/4857773007|485 777 3007|<script/);

    // A scanner's auto-submitted form (no form token) and a foreign token decide nothing.
    expect((await postForm(tom, { decision: 'approve', confirm: 'yes' })).status).toBe(403);
    expect((await postForm(tom, { csrf: 'x'.repeat(32), decision: 'approve', confirm: 'yes' })).status).toBe(403);
    const notForm = await fetch(tom, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(notForm.status).toBe(415);
    expect((await call(api, 'GET', `/v1/applications/${id}`, { as: worcestershire })).body['status']).toBe('awaiting-responses');

    const confirm = await postForm(tom, { csrf: csrfOf(html), decision: 'approve' });
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    const recorded = await postForm(tom, { csrf: csrfOf(confirmHtml), decision: 'approve', confirm: 'yes' });
    expect(recorded.status).toBe(200);
    expect(await recorded.text()).toContain('Thank you: your decision is recorded');
    const replay = await postForm(tom, { csrf: csrfOf(confirmHtml), decision: 'reject', reason: 'replayed', confirm: 'yes' });
    expect(replay.status).toBe(410);

    const markPage = await (await fetch(mark)).text();
    const markConfirm = await (await postForm(mark, { csrf: csrfOf(markPage), decision: 'approve' })).text();
    expect((await postForm(mark, { csrf: csrfOf(markConfirm), decision: 'approve', confirm: 'yes' })).status).toBe(200);

    const agreed = await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'agreed', 'agreed funding after the panel');
    expect(agreed['funding']).toMatchObject({
      state: 'agreed',
      shares: [
        { body: 'QGH', percentage: 50 },
        { body: 'E10000034', percentage: 50 },
      ],
    });
    const second = await (await fetch(tom)).text();
    expect(second).toContain('You have already decided');
    expect(second).toMatch(/<td>Tom Beddoes \(QGH\)<\/td><td>approved<\/td>/);
    expect(second).toMatch(/<td>Mark Tolley \(E10000034\)<\/td><td>approved<\/td>/);
    // Helen did not vote: her link now says the panel decided without her.
    expect((await fetch(linkIn(mails.get('helen.marsh@qox.example.nhs.uk')))).status).toBe(410);

    const types = await eventually(async () => {
      const t = await chronologyTypes(id);
      return t.includes('funding-agreed') ? t : undefined;
    }, 'the funding-agreed entry');
    expect(types.filter((t) => t.startsWith('panel-'))).toStrictEqual([
      'panel-requested',
      'panel-vote-recorded',
      'panel-vote-recorded',
      'panel-decided',
    ]);
    for (const m of await store()) expect(`${m.body.text}${m.body.html}`).not.toMatch(/4857773007|sfnlocal-tt|taskToken/);
  }, 60_000);

  it('headless Chromium: from the SES inbox page, through the link, Reject with a reason, and the confirm button; the veto leads to interim funding', async () => {
    const id = await agreedAboveThreshold('e2e-panel-browser', '4857773015');
    const mail = (await invitations(id)).get('mark.tolley@worcestershire.example.gov.uk');
    const userDataDir = mkdtempSync(join(tmpdir(), 's117-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      // The pages allow no script; axe is put in through the DevTools protocol, which the page's policy does not govern.
      bypassCSP: true,
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
    try {
      const inbox = await context.newPage();
      await inbox.goto(`${runtime.ses.url}/`);
      const email = inbox
        .locator('.email', { hasText: `Subject: s117 panel: your decision is needed (${id})` })
        .filter({ hasText: 'mark.tolley@worcestershire.example.gov.uk' });
      await email.getByRole('button', { name: 'Toggle HTML view' }).click();
      const popup = context.waitForEvent('page');
      await inbox
        .frameLocator(`#${mail?.messageId ?? 'missing'}-html-iframe`)
        .getByRole('link', { name: 'See the case and decide' })
        .click();
      const page = await popup;
      await page.waitForLoadState();
      expect(page.url()).toBe(linkIn(mail));
      // On the NHS.UK layout, its stylesheet loaded from the workspace's route, and accessible.
      expect(await page.locator('header.nhsuk-header').count()).toBe(1);
      expect(await page.evaluate<string>('getComputedStyle(document.querySelector(".nhsuk-header")).backgroundColor')).toBe(
        'rgb(0, 94, 184)',
      );
      expect(await seriousViolations(page)).toStrictEqual([]);
      await page
        .getByLabel('Reason (needed to reject or to ask for more information)')
        .fill('Out-of-area placement without a local alternative considered');
      await page.getByRole('button', { name: 'Reject' }).click();
      await page.getByRole('button', { name: 'Confirm: reject' }).waitFor();
      expect(await seriousViolations(page)).toStrictEqual([]);
      await page.getByRole('button', { name: 'Confirm: reject' }).click();
      await page.getByRole('heading', { name: 'Thank you: your decision is recorded' }).waitFor();
      expect(await seriousViolations(page)).toStrictEqual([]);
      expect(await page.content()).toContain('The panel <strong>rejected</strong> the proposal');
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
    const interim = await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'interim', 'interim funding after the veto');
    expect(interim['funding']).toMatchObject({ state: 'interim', withoutPrejudice: true, startDate: '2025-03-10' });
    expect(String((interim['funding'] as { basis: string }).basis)).toMatch(/^The joint funding panel did not approve the agreed funding/);
  }, 60_000);

  it('nobody decides: reminders, escalation to the deputy and senior officers at the deadline, then interim funding (clock moved on)', async () => {
    const id = await agreedAboveThreshold('e2e-panel-silent', '4857773023');
    await invitations(id);
    const reminders = async (n: number) =>
      eventually(async () => {
        const mails = (await store()).filter((m) => m.subject.startsWith('s117 panel: reminder') && m.subject.endsWith(`(${id})`));
        return mails.length === n ? mails : undefined;
      }, `${n} reminders`);
    const panelRequestId = await eventually(async () => {
      const c = await call(api, 'GET', `/v1/applications/${id}/chronology`, { as: qgh });
      return (c.body['entries'] as { type: string; data: Record<string, unknown> }[]).find((e) => e.type === 'panel-requested')?.data[
        'panelRequestId'
      ] as string | undefined;
    }, 'the panel-requested entry');
    const waitTimer = () =>
      eventually(
        () => clock.pending().find((t) => t.label.includes(`:panel-reminders:${panelRequestId} `) && t.label.includes('WaitForCheckpoint')),
        "the request's reminder timer",
      );
    for (let day = 2; day <= 6; day += 2) {
      const timer = await waitTimer();
      clock.advance(timer.dueAt - clock.now());
      await reminders(4 * (day / 2));
    }
    clock.advance((await waitTimer()).dueAt - clock.now());
    const escalation = await eventually(async () => {
      const mails = (await store()).filter(
        (m) =>
          m.subject.endsWith(`(${id})`) &&
          (m.subject.startsWith('s117 panel: deadline passed') || m.subject.startsWith('s117 panel: please decide in place of')),
      );
      return mails.length === 4 ? mails.map((m) => m.destination.to[0]).sort() : undefined;
    }, 'the escalation mails');
    expect(escalation).toStrictEqual([
      'anne.holloway@qgh.example.nhs.uk',
      'claire.whitfield@qgh.example.nhs.uk',
      'joanne.price@worcestershire.example.gov.uk',
      'richard.lowe@worcestershire.example.gov.uk',
    ]);
    clock.advance((await waitTimer()).dueAt - clock.now());
    const interim = await applicationWhen(api, id, worcestershire, (a) => a['status'] === 'interim', 'interim funding after no decision');
    expect(interim['funding']).toMatchObject({ state: 'interim' });
    const types = await chronologyTypes(id);
    expect(types.filter((t) => t.startsWith('panel-'))).toStrictEqual([
      'panel-requested',
      'panel-reminder-sent',
      'panel-reminder-sent',
      'panel-reminder-sent',
      'panel-escalated',
      'panel-decided',
    ]);
    expect(clock.now() - Date.now()).toBeGreaterThan(9 * DAY_MS);
  }, 60_000);
});
