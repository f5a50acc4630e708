/** GET /v1/register/episodes/{id}/letters/{kind}: a plain-English letter to the person (entitlement, review, ending). */
import { REGISTER_READER_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { letter } from './reviews.use-case.ts';
import { letterSchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: letterSchemas, auth: 'required', roles: REGISTER_READER_ROLES },
  async ({ caller, path, query }) => letter(registerDeps(), caller, path.id, path.kind, query),
);
