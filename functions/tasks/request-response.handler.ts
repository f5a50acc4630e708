/** Step requestResponse of statemachines/funding-application.asl.json. */
import { createDynamoAdapters as dynamodb } from '../adapters/dynamodb/index.ts';
import { createSesAdapters as ses } from '../adapters/ses/index.ts';
import { createSfnAdapters as sfn } from '../adapters/sfn/index.ts';
import { taskHandler } from '../shared/middy.ts';
import { requestResponse } from './funding-steps.ts';
import { stepDeps } from './step-deps.ts';
import { requestResponseInputSchema } from './step-inputs.ts';

export const handler = taskHandler(async (event: unknown) =>
  requestResponse(stepDeps({ dynamodb, ses, sfn }), requestResponseInputSchema.parse(event)),
);
