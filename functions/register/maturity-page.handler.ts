/**
 * GET /reports/maturity: the maturity matrix as a server-rendered page. It needs the same bearer token as the
 * JSON (Authorization header; never a token in the URL) and carries no script.
 */
import { httpHandler, PAGE_HEADERS } from '../shared/middy.ts';
import { registerDeps } from './deps.ts';
import { buildMaturityReport, maturityPage } from './maturity.use-case.ts';
import { maturityPageRoute as route } from './routes.ts';

export const handler = httpHandler(route, async ({ caller, query }) => {
  const deps = registerDeps();
  const report = await buildMaturityReport(deps, caller, query);
  const partnership = await deps.directory.partnership(report.partnershipId);
  return { statusCode: 200, headers: { ...PAGE_HEADERS }, rawBody: maturityPage(report, partnership?.name ?? report.partnershipId) };
});
