/**
 * Every API route in one table: method, path, who may call it, and its request and response schemas. The
 * handlers take their options from here and the OpenAPI document is generated from it, so they cannot drift.
 */
import type * as z from 'zod';
import { ANY_ROLE, COMMISSIONING_ROLES, type Role } from '../shared/auth.ts';
import type { AuthMode, HttpSchemas } from '../shared/middy.ts';
import {
  applicationListSchema,
  applicationViewSchema,
  chronologyViewSchema,
  determinationSchema,
  responseViewSchema,
} from './application-view.schema.ts';
import { applicationIdPathSchema } from './common.schema.ts';
import { createApplicationHeadersSchema, createApplicationRequestSchema } from './create-application.schema.ts';
import { determineRequestSchema } from './determine.schema.ts';
import { listApplicationsQuerySchema } from './list-applications.schema.ts';
import { recordResponseRequestSchema } from './record-response.schema.ts';

export interface RouteSpec<S extends HttpSchemas = HttpSchemas, A extends AuthMode = AuthMode> {
  method: 'GET' | 'POST';
  path: string;
  operationId: string;
  summary: string;
  auth: A;
  roles?: readonly Role[];
  schemas: S;
  /** Success answers by status; a null schema is an answer without a JSON schema of ours. */
  responses: Readonly<Record<number, { description: string; schema: z.ZodType | null; headers?: readonly string[] }>>;
  /** Problem answers this route gives besides 500. */
  problems: readonly number[];
}

export const createApplicationRoute = {
  method: 'POST',
  path: '/v1/applications',
  operationId: 'createApplication',
  summary: 'Submit a funding application (idempotent by Idempotency-Key).',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: { body: createApplicationRequestSchema, headers: createApplicationHeadersSchema },
  responses: {
    201: { description: 'The application, submitted; its workflow has started.', schema: applicationViewSchema, headers: ['Location'] },
  },
  problems: [400, 401, 403, 409, 422],
} as const satisfies RouteSpec;

export const listApplicationsRoute = {
  method: 'GET',
  path: '/v1/applications',
  operationId: 'listApplications',
  summary: "The caller's organisation's applications, newest first.",
  auth: 'required',
  roles: ANY_ROLE,
  schemas: { query: listApplicationsQuerySchema },
  responses: { 200: { description: 'A page of application summaries.', schema: applicationListSchema } },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const getApplicationRoute = {
  method: 'GET',
  path: '/v1/applications/{id}',
  operationId: 'getApplication',
  summary: 'One application, with its determination, responses and the funding in force.',
  auth: 'required',
  roles: ANY_ROLE,
  schemas: { path: applicationIdPathSchema },
  responses: { 200: { description: 'The application.', schema: applicationViewSchema } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const recordResponseRoute = {
  method: 'POST',
  path: '/v1/applications/{id}/responses',
  operationId: 'recordResponse',
  summary: 'A determined ICB or council accepts or disputes the determination for its body.',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: { path: applicationIdPathSchema, body: recordResponseRequestSchema },
  responses: {
    201: { description: 'The response, recorded.', schema: responseViewSchema },
    200: { description: 'The same response was already recorded.', schema: responseViewSchema },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

export const getChronologyRoute = {
  method: 'GET',
  path: '/v1/applications/{id}/chronology',
  operationId: 'getChronology',
  summary: "This application's entries in the person's chronology, in order.",
  auth: 'required',
  roles: ANY_ROLE,
  schemas: { path: applicationIdPathSchema },
  responses: { 200: { description: 'The entries.', schema: chronologyViewSchema } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const determineRoute = {
  method: 'POST',
  path: '/v1/determinations',
  operationId: 'determine',
  summary: 'The responsibility engine alone: a determination for a case-facts document; nothing is recorded.',
  auth: 'required',
  roles: ANY_ROLE,
  schemas: { body: determineRequestSchema },
  responses: { 200: { description: 'The determination.', schema: determinationSchema } },
  problems: [400, 401],
} as const satisfies RouteSpec;

export const openApiRoute = {
  method: 'GET',
  path: '/v1/openapi.json',
  operationId: 'getOpenApi',
  summary: 'This OpenAPI 3.1 document.',
  auth: 'none',
  schemas: {},
  responses: { 200: { description: 'The OpenAPI document.', schema: null } },
  problems: [],
} as const satisfies RouteSpec;

export const ROUTES: readonly RouteSpec[] = [
  createApplicationRoute,
  listApplicationsRoute,
  getApplicationRoute,
  recordResponseRoute,
  getChronologyRoute,
  determineRoute,
  openApiRoute,
];
