/** Step recordAgreement of statemachines/funding-application.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { recordAgreement } from './funding-steps.ts';
import { stepDeps } from './step-deps.ts';
import { applicationInputSchema } from './step-inputs.ts';

export const handler = taskHandler(async (event: unknown) => recordAgreement(stepDeps(), applicationInputSchema.parse(event)));
