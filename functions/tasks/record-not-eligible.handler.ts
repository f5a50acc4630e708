/** Step recordNotEligible of statemachines/funding-application.asl.json. */
import { createDynamoAdapters as dynamodb } from '../adapters/dynamodb/index.ts';
import { createSesAdapters as ses } from '../adapters/ses/index.ts';
import { taskHandler } from '../shared/middy.ts';
import { recordNotEligible } from './funding-steps.ts';
import { stepDeps } from './step-deps.ts';
import { applicationInputSchema } from './step-inputs.ts';

export const handler = taskHandler(async (event: unknown) =>
  recordNotEligible(stepDeps({ dynamodb, ses }), applicationInputSchema.parse(event)),
);
