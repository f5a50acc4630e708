/** Step openDisputeStep of statemachines/dispute.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { disputeDeps } from './deps.ts';
import { disputeInputSchema } from './inputs.ts';
import { openDisputeStep } from './steps.ts';

export const handler = taskHandler(async (event: unknown) => openDisputeStep(disputeDeps(), disputeInputSchema.parse(event)));
