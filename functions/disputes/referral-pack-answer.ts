/**
 * The referral pack route's answer (issue 16, item 5): the stored pack as JSON, or as the PDF for the Secretary of
 * State, by `?format=` or the Accept header. Apart from ./api.ts so that only the function serving the pack carries
 * pdfkit (deployed as an installed module: lib/manifest/disputes.ts `nodeModules`).
 */
import * as z from 'zod';
import type { Caller } from '../shared/auth.ts';
import { ProblemError } from '../shared/http-errors.ts';
import type { HttpResult } from '../shared/middy.ts';
import { PdfModelTooLarge } from '../shared/pdf.ts';
import { getReferralPack } from './api.ts';
import type { DisputeDeps } from './deps.ts';
import { referralPackPdf } from './referral-pack-document.ts';

export const referralPackQuerySchema = z.strictObject({
  format: z.enum(['json', 'pdf'], { error: 'must be json or pdf' }).optional(),
});
export const referralPackHeadersSchema = z.object({ accept: z.string().max(1000).optional() });

/**
 * The pack in the form asked for: `?format=pdf` or `?format=json`, else by the Accept header (a PDF when it names
 * application/pdf and not application/json ahead of it), else JSON.
 */
export function wantsPdf(format: 'json' | 'pdf' | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'pdf';
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0]?.trim().toLowerCase() ?? '');
  const pdf = types.indexOf('application/pdf');
  const json = types.indexOf('application/json');
  return pdf >= 0 && (json < 0 || pdf < json);
}

export async function getReferralPackAnswer(
  deps: DisputeDeps,
  caller: Caller,
  id: string,
  format: 'json' | 'pdf' | undefined,
  accept: string | undefined,
): Promise<HttpResult> {
  const pack = await getReferralPack(deps, caller, id);
  if (!wantsPdf(format, accept)) return { statusCode: 200, headers: { vary: 'Accept' }, body: pack };
  let pdf: Buffer;
  try {
    pdf = await referralPackPdf(pack);
  } catch (error) {
    if (error instanceof PdfModelTooLarge)
      throw new ProblemError(422, `The referral pack is too large for one PDF (${error.message}); ask for it as JSON.`, {
        errors: [{ field: 'query.format', message: 'must be json for this pack' }],
      });
    throw error;
  }
  return {
    statusCode: 200,
    headers: {
      vary: 'Accept',
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="referral-pack-${pack.id}.pdf"`,
    },
    rawBody: pdf.toString('base64'),
    isBase64Encoded: true,
  };
}
