/** What statemachines/dispute.asl.json passes to each step; a malformed input is a bug in the ASL, so it throws. */
import * as z from 'zod';
import { DISPUTE_STAGES } from '#domain/disputes/dispute.ts';

const applicationId = z.string().regex(/^app_[a-z0-9]{8,40}$/);

export const disputeInputSchema = z.object({ applicationId });
export const requestStageOutcomeInputSchema = z.object({ applicationId, stage: z.enum(DISPUTE_STAGES), taskToken: z.string().min(1) });
export const advanceDisputeInputSchema = z.object({
  applicationId,
  trigger: z.enum(['outcome', 'clock', 'panel']),
  panel: z
    .object({
      outcome: z.enum(['approved', 'rejected', 'more-information', 'no-decision']),
      votes: z.array(z.unknown()).exactOptional(),
      decidedAt: z.string().exactOptional(),
      panelRequestId: z.string().exactOptional(),
    })
    .exactOptional(),
});
