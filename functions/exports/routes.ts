/** The export routes (finance and admin): method, path, roles, schemas and answers (the handlers take their options from here). */
import { FINANCE_ROLES } from '../shared/auth.ts';
import type { RouteSpec } from '../shared/route-spec.ts';
import { apportionmentQuerySchema, exportHeadersSchema, exportIdPathSchema, rechargesQuerySchema } from './export-api.ts';

const CSV = 'text/csv; charset=utf-8';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const apportionmentExportRoute = {
  method: 'GET',
  path: '/v1/exports/apportionment',
  function: 'export-apportionment',
  kind: 'api',
  operationId: 'exportApportionment',
  summary:
    "A period's apportionment export for the caller's partnership, as CSV or XLSX: inline for a small register, else (or with Prefer: respond-async) 202 and a job to poll. bom=true puts a UTF-8 byte order mark before a CSV answered inline (for Excel); without it the bytes are the stored file's.",
  auth: 'required',
  roles: FINANCE_ROLES,
  schemas: { query: apportionmentQuerySchema, headers: exportHeadersSchema },
  responses: {
    200: {
      description: 'The export file.',
      schema: null,
      contentTypes: [CSV, XLSX],
      headers: ['X-S117-Export-Batch', 'Content-Disposition'],
    },
    202: { description: 'The export workflow has started; poll Location.', schema: null, headers: ['Location', 'Retry-After'] },
    303: { description: 'The file is over 4 MiB: Location is a presigned download link.', schema: null, headers: ['Location'] },
  },
  problems: [400, 401, 403, 404, 422],
} as const satisfies RouteSpec;

export const rechargesExportRoute = {
  method: 'GET',
  path: '/v1/exports/recharges',
  function: 'export-recharges',
  kind: 'api',
  operationId: 'exportRecharges',
  summary:
    "Recharge statements per pair of bodies from the period's export batches, with the settlement recharges booked in the period (CSV; bom=true for a UTF-8 byte order mark, for Excel).",
  auth: 'required',
  roles: FINANCE_ROLES,
  schemas: { query: rechargesQuerySchema },
  responses: { 200: { description: 'The statements as CSV.', schema: null, contentTypes: [CSV], headers: ['Content-Disposition'] } },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

export const getExportRoute = {
  method: 'GET',
  path: '/v1/exports/{exportId}',
  function: 'get-export',
  kind: 'api',
  operationId: 'getExport',
  summary: 'An export job (exp-...) or a batch (EXP-...): its status and, once done, the batch, its totals and download links.',
  auth: 'required',
  roles: FINANCE_ROLES,
  schemas: { path: exportIdPathSchema },
  responses: { 200: { description: 'The job or batch.', schema: null } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const EXPORT_ROUTES: readonly RouteSpec[] = [apportionmentExportRoute, rechargesExportRoute, getExportRoute];
