/** POST /v1/register/episodes/{id}/ending-decisions: the ICB's or the council's decision on a recommendation to end. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordEndingDecision } from './ending.use-case.ts';
import { recordEndingDecisionRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, path, body }) => recordEndingDecision(registerDeps(), caller, path.id, body));
