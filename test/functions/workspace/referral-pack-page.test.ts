/**
 * The referral pack in the workspace (issue 16, item 5): the statement of facts, the chronology and the
 * correspondence on the NHS.UK design system (headings in order, tables with captions and column headers), a PDF
 * download of the same pack, for the parties' commissioners and admins only.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { classifyDispute, openDispute } from '#domain/disputes/dispute.ts';
import { DEFAULT_DISPUTE_SETTINGS } from '#domain/disputes/settings.ts';
import { interimArrangement } from '#domain/funding/funding-decisions.ts';
import { produceReferralPack } from '#functions/disputes/steps.ts';
import { ORGANISATIONS } from '../api/support.ts';
import { application, partnership } from '../../support/application-builder.ts';
import { pageHarness, type PageHarness } from './support.ts';

let h: PageHarness;
const PAGE = '/app/disputes/app_1/referral-pack';

beforeEach(async () => {
  h = pageHarness();
  const base = application({
    status: 'in-dispute',
    parties: ['LA-A', 'ICB-A', 'LA-B'],
    responses: {
      la: {
        party: 'la',
        body: 'LA-A',
        decision: 'dispute',
        reason: 'Lived in B <before>',
        proposedBody: 'LA-B',
        at: '2024-01-20T10:00:00.000Z',
        by: 'u',
      },
    },
  });
  const app = { ...base, arrangements: [interimArrangement(base, partnership, 'dispute', 'arr_1', '2024-01-20T10:00:00.000Z')] };
  await h.api.applications.create(app);
  const c = classifyDispute(app, (o) => ORGANISATIONS.find((x) => x.code === o)?.kind);
  if (c === null) throw new Error('not disputed');
  const opened = openDispute({
    id: 'dsp_1',
    app,
    classification: c,
    lead: 'LA-A',
    interimArrangementId: 'arr_1',
    settings: DEFAULT_DISPUTE_SETTINGS,
    at: '2024-01-20T10:00:00.000Z',
  });
  await h.api.memory.disputes.create({ ...opened, stage: 'pre-referral', referralDue: '2024-05-20' });
  await produceReferralPack(h.deps.disputes, { applicationId: app.id });
});

describe('the referral pack page', () => {
  it('shows the pack on the design system: h1, a h2 per section, NHS.UK tables with captions; escaped; no dumps', async () => {
    const { cookie } = await h.signIn('LA-A', 'commissioner');
    const page = await h.get(PAGE, cookie);
    expect(page.statusCode).toBe(200);
    const body = page.body ?? '';
    expect(body).toContain('<h1>Referral pack: dispute dsp_1 (application app_1)</h1>');
    const headings = [...body.matchAll(/<h([1-6])[^>]*>/g)].map((m) => Number(m[1]));
    expect(headings.slice(0, 3)).toStrictEqual([1, 2, 2]);
    for (let i = 1; i < headings.length; i += 1) expect((headings[i] ?? 0) - (headings[i - 1] ?? 0)).toBeLessThanOrEqual(1);
    expect(body).toMatch(/<caption class="nhsuk-table__caption">\s*Chronology of the case, earliest first\s*<\/caption>/);
    expect(body).toMatch(/<caption class="nhsuk-table__caption">\s*Correspondence between the authorities\s*<\/caption>/);
    expect(body).toMatch(/<th class="nhsuk-table__header" scope="col" role="columnheader">\s*What happened\s*<\/th>/);
    expect(body).toContain('Lived in B &lt;before&gt;');
    expect(body).not.toContain('[object');
    expect(body).toContain(`<a href="${PAGE}?format=pdf">Download the referral pack as a PDF`);
  });

  it('downloads the same pack as the PDF', async () => {
    const { cookie } = await h.signIn('LA-B', 'admin');
    const file = await h.get(`${PAGE}?format=pdf`, cookie);
    expect([file.statusCode, file.headers?.['content-type']]).toStrictEqual([200, 'application/pdf']);
    const bytes = file.isBase64Encoded === true ? Buffer.from(file.body ?? '', 'base64') : Buffer.from(file.body ?? '', 'latin1');
    const pdf = await getDocument({ data: new Uint8Array(bytes) }).promise;
    expect((await pdf.getMetadata()).info).toMatchObject({ Title: 'Referral pack: dispute dsp_1 (application app_1)' });
  });

  it('is for the parties: 404 for another organisation, 403 for finance', async () => {
    expect((await h.get(PAGE, (await h.signIn('LA-C', 'commissioner')).cookie)).statusCode).toBe(404);
    expect((await h.get(PAGE, (await h.signIn('LA-A', 'finance')).cookie)).statusCode).toBe(403);
  });
});
