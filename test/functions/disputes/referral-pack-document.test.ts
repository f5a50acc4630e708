/**
 * The referral pack as a document (issue 16, item 5): produced by the dispute workflow's step over the memory ports,
 * then served by GET /v1/applications/{id}/dispute/referral-pack as JSON or, by ?format=pdf or Accept, as the PDF
 * for the Secretary of State, read back with pdf.js: the facts, the chronology's rows and the correspondence in
 * words, tagged, reproducible, and no "[object".
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { classifyDispute, openDispute } from '#domain/disputes/dispute.ts';
import type { ReferralPack } from '#domain/disputes/referral-pack.ts';
import { DEFAULT_DISPUTE_SETTINGS } from '#domain/disputes/settings.ts';
import { interimArrangement } from '#domain/funding/funding-decisions.ts';
import { memoryPorts, type MemoryPorts } from '#functions/adapters/memory/index.ts';
import { usePorts } from '#functions/adapters/root.ts';
import { disputeDeps } from '#functions/disputes/deps.ts';
import { handler } from '#functions/disputes/get-referral-pack.handler.ts';
import { referralPackPdf } from '#functions/disputes/referral-pack-document.ts';
import { wantsPdf } from '#functions/disputes/referral-pack-answer.ts';
import { produceReferralPack } from '#functions/disputes/steps.ts';
import { resetEnv } from '#functions/shared/env.ts';
import { context } from '../../fixtures/context.ts';
import { application, partnership } from '../../support/application-builder.ts';
import { event } from '../api/support.ts';
import '../api/quiet-logs.ts';

const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

const orgs = [
  { code: 'ICB-A', kind: 'icb' as const, name: 'ICB A', email: 'icb-a@example.test', partnerships: ['test'] },
  { code: 'LA-A', kind: 'la' as const, name: 'Anyshire County Council', email: 'la-a@example.test', partnerships: ['test'] },
  { code: 'LA-B', kind: 'la' as const, name: 'Otherby Borough Council', email: 'la-b@example.test', partnerships: ['test'] },
  { code: 'LA-C', kind: 'la' as const, name: 'Council C', email: 'la-c@example.test', partnerships: ['test'] },
];
const NOW = '2025-05-20T09:00:00.000Z';
let memory: MemoryPorts;

beforeAll(() => {
  vi.stubEnv('REGISTER_TABLE_NAME', 'Register');
  vi.stubEnv('MAIL_FROM', 's117@example.test');
  vi.stubEnv('APP_BASE_URL', 'http://127.0.0.1:3000');
  resetEnv();
});

afterAll(() => {
  usePorts(undefined);
  vi.unstubAllEnvs();
  resetEnv();
});

/** A dispute between councils at its pre-referral stage, with register entries whose data holds objects and lists. */
async function referredDispute(): Promise<Application> {
  const base = application({
    id: 'app_packdoc0001',
    status: 'in-dispute',
    parties: ['LA-A', 'ICB-A', 'LA-B'],
    responses: {
      la: {
        party: 'la',
        body: 'LA-A',
        decision: 'dispute',
        reason: 'She lived in Otherby before detention',
        proposedBody: 'LA-B',
        at: '2025-01-15T10:00:00.000Z',
        by: 'u',
      },
    },
  });
  const app = { ...base, arrangements: [interimArrangement(base, partnership, 'dispute', 'arr_1', '2025-01-15T10:00:00.000Z')] };
  await memory.applications.create(app);
  const c = classifyDispute(app, (o) => orgs.find((x) => x.code === o)?.kind);
  if (c === null) throw new Error('not disputed');
  const opened = openDispute({
    id: 'dsp_packdoc0001_1',
    app,
    classification: c,
    lead: 'LA-A',
    interimArrangementId: 'arr_1',
    settings: DEFAULT_DISPUTE_SETTINGS,
    at: '2025-01-15T10:00:00.000Z',
  });
  await memory.disputes.create({ ...opened, stage: 'pre-referral', referralDue: '2025-05-15' });
  for (const [n, type, data] of [
    [1, 'interim-funding-started', { shares: [{ body: 'LA-A', basisPoints: 5000 }], lead: 'LA-A' }],
    [2, 'response-requested', { bodies: ['LA-A', 'LA-B'], deadline: '2025-01-29', nested: { a: 1 } }],
    [3, 'dispute-outcome-recorded', { stage: 'local-negotiation', decision: 'unresolved', reason: 'No agreement on residence' }],
  ] as const)
    await memory.chronology.append(app.personRef, {
      key: `k${n}`,
      at: `2025-0${n + 1}-01T10:00:00.000Z`,
      type,
      actor: { org: n === 3 ? 'LA-B' : 'LA-A' },
      applicationId: app.id,
      data,
    });
  await produceReferralPack(disputeDeps(), { applicationId: app.id });
  return app;
}

const request = (org: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) => {
  const path = `/v1/applications/app_packdoc0001/dispute/referral-pack`;
  const e = event('record-response', { org, role: 'commissioner', headers });
  e.requestContext.http.method = 'GET';
  e.rawPath = path;
  e.requestContext.http.path = path;
  e.pathParameters = { id: 'app_packdoc0001' };
  e.queryStringParameters = query;
  e.rawQueryString = new URLSearchParams(query).toString();
  delete e.body;
  return e;
};

const call = async (...args: Parameters<typeof request>): Promise<APIGatewayProxyStructuredResultV2> =>
  (await handler(request(...args), context)) as APIGatewayProxyStructuredResultV2;

