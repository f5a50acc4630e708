/** Step recordNotEligible of statemachines/funding-application.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { recordNotEligible } from './funding-steps.ts';
import { stepDeps } from './step-deps.ts';
import { applicationInputSchema } from './step-inputs.ts';

export const handler = taskHandler(async (event: unknown) => recordNotEligible(stepDeps(), applicationInputSchema.parse(event)));
