/** Step settleDisputeStep of statemachines/dispute.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { disputeDeps } from './deps.ts';
import { disputeInputSchema } from './inputs.ts';
import { settleDisputeStep } from './steps.ts';

export const handler = taskHandler(async (event: unknown) => settleDisputeStep(disputeDeps(), disputeInputSchema.parse(event)));
