/** The export routes: method, path, roles and schemas (the handlers take their options from here). */
import type { AuthMode, HttpSchemas } from '../shared/middy.ts';
import { FINANCE_ROLES } from '../shared/auth.ts';
import { apportionmentQuerySchema, exportHeadersSchema, exportIdPathSchema, rechargesQuerySchema } from './export-api.ts';

interface ExportRoute<S extends HttpSchemas> {
  method: 'GET';
  path: string;
  auth: AuthMode & 'required';
  roles: typeof FINANCE_ROLES;
  schemas: S;
}

export const apportionmentExportRoute = {
  method: 'GET',
  path: '/v1/exports/apportionment',
  auth: 'required',
  roles: FINANCE_ROLES,
  schemas: { query: apportionmentQuerySchema, headers: exportHeadersSchema },
} as const satisfies ExportRoute<HttpSchemas>;

export const rechargesExportRoute = {
  method: 'GET',
  path: '/v1/exports/recharges',
  auth: 'required',
  roles: FINANCE_ROLES,
  schemas: { query: rechargesQuerySchema },
} as const satisfies ExportRoute<HttpSchemas>;

export const getExportRoute = {
  method: 'GET',
  path: '/v1/exports/{exportId}',
  auth: 'required',
  roles: FINANCE_ROLES,
  schemas: { path: exportIdPathSchema },
} as const satisfies ExportRoute<HttpSchemas>;
