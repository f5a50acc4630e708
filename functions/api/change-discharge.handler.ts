/**
 * The changes a party makes to an application after submission, on one function (each route is one more
 * CloudFormation resource, each function several): PATCH /v1/applications/{id}/discharge, the discharge dates and
 * delay reasons (issue 13 item 5), and POST /v1/applications/{id}/package-changes, a change to the package as a
 * decision (issue 13 item 3). The route key picks the handler; each keeps its own validation and roles.
 */
import { httpHandler, routedHandler } from '../shared/middy.ts';
import { apiDeps } from './api-deps.ts';
import { changeApplicationDischarge } from './discharge.use-case.ts';
import { changePackage } from './package-change.use-case.ts';
import { changeDischargeRoute, changePackageRoute } from './routes.ts';

export const handler = routedHandler([
  [
    changeDischargeRoute,
    httpHandler(changeDischargeRoute, async ({ caller, path, body }) => changeApplicationDischarge(apiDeps(), caller, path.id, body)),
  ],
  [changePackageRoute, httpHandler(changePackageRoute, async ({ caller, path, body }) => changePackage(apiDeps(), caller, path.id, body))],
]);
