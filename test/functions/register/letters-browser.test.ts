/**
 * Letters to the person as HTML pages (issue 17 item 3) in Chromium with the design system's stylesheet: axe-core
 * finds no serious or critical violation in any kind of letter, in any of its four versions.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  endingProposedLetter,
  entitlementLetter,
  fundingChangeLetter,
  LETTER_VARIANTS,
  planLetter,
  reviewDueLetter,
  type LetterContext,
} from '#domain/register/letters.ts';
import type { Episode } from '#domain/register/register.ts';
import { letterPage } from '#functions/register/letter-render.ts';
import { planContent } from '../../support/plan-builder.ts';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CSS = readFileSync(join(dirname(require.resolve('nhsuk-frontend/package.json')), 'dist/nhsuk/nhsuk-frontend.min.css'), 'utf8');

const body = (code: string) => ({ body: code, kind: 'english-icb' as const, since: '2024-04-01', ruleIds: [], reasons: [], history: [] });
const episode = {
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
  icb: body('ICB-A'),
  localAuthority: { ...body('LA-A'), kind: 'english-la' as const },
  needsHumanReview: [],
  reviewGeneration: 1,
  fundingChanges: [],
  reminders: [],
  escalations: [],
} satisfies Episode;
const plan = { ...planContent(), id: 'v1', episodeId: episode.id, version: 1, recordedAt: 't', recordedBy: { userId: 'u', org: 'LA-A' } };
const writers = {
  entitlement: (c: LetterContext) => entitlementLetter(c),
  plan: (c: LetterContext) => planLetter(c, plan),
  'review-due': (c: LetterContext) => reviewDueLetter(c, '2024-05-13'),
  'funding-change': (c: LetterContext) =>
    fundingChangeLetter(c, { from: '2024-06-01', whatChanges: 'Your day service moves to Tuesdays.' }),
  'ending-proposed': (c: LetterContext) => endingProposedLetter(c, '2024-09-30'),
};

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('letters as HTML pages pass axe-core', () => {
  it('every kind in every version: no serious or critical violations', async () => {
    const page = await browser.newPage();
    const found: string[] = [];
    for (const [kind, write] of Object.entries(writers))
      for (const variant of LETTER_VARIANTS) {
        const html = letterPage(
          write({
            name: 'Sam Example',
            date: '2024-04-02',
            episode,
            bodyNames: { 'ICB-A': 'Anyshire ICB', 'LA-A': 'Anyshire County Council' },
            variant,
            carer: { name: 'Jo Example', relationship: 'mother' },
          }),
        ).replace('<link rel="stylesheet" href="/app/assets/nhsuk-frontend.min.css">', `<style>${CSS}</style>`);
        await page.setContent(html);
        await page.addScriptTag({ content: AXE });
        const violations = await page.evaluate<{ id: string; impact: string | null }[]>(
          'axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))',
        );
        for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${kind}/${variant}: ${v.id}`);
      }
    expect(found).toStrictEqual([]);
  }, 120_000);
});
