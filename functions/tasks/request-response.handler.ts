/** Step requestResponse of statemachines/funding-application.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { requestResponse } from './funding-steps.ts';
import { stepDeps } from './step-deps.ts';
import { requestResponseInputSchema } from './step-inputs.ts';

export const handler = taskHandler(async (event: unknown) => requestResponse(stepDeps(), requestResponseInputSchema.parse(event)));
