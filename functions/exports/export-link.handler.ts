/** CreateDownloadLink (statemachines/export.asl.json): a presigned GET link to the batch's file, the execution's output. */
import * as z from 'zod';
import { taskHandler } from '../shared/middy.ts';
import { exportDeps } from './deps.ts';
import { downloadLink } from './export-steps.ts';

const input = z.object({
  batchId: z.string().regex(/^EXP-/),
  format: z.enum(['csv', 'xlsx']),
  expiresInSeconds: z.number().int().min(60).max(604_800).optional(),
});

export const handler = taskHandler<unknown, { batchId: string; format: string; url: string | null; expiresAt: string | null }>(
  async (event) => {
    const deps = exportDeps();
    const { batchId, format, expiresInSeconds } = input.parse(event);
    const batch = await deps.register.batchById(batchId);
    if (batch === null) throw Object.assign(new Error('The batch is not recorded'), { name: 'BatchNotRecorded' });
    const link = await downloadLink(deps, batch, format, expiresInSeconds ?? deps.linkExpirySeconds);
    return { batchId, format, url: link?.url ?? null, expiresAt: link?.expiresAt ?? null };
  },
);
