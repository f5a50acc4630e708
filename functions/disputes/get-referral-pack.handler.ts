import { httpHandler } from '../shared/middy.ts';
import { disputeDeps } from './deps.ts';
import { getReferralPackAnswer } from './referral-pack-answer.ts';
import { getReferralPackRoute as route } from './routes.ts';

export const handler = httpHandler(route, ({ caller, path, query, headers }) =>
  getReferralPackAnswer(disputeDeps(), caller, path.id, query.format, headers.accept),
);
