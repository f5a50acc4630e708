/**
 * THE route table: every HTTP route the system serves, API and pages alike, in one exported readonly array. The
 * handlers take their options from their spec, `GET /v1/openapi.json` documents every `kind: 'api'` route, the app
 * manifest's routes (CDK and `npm start`) are derived from it, and docs/api.md's route table is checked against it.
 * A feature keeps its specs in its own routes.ts; a new route is added there and to this list.
 */
import { APPLICATION_ROUTES } from './api/routes.ts';
import { DISPUTE_ROUTES } from './disputes/routes.ts';
import { DOCS_ROUTES } from './docs/routes.ts';
import { EXPORT_ROUTES } from './exports/routes.ts';
import { PANEL_ROUTES } from './panels/routes.ts';
import { REGISTER_ROUTES } from './register/routes.ts';
import type { RouteSpec } from './shared/route-spec.ts';
import { WORKSPACE_ROUTES } from './workspace/routes.ts';

export type { RouteSpec } from './shared/route-spec.ts';

export const ROUTE_TABLE: readonly RouteSpec[] = Object.freeze([
  ...APPLICATION_ROUTES,
  ...DISPUTE_ROUTES,
  ...EXPORT_ROUTES,
  ...REGISTER_ROUTES,
  ...PANEL_ROUTES,
  ...WORKSPACE_ROUTES,
  ...DOCS_ROUTES,
]);

/** The `/v1` API routes, documented in openapi.json. */
export const API_ROUTES: readonly RouteSpec[] = ROUTE_TABLE.filter((r) => r.kind === 'api');

/** The documented non-API pages (HTML pages and the API reference), served beside the API. */
export const PAGE_ROUTES: readonly RouteSpec[] = ROUTE_TABLE.filter((r) => r.kind === 'page');
