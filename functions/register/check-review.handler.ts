/** Step of statemachines/review-schedule.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { checkReview } from './review-steps.ts';
import { stepInputSchema } from './schemas.ts';

export const handler = taskHandler(async (event: unknown) => checkReview(registerDeps(), stepInputSchema.parse(event)));
