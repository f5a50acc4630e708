/** Step recordInterimFunding of statemachines/funding-application.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { recordInterimFunding } from './funding-steps.ts';
import { stepDeps } from './step-deps.ts';
import { interimInputSchema } from './step-inputs.ts';

export const handler = taskHandler(async (event: unknown) => recordInterimFunding(stepDeps(), interimInputSchema.parse(event)));
