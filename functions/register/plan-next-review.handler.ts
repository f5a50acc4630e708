/** Step of statemachines/review-schedule.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { planNextReview } from './review-steps.ts';
import { planInputSchema } from './schemas.ts';

export const handler = taskHandler(async (event: unknown) => planNextReview(registerDeps(), planInputSchema.parse(event)));
