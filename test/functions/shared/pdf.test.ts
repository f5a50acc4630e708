import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PDF_LIMITS, PdfModelTooLarge, renderPdf, type PdfDocumentModel } from '#functions/shared/pdf.ts';

const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

const model: PdfDocumentModel = {
  title: 'Referral to the Secretary of State',
  author: 'NHS Example ICB',
  created: new Date('2026-12-01T09:00:00Z'),
  blocks: [
    { kind: 'heading', level: 1, text: 'Statement of facts' },
    { kind: 'paragraph', text: 'The person was detained under section 3 on 1 March 2026 and left hospital on 2 May 2026.' },
    { kind: 'list', items: ['First point', 'Second point'] },
    { kind: 'table', caption: 'Weekly costs', head: ['Service', 'Weekly cost'], rows: [['Supported housing', '£1,234.56']] },
  ],
};

/** The text a PDF reader extracts, page by page, joined. */
async function textOf(bytes: Buffer): Promise<{ text: string; title: unknown; language: unknown; tagged: boolean }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const parts: string[] = [];
  for (let page = 1; page <= pdf.numPages; page++) {
    const content = await (await pdf.getPage(page)).getTextContent();
    parts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  const meta = await pdf.getMetadata();
  const info = meta.info as { Title?: unknown; Language?: unknown };
  // pdf.js answers the catalogue's MarkInfo dictionary as a Map.
  const markInfo = (await pdf.getMarkInfo()) as unknown as Map<string, unknown> | null;
  return {
    text: parts.join('\n').replace(/\s+/g, ' '),
    title: info.Title,
    language: info.Language,
    tagged: markInfo?.get('Marked') === true,
  };
}

describe('renderPdf', () => {
  it('writes a tagged PDF a reader extracts the words, title and language from', async () => {
    const bytes = await renderPdf(model);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const read = await textOf(bytes);
    expect(read.title).toBe('Referral to the Secretary of State');
    expect(read.language).toBe('en-GB');
    expect(read.tagged).toBe(true);
    for (const words of [
      'Statement of facts',
      'left hospital on 2 May 2026',
      'Second point',
      'Weekly costs',
      'Supported housing',
      '£1,234.56',
    ])
      expect(read.text).toContain(words);
  });

  it('gives the same bytes for the same model, and different bytes for another date', async () => {
    const [a, b] = await Promise.all([renderPdf(model), renderPdf(model)]);
    expect(a.equals(b)).toBe(true);
    const later = await renderPdf({ ...model, created: new Date('2026-12-02T09:00:00Z') });
    expect(later.equals(a)).toBe(false);
  });

  it('breaks long tables across pages and keeps every row', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => [`Row ${i + 1}`, `£${i}.00`]);
    const read = await textOf(await renderPdf({ ...model, blocks: [{ kind: 'table', caption: 'Many', head: ['A', 'B'], rows }] }));
    expect(read.text).toContain('Row 1 ');
    expect(read.text).toContain('Row 150');
  });

  it('refuses a model past its limits, naming the limit', async () => {
    const rows = Array.from({ length: PDF_LIMITS.tableRows + 1 }, () => ['x']);
    await expect(renderPdf({ ...model, blocks: [{ kind: 'table', caption: 'c', head: ['h'], rows }] })).rejects.toThrow(PdfModelTooLarge);
    await expect(renderPdf({ ...model, blocks: [{ kind: 'paragraph', text: 'x'.repeat(PDF_LIMITS.textChars + 1) }] })).rejects.toThrow(
      /textChars/,
    );
  });

  it('sets large print larger than standard', async () => {
    const standard = await renderPdf(model);
    const large = await renderPdf({ ...model, largePrint: true });
    expect(large.equals(standard)).toBe(false);
    expect((await textOf(large)).text).toContain('Statement of facts');
  });
});
