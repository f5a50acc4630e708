/** GET /v1/reports/delays: who is ready to leave hospital but still there, for how long, and why (issue 13 item 5). */
import { httpHandler } from '../shared/middy.ts';
import { buildDelaysReport } from './delays.use-case.ts';
import { registerDeps } from './deps.ts';
import { delaysReportRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, query }) => ({
  statusCode: 200,
  body: await buildDelaysReport(registerDeps(), caller, query),
}));
