/**
 * The referral pack as a document for the Secretary of State (issue 16, item 5): the stored pack's sections as a
 * tagged, reproducible PDF through the one PDF helper (functions/shared/pdf.ts). Paragraphs stay paragraphs, lists
 * lists, and the chronology and the correspondence tables: dates and sentences, never data dumps. The PDF's date
 * is the pack's own `generatedAt`, so the same pack always gives the same bytes.
 */
import type { PackSection, ReferralPack } from '#domain/disputes/referral-pack.ts';
import { renderPdf, type PdfBlock, type PdfDocumentModel } from '../shared/pdf.ts';

export const referralPackTitle = (pack: Pick<ReferralPack, 'disputeId' | 'applicationId'>): string =>
  `Referral pack: dispute ${pack.disputeId} (application ${pack.applicationId})`;

function sectionBlocks(section: PackSection): PdfBlock[] {
  return [
    { kind: 'heading', level: 2, text: section.heading },
    ...section.paragraphs.map((text): PdfBlock => ({ kind: 'paragraph', text })),
    ...(section.items.length > 0 ? [{ kind: 'list', items: section.items } as const] : []),
    ...(section.table === undefined
      ? []
      : [{ kind: 'table', caption: section.table.caption, head: section.table.head, rows: section.table.rows } as const]),
  ];
}

/** The pack as the PDF helper's document model. */
export function referralPackPdfModel(pack: ReferralPack): PdfDocumentModel {
  return {
    title: referralPackTitle(pack),
    author: 'The s117 joint register, for the lead authority',
    subject:
      'Referral of a dispute between local authorities under the Care and Support (Disputes Between Local Authorities) Regulations 2014',
    created: new Date(pack.generatedAt),
    blocks: [{ kind: 'heading', level: 1, text: referralPackTitle(pack) }, ...pack.sections.flatMap(sectionBlocks)],
  };
}

export const referralPackPdf = (pack: ReferralPack): Promise<Buffer> => renderPdf(referralPackPdfModel(pack));
