/** Step of statemachines/review-schedule.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { sendReminder } from './review-steps.ts';
import { stepInputSchema } from './schemas.ts';

export const handler = taskHandler(async (event: unknown) => sendReminder(registerDeps(), stepInputSchema.parse(event)));
