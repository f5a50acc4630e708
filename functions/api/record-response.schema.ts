/** `POST /v1/applications/{id}/responses`: a determined body accepts or disputes. */
import * as z from 'zod';
import { orgCodeSchema } from '../shared/case-facts.schema.ts';

export const recordResponseRequestSchema = z
  .strictObject({
    decision: z.enum(['accept', 'dispute']),
    reason: z.string().min(1).max(2000).exactOptional(),
    /** For a dispute of responsibility: the body the responder says owes the duty. */
    proposedBody: orgCodeSchema.exactOptional(),
    about: z.enum(['responsibility', 'apportionment']).exactOptional(),
  })
  .superRefine((request, ctx) => {
    if (request.decision === 'dispute' && request.reason === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is required when the decision is dispute', path: ['reason'] });
    }
    if (request.decision === 'accept' && request.proposedBody !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'is only for a dispute', path: ['proposedBody'] });
    }
  });
export type RecordResponseRequest = z.infer<typeof recordResponseRequestSchema>;
