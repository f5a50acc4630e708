/** Step requestStageOutcome of statemachines/dispute.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { disputeDeps } from './deps.ts';
import { requestStageOutcomeInputSchema } from './inputs.ts';
import { requestStageOutcome } from './steps.ts';

export const handler = taskHandler(async (event: unknown) =>
  requestStageOutcome(disputeDeps(), requestStageOutcomeInputSchema.parse(event)),
);
