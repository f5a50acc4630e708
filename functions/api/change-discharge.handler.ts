/**
 * The changes a party makes to an application after submission, on one function (each route is one more
 * CloudFormation resource, each function several): PATCH /v1/applications/{id}/discharge, the discharge dates and
 * delay reasons (issue 13 item 5), and POST /v1/applications/{id}/package-changes, a change to the package as a
 * decision (issue 13 item 3). The route key picks the handler; each keeps its own validation and roles.
 */
import type { Context } from 'aws-lambda';
import { httpHandler, type HttpEvent } from '../shared/middy.ts';
import { apiDeps } from './api-deps.ts';
import { changeApplicationDischarge } from './discharge.use-case.ts';
import { changePackage } from './package-change.use-case.ts';
import { changeDischargeRoute, changePackageRoute } from './routes.ts';

const discharge = httpHandler(changeDischargeRoute, async ({ caller, path, body }) =>
  changeApplicationDischarge(apiDeps(), caller, path.id, body),
);
const packageChange = httpHandler(changePackageRoute, async ({ caller, path, body }) => changePackage(apiDeps(), caller, path.id, body));

const PACKAGE_ROUTE_KEY = `${changePackageRoute.method} ${changePackageRoute.path}`;

export const handler = (event: HttpEvent, context: Context) =>
  event.routeKey === PACKAGE_ROUTE_KEY ? packageChange(event, context) : discharge(event, context);
