/** What the state machine passes to each step; a malformed input is a bug in the ASL, so it throws. */
import * as z from 'zod';

const applicationId = z.string().regex(/^app_[a-z0-9]{8,40}$/);

export const applicationInputSchema = z.object({ applicationId });
export const requestResponseInputSchema = z.object({ applicationId, party: z.enum(['icb', 'la']), taskToken: z.string().min(1) });
export const interimInputSchema = z.object({ applicationId, cause: z.enum(['dispute', 'deadline', 'human-review', 'failure', 'panel']) });
