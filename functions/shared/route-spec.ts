/**
 * The one shape of an HTTP route (functions/routes.ts lists them all): method, path, the manifest function that
 * serves it, who may call it, its request schemas, its answers by status and the problems it gives. Handlers take
 * their options from their spec, the OpenAPI document and the app manifest's routes are derived from the table.
 */
import type * as z from 'zod';
import type { Role } from './auth.ts';
import type { AuthMode, HttpSchemas } from './middy.ts';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One answer of a route: JSON with a zod schema, JSON we do not describe (null), or another media type. */
export interface RouteAnswer {
  description: string;
  /** The JSON body's schema; null for an answer without a JSON schema of ours (or without a JSON body). */
  schema: z.ZodType | null;
  /** The media types when the answer is not JSON (text/csv, text/html, a spreadsheet); application/json when absent. */
  contentTypes?: readonly string[];
  headers?: readonly string[];
}

export interface RouteSpec<S extends HttpSchemas = HttpSchemas, A extends AuthMode = AuthMode> {
  method: RouteMethod;
  path: string;
  /** The logical name of the manifest function that serves the route (lib/manifest/<feature>.ts). */
  function: string;
  /** 'api': a /v1 route documented in openapi.json; 'page': a documented non-API page (HTML, the reference). */
  kind: 'api' | 'page';
  operationId: string;
  summary: string;
  auth: A;
  roles?: readonly Role[];
  schemas: S;
  /** Answers by status; at least one. */
  responses: Readonly<Record<number, RouteAnswer>>;
  /** Problem answers this route gives besides 500. */
  problems: readonly number[];
  /** The media type of a request body that is not JSON (e.g. text/csv), read by the handler as text. */
  requestContentType?: string;
  /** Request body examples by name; each is parsed by `schemas.body` in a test. */
  examples?: Readonly<Record<string, unknown>>;
}