async function read(bytes: Buffer): Promise<{ text: string; title: unknown; tagged: boolean; pages: number }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const parts: string[] = [];
  for (let page = 1; page <= pdf.numPages; page++) {
    const content = await (await pdf.getPage(page)).getTextContent();
    parts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  const info = (await pdf.getMetadata()).info as { Title?: unknown };
  const markInfo = (await pdf.getMarkInfo()) as unknown as Map<string, unknown> | null;
  return { text: parts.join('\n').replace(/\s+/g, ' '), title: info.Title, tagged: markInfo?.get('Marked') === true, pages: pdf.numPages };
}

describe('GET /v1/applications/{id}/dispute/referral-pack as a document', () => {
  beforeEach(async () => {
    memory = memoryPorts(
      { now: () => NOW, today: () => NOW.slice(0, 10) },
      { organisations: orgs, partnerships: [{ ...partnership, members: orgs.map((o) => o.code) }] },
    );
    usePorts(memory);
    await referredDispute();
  });

  it('answers JSON by default, with the chronology and correspondence as tables of sentences', async () => {
    const r = await call('LA-A');
    expect([r.statusCode, r.headers?.['content-type'], r.headers?.['vary']]).toStrictEqual([200, 'application/json', 'Accept']);
    const pack = JSON.parse(r.body ?? '{}') as ReferralPack;
    expect(pack.text).not.toContain('[object');
    const chronology = pack.sections.find((s) => s.heading.startsWith('2. '))?.table;
    expect(chronology?.rows).toContainEqual([
      '1 February 2025',
      'Interim funding started, without prejudice by Anyshire County Council (LA-A).',
    ]);
    const letters = pack.sections.at(-1)?.table?.rows;
    expect(letters).toStrictEqual([
      [
        '15 January 2025',
        'Anyshire County Council (LA-A)',
        'Disputed responsibility, naming Otherby Borough Council (LA-B) as responsible: "She lived in Otherby before detention".',
      ],
      [
        '1 March 2025',
        'Anyshire County Council (LA-A)',
        'Responses requested from the bodies by Anyshire County Council (LA-A) (deadline: 29 January 2025).',
      ],
      [
        '1 April 2025',
        'Otherby Borough Council (LA-B)',
        'Outcome of a dispute stage recorded by Otherby Borough Council (LA-B) (stage: local negotiation; decision: unresolved; reason: "No agreement on residence").',
      ],
    ]);
  });

  it('answers the PDF for ?format=pdf and for Accept: application/pdf: tagged, titled, the facts and rows in words', async () => {
    const byQuery = await call('LA-B', { format: 'pdf' });
    const byAccept = await call('LA-A', {}, { accept: 'application/pdf' });
    for (const r of [byQuery, byAccept]) {
      expect([r.statusCode, r.headers?.['content-type'], r.isBase64Encoded]).toStrictEqual([200, 'application/pdf', true]);
      expect(r.headers?.['content-disposition']).toBe('inline; filename="referral-pack-rp_packdoc0001_1.pdf"');
    }
    const bytes = Buffer.from(byQuery.body ?? '', 'base64');
    expect(Buffer.from(byAccept.body ?? '', 'base64').equals(bytes)).toBe(true);
    const pdf = await read(bytes);
    expect([pdf.title, pdf.tagged]).toStrictEqual(['Referral pack: dispute dsp_packdoc0001_1 (application app_packdoc0001)', true]);
    expect(pdf.text).not.toContain('[object');
    expect(pdf.text).not.toContain('interim-funding-started');
    for (const words of [
      'Statement',
      '1. Nature of the dispute',
      '2. Chronology, including the date the dispute arose',
      'Chronology of the case, earliest first',
      'What happened',
      'Interim funding started, without prejudice',
      'Referred to the Secretary of State by Anyshire County Council (LA-A)',
      'Appendix. Correspondence between the authorities',
      'No agreement on residence',
      '9. Statements of facts signed on behalf of each authority',
    ])
      expect(pdf.text.replace(/\s+/g, ' ')).toContain(words);
    // Each register entry is printed once: in the chronology or in the correspondence, not both.
    expect(pdf.text.split('Responses requested from the bodies').length - 1).toBe(1);
  });

  it("gives the same PDF bytes for the same pack (its date is the pack's own)", async () => {
    const pack = JSON.parse((await call('LA-A')).body ?? '{}') as ReferralPack;
    expect((await referralPackPdf(pack)).equals(await referralPackPdf(structuredClone(pack)))).toBe(true);
    expect((await referralPackPdf({ ...pack, generatedAt: '2025-05-21T09:00:00.000Z' })).equals(await referralPackPdf(pack))).toBe(false);
  });

  it('keeps other organisations out (404) and names a bad format (400 query.format)', async () => {
    expect((await call('LA-C', { format: 'pdf' })).statusCode).toBe(404);
    const bad = await call('LA-A', { format: 'docx' });
    expect(bad.statusCode).toBe(400);
    expect((JSON.parse(bad.body ?? '{}') as { errors: { field: string }[] }).errors.map((e) => e.field)).toStrictEqual(['query.format']);
  });
});

describe('content negotiation', () => {
  it.each([
    [undefined, undefined, false],
    [undefined, 'application/pdf', true],
    [undefined, 'application/json, application/pdf', false],
    [undefined, 'application/pdf;q=1, application/json', true],
    [undefined, '*/*', false],
    ['json', 'application/pdf', false],
    ['pdf', 'application/json', true],
  ] as const)('format %s, Accept %s: PDF %s', (format, accept, pdf) => expect(wantsPdf(format, accept)).toBe(pdf));
});
