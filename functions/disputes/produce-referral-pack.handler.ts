/** Step produceReferralPack of statemachines/dispute.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { disputeDeps } from './deps.ts';
import { disputeInputSchema } from './inputs.ts';
import { produceReferralPack } from './steps.ts';

export const handler = taskHandler(async (event: unknown) => produceReferralPack(disputeDeps(), disputeInputSchema.parse(event)));
