/** Step decideFundingRoute of statemachines/funding-application.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { decideFundingRoute } from './funding-steps.ts';
import { stepDeps } from './step-deps.ts';
import { applicationInputSchema } from './step-inputs.ts';

export const handler = taskHandler(async (event: unknown) => decideFundingRoute(stepDeps(), applicationInputSchema.parse(event)));
