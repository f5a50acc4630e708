/**
 * The API reference pages, in the one route table (functions/routes.ts): `GET /docs` renders `/v1/openapi.json` with
 * Scalar's standalone bundle, which `GET /docs/api-reference.js` serves from the installed package (no CDN). Both are
 * public, like the document itself, and are pages rather than API operations.
 */
import * as z from 'zod';
import type { RouteSpec } from '../shared/route-spec.ts';

export const docsPageRoute = {
  method: 'GET',
  path: '/docs',
  function: 'api-docs',
  kind: 'page',
  operationId: 'showApiReference',
  summary: 'A readable reference of /v1/openapi.json (Scalar); without JavaScript, a link to the JSON.',
  auth: 'none',
  schemas: {},
  responses: { 200: { description: 'The page.', schema: null, contentTypes: ['text/html; charset=utf-8'] } },
  problems: [],
} as const satisfies RouteSpec;

export const apiReferenceScriptRoute = {
  method: 'GET',
  path: '/docs/api-reference.js',
  function: 'api-reference-script',
  kind: 'page',
  operationId: 'getApiReferenceScript',
  summary: "The reference page's script: @scalar/api-reference's standalone bundle, from the installed package.",
  auth: 'none',
  schemas: {
    headers: z.object({
      'accept-encoding': z.string().max(1000).optional(),
      'if-none-match': z.string().max(200).optional(),
    }),
  },
  responses: {
    200: { description: 'The script (gzip when the client accepts it).', schema: null, contentTypes: ['text/javascript; charset=utf-8'] },
    304: { description: 'The script the client holds (If-None-Match) is current.', schema: null },
  },
  problems: [400],
} as const satisfies RouteSpec;

export const DOCS_ROUTES: readonly RouteSpec[] = [docsPageRoute, apiReferenceScriptRoute];
