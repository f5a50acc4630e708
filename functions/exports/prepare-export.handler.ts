/** PrepareExport (statemachines/export.asl.json): the manifest, the batch id and the partitions. */
import * as z from 'zod';
import { isSanePeriodKey } from '#domain/apportionment/periods.ts';
import { taskHandler } from '../shared/middy.ts';
import { exportDeps } from './deps.ts';
import { prepareExport, type Prepared } from './export-steps.ts';

const input = z.object({
  exportId: z.string().regex(/^exp-[0-9a-z-]{1,80}$/),
  partnershipId: z.string().min(1).max(64),
  period: z.string().refine(isSanePeriodKey),
});

export const handler = taskHandler<unknown, Prepared>(async (event) => prepareExport(exportDeps(), input.parse(event)));
