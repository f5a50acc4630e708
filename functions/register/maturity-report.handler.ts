/** GET /v1/reports/maturity: the maturity matrix of the caller's partnership, measured from the register. */
import { httpHandler } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { buildMaturityReport } from './maturity.use-case.ts';
import { maturityReportRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, query }) => ({
  statusCode: 200,
  body: await buildMaturityReport(registerDeps(), caller, query),
}));
