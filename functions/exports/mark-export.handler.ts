/**
 * MarkSucceeded / MarkFailed (statemachines/export.asl.json): the export job's status, for GET /v1/exports/{id}.
 * A Lambda rather than the DynamoDB integration, so the state machine's role needs no table grant.
 */
import * as z from 'zod';
import { taskHandler } from '../shared/middy.ts';
import { exportDeps } from './deps.ts';

const input = z.discriminatedUnion('status', [
  z.object({ exportId: z.string().regex(/^exp-[0-9a-z-]{1,80}$/), status: z.literal('succeeded'), batchId: z.string().regex(/^EXP-/) }),
  z.object({ exportId: z.string().regex(/^exp-[0-9a-z-]{1,80}$/), status: z.literal('failed'), error: z.string().max(200) }),
]);

export const handler = taskHandler<unknown, { exportId: string; status: string; marked: boolean }>(async (event) => {
  const job = input.parse(event);
  const marked = await exportDeps().register.markJob(
    job.exportId,
    job.status === 'succeeded' ? { status: 'succeeded', batchId: job.batchId } : { status: 'failed', error: job.error },
  );
  return { exportId: job.exportId, status: job.status, marked };
});
