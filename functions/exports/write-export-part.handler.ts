/** WriteExportPart (statemachines/export.asl.json, inside the Map): one partition's rows and adjustments. */
import * as z from 'zod';
import { taskHandler } from '../shared/middy.ts';
import { exportDeps } from './deps.ts';
import { writeExportPart, type PartResult } from './export-steps.ts';

const input = z.object({ exportId: z.string().regex(/^exp-[0-9a-z-]{1,80}$/), index: z.number().int().min(0) });

export const handler = taskHandler<unknown, PartResult>(async (event) => writeExportPart(exportDeps(), input.parse(event)));
