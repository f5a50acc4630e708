/** GET /v1/reports/maturity: the maturity matrix of the caller's partnership, measured from the register. */
import { REGISTER_READER_ROLES } from '../shared/auth.ts';
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { buildMaturityReport } from './maturity.use-case.ts';
import { maturitySchemas } from './schemas.ts';

export const handler = httpHandler(
  { schemas: maturitySchemas, auth: 'required', roles: REGISTER_READER_ROLES },
  async ({ caller, query }) => ({
    statusCode: 200,
    body: await buildMaturityReport(registerDeps(), caller, query),
  }),
);
