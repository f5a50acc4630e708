/** POST /v1/register/episodes/{id}/ending-decisions: the ICB's or the council's decision on a recommendation to end. */
import { COMMISSIONING_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { recordEndingDecision } from './ending.use-case.ts';
import { endingDecisionSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: endingDecisionSchemas, auth: 'required', roles: COMMISSIONING_ROLES },
  async ({ caller, path, body }) => recordEndingDecision(registerDeps(), caller, path.id, body),
);
