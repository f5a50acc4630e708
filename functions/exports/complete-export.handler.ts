/** CompleteExport (statemachines/export.asl.json): joins the parts into the batch's files and records the batch. */
import * as z from 'zod';
import { taskHandler } from '../shared/middy.ts';
import { exportDeps } from './deps.ts';
import { completeExport, type Completed } from './export-steps.ts';

const input = z.object({ exportId: z.string().regex(/^exp-[0-9a-z-]{1,80}$/) });

export const handler = taskHandler<unknown, Completed>(async (event) => completeExport(exportDeps(), input.parse(event)));
