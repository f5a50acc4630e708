/**
 * The one way a document becomes a PDF (referral packs, letters to the person, statements): a plain document model
 * of headings, paragraphs, lists and tables, laid out by pdfkit (a maintained registry package; no headless
 * browser in Lambda). The output is a tagged PDF (headings, paragraphs, lists and tables in the structure tree,
 * the document's language and title shown), so screen readers read it in order, and its bytes are reproducible:
 * the same model and `created` date give the same file.
 *
 * Standard PDF fonts (Helvetica) only: they need no font file, cover Latin-1 and the pound sign, and pdfkit loads
 * them from its own package, so a function rendering PDFs is deployed with pdfkit as an installed module.
 */
import PDFDocument from 'pdfkit';

export type PdfBlock =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | {
      readonly kind: 'table';
      /** A sentence naming what the table shows (read before it). */
      readonly caption: string;
      readonly head: readonly string[];
      readonly rows: readonly (readonly string[])[];
    };

export interface PdfDocumentModel {
  readonly title: string;
  /** Who issues the document (an organisation, never a person's name from a record). */
  readonly author: string;
  readonly subject?: string;
  /** BCP 47 language tag; British English by default. */
  readonly language?: string;
  /** The document's date: written as its creation date, so re-rendering gives the same bytes. */
  readonly created: Date;
  /** Large print: 16-point body text and 24-point headings (RNIB's clear print guidance), else 11 and 18. */
  readonly largePrint?: boolean;
  readonly blocks: readonly PdfBlock[];
}

/** Bounds that keep one render finite and small: a document is letters and packs, not data dumps. */
export const PDF_LIMITS = { blocks: 2_000, textChars: 20_000, tableRows: 1_000, tableColumns: 12 } as const;

export class PdfModelTooLarge extends Error {
  constructor(readonly limit: keyof typeof PDF_LIMITS) {
    super(`The document exceeds the PDF limit on ${limit} (${PDF_LIMITS[limit]})`);
    this.name = 'PdfModelTooLarge';
  }
}

const checkLimits = (model: PdfDocumentModel): void => {
  if (model.blocks.length > PDF_LIMITS.blocks) throw new PdfModelTooLarge('blocks');
  const tooLong = (text: string) => text.length > PDF_LIMITS.textChars;
  for (const block of model.blocks) {
    if (block.kind === 'table') {
      if (block.rows.length > PDF_LIMITS.tableRows) throw new PdfModelTooLarge('tableRows');
      if ([block.head, ...block.rows].some((row) => row.length > PDF_LIMITS.tableColumns)) throw new PdfModelTooLarge('tableColumns');
      if ([block.caption, ...block.head, ...block.rows.flat()].some(tooLong)) throw new PdfModelTooLarge('textChars');
    } else if (block.kind === 'list') {
      if (block.items.some(tooLong)) throw new PdfModelTooLarge('textChars');
    } else if (tooLong(block.text)) throw new PdfModelTooLarge('textChars');
  }
};

/** Renders the model to PDF bytes. Throws PdfModelTooLarge past PDF_LIMITS (callers bound their inputs first). */
export async function renderPdf(model: PdfDocumentModel): Promise<Buffer> {
  checkLimits(model);
  const body = model.largePrint === true ? 16 : 11;
  const headingSize = {
    1: model.largePrint === true ? 24 : 18,
    2: model.largePrint === true ? 20 : 14,
    3: model.largePrint === true ? 18 : 12,
  };
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    tagged: true,
    displayTitle: true,
    lang: model.language ?? 'en-GB',
    pdfVersion: '1.7',
    info: {
      Title: model.title,
      Author: model.author,
      ...(model.subject === undefined ? {} : { Subject: model.subject }),
      Creator: 's117',
      Producer: 's117',
      CreationDate: model.created,
      ModDate: model.created,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const document = doc.struct('Document');
  doc.addStructure(document);
  for (const block of model.blocks) {
    switch (block.kind) {
      case 'heading':
        document.add(
          doc.struct(`H${block.level}`, {}, () => {
            doc
              .font('Helvetica-Bold')
              .fontSize(headingSize[block.level])
              .text(block.text, { paragraphGap: body / 2 });
          }),
        );
        break;
      case 'paragraph':
        document.add(
          doc.struct('P', {}, () => {
            doc
              .font('Helvetica')
              .fontSize(body)
              .text(block.text, { paragraphGap: body / 2, lineGap: body / 5 });
          }),
        );
        break;
      case 'list': {
        const list = doc.struct('L');
        document.add(list);
        for (const item of block.items) {
          list.add(
            doc.struct('LI', {}, () => {
              doc
                .font('Helvetica')
                .fontSize(body)
                .text(`•  ${item}`, { indent: body, paragraphGap: body / 4 });
            }),
          );
        }
        list.end();
        doc.moveDown(0.5);
        break;
      }
      case 'table': {
        document.add(
          doc.struct('Caption', {}, () => {
            doc
              .font('Helvetica-Bold')
              .fontSize(body)
              .text(block.caption, { paragraphGap: body / 4 });
          }),
        );
        const table = doc.struct('Table');
        document.add(table);
        const row = (cells: readonly string[], header: boolean) => {
          const tr = doc.struct('TR');
          table.add(tr);
          const width = (doc.page.width - doc.page.margins.left - doc.page.margins.right) / Math.max(1, cells.length);
          const top = doc.y;
          let bottom = top;
          cells.forEach((cell, i) => {
            tr.add(
              doc.struct(header ? 'TH' : 'TD', {}, () => {
                doc
                  .font(header ? 'Helvetica-Bold' : 'Helvetica')
                  .fontSize(body - 1)
                  .text(cell, doc.page.margins.left + i * width, top, { width: width - 6 });
                bottom = Math.max(bottom, doc.y);
              }),
            );
          });
          tr.end();
          doc.x = doc.page.margins.left;
          doc.y = bottom + 4;
          if (doc.y > doc.page.height - doc.page.margins.bottom - 3 * body) doc.addPage();
        };
        row(block.head, true);
        for (const cells of block.rows) row(cells, false);
        table.end();
        doc.moveDown(0.5);
        break;
      }
    }
  }
  document.end();
  doc.end();
  return done;
}
