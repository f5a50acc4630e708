/** Step advanceDispute of statemachines/dispute.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { disputeDeps } from './deps.ts';
import { advanceDisputeInputSchema } from './inputs.ts';
import { advanceDispute } from './steps.ts';

export const handler = taskHandler(async (event: unknown) => advanceDispute(disputeDeps(), advanceDisputeInputSchema.parse(event)));
