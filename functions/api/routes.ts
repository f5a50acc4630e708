/**
 * Every API route in one table: method, path, who may call it, and its request and response schemas. The
 * handlers take their options from here and the OpenAPI document is generated from it, so they cannot drift.
 */
import { CASE_READER_ROLES, COMMISSIONING_ROLES } from '../shared/auth.ts';
import type { RouteSpec } from '../shared/route-spec.ts';
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
import { dischargeChangeResultSchema, dischargeChangeSchemas } from './discharge.schema.ts';
import { listApplicationsQuerySchema } from './list-applications.schema.ts';
import { packageChangeResultSchema, packageChangeSchemas } from './package-change.schema.ts';
import { recordResponseRequestSchema } from './record-response.schema.ts';

export const createApplicationRoute = {
  method: 'POST',
  path: '/v1/applications',
  function: 'create-application',
  kind: 'api',
  operationId: 'createApplication',
  summary: 'Submit a funding application (idempotent by Idempotency-Key).',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: { body: createApplicationRequestSchema, headers: createApplicationHeadersSchema },
  responses: {
    201: { description: 'The application, submitted; its workflow has started.', schema: applicationViewSchema, headers: ['Location'] },
  },
  examples: {
    'detained-under-section-3': {
      person: {
        nhsNumber: '943 476 5919',
        name: 'Alex Example',
      },
      facts: {
        id: 'APP-1',
        evaluationDate: '2024-06-01',
        events: [
          {
            type: 'residence',
            from: '2000-01-01',
            area: {
              country: 'england',
              la: 'LA-A',
              icb: 'ICB-A',
            },
            setting: 'own-home',
            basis: 'own-choice',
          },
          {
            type: 'gp-registration',
            from: '2000-01-01',
            icb: 'ICB-A',
          },
          {
            type: 'detention',
            from: '2024-01-10',
            section: '3',
            hospitalArea: {
              country: 'england',
              la: 'LA-HOSP',
              icb: 'ICB-HOSP',
            },
          },
        ],
      },
      carePlan: {
        serviceLines: [
          {
            description: 'Supported living, 24-hour staffed',
            provider: 'Riverside Care Ltd',
            category: 'accommodation',
            s117: true,
            weeklyCostPence: 185000,
            startDate: '2024-06-10',
          },
          {
            id: 'cpn',
            description: 'Community psychiatric nurse, weekly visit',
            provider: 'County NHS Trust',
            category: 'health',
            s117: true,
            weeklyCostPence: 12000,
            startDate: '2024-06-10',
          },
        ],
      },
      requestedStartDate: '2024-06-10',
    },
  },
  problems: [400, 401, 403, 409, 422],
} as const satisfies RouteSpec;

export const listApplicationsRoute = {
  method: 'GET',
  path: '/v1/applications',
  function: 'list-applications',
  kind: 'api',
  operationId: 'listApplications',
  summary: "The caller's organisation's applications, newest first.",
  auth: 'required',
  roles: CASE_READER_ROLES,
  schemas: { query: listApplicationsQuerySchema },
  responses: { 200: { description: 'A page of application summaries.', schema: applicationListSchema } },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const getApplicationRoute = {
  method: 'GET',
  path: '/v1/applications/{id}',
  function: 'get-application',
  kind: 'api',
  operationId: 'getApplication',
  summary: 'One application, with its determination, responses and the funding in force.',
  auth: 'required',
  roles: CASE_READER_ROLES,
  schemas: { path: applicationIdPathSchema },
  responses: { 200: { description: 'The application.', schema: applicationViewSchema } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const recordResponseRoute = {
  method: 'POST',
  path: '/v1/applications/{id}/responses',
  function: 'record-response',
  kind: 'api',
  operationId: 'recordResponse',
  summary: 'A determined ICB or council accepts or disputes the determination for its body, before the response deadline (409 after it).',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: { path: applicationIdPathSchema, body: recordResponseRequestSchema },
  responses: {
    201: { description: 'The response, recorded.', schema: responseViewSchema },
    200: { description: 'The same response was already recorded.', schema: responseViewSchema },
  },
  examples: {
    accept: {
      decision: 'accept',
    },
    dispute: {
      decision: 'dispute',
      reason: "The person was ordinarily resident in our neighbour's area before detention.",
      proposedBody: 'LA-B',
      about: 'responsibility',
    },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

export const getChronologyRoute = {
  method: 'GET',
  path: '/v1/applications/{id}/chronology',
  function: 'get-chronology',
  kind: 'api',
  operationId: 'getChronology',
  summary: "This application's entries in the person's chronology, in order.",
  auth: 'required',
  roles: CASE_READER_ROLES,
  schemas: { path: applicationIdPathSchema },
  responses: { 200: { description: 'The entries.', schema: chronologyViewSchema } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const changeDischargeRoute = {
  method: 'PATCH',
  path: '/v1/applications/{id}/discharge',
  function: 'change-discharge',
  kind: 'api',
  operationId: 'changeDischarge',
  summary: 'A party records when the person was clinically ready for discharge, is expected to leave or left, and what the stay waits for.',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: dischargeChangeSchemas,
  responses: { 200: { description: 'The readiness as now recorded.', schema: dischargeChangeResultSchema } },
  examples: {
    'ready-waiting-for-housing': {
      clinicallyReadyOn: '2024-06-03',
      expectedDischargeOn: '2024-06-24',
      delayReasons: [{ reason: 'housing', detail: 'Supported tenancy available from 24 June.' }],
    },
    discharged: {
      dischargedOn: '2024-06-24',
    },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

/** Issue 13 item 3. Served by the change-discharge function (changes to an application after submission): no new Lambda. */
export const changePackageRoute = {
  method: 'POST',
  path: '/v1/applications/{id}/package-changes',
  function: 'change-discharge',
  kind: 'api',
  operationId: 'changePackage',
  summary:
    'A party changes the package as a decision: adds a service line, ends one, changes its weekly cost from a date, records a top-up agreement or the split agreed at panel for a line. Above the panel threshold it waits for the panel and the package in force stays.',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: packageChangeSchemas,
  responses: {
    200: { description: 'The same request again: the decision already recorded.', schema: packageChangeResultSchema },
    201: { description: 'The decision, in force from its effective date.', schema: packageChangeResultSchema },
    202: { description: 'The decision awaits the panel; nothing changed meanwhile.', schema: packageChangeResultSchema },
  },
  examples: {
    'uplift-from-april': {
      kind: 'change-cost',
      lineId: 'line-1',
      effectiveDate: '2025-04-01',
      weeklyCostPence: 190550,
      reason: 'Annual provider uplift, 3%.',
    },
    'end-a-service': {
      kind: 'end-line',
      lineId: 'line-2',
      effectiveDate: '2024-09-30',
      reason: 'Day service no longer needed (review of 2024-09-20).',
    },
    'top-up-by-a-relative': {
      kind: 'top-up',
      lineId: 'line-1',
      effectiveDate: '2024-07-01',
      reason: 'The person chose a dearer care home; a relative pays the difference.',
      topUp: {
        payer: { kind: 'third-party', name: 'A relative' },
        usualCostWeeklyPence: 170000,
        weeklyPence: 15000,
        reviewDate: '2025-07-01',
        signedOn: '2024-06-20',
      },
    },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

export const determineRoute = {
  method: 'POST',
  path: '/v1/determinations',
  function: 'determine',
  kind: 'api',
  operationId: 'determine',
  summary: 'The responsibility engine alone: a determination for a case-facts document; nothing is recorded.',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: { body: determineRequestSchema },
  responses: { 200: { description: 'The determination.', schema: determinationSchema } },
  examples: {
    'detained-under-section-3': {
      facts: {
        id: 'APP-1',
        evaluationDate: '2024-06-01',
        events: [
          {
            type: 'residence',
            from: '2000-01-01',
            area: {
              country: 'england',
              la: 'LA-A',
              icb: 'ICB-A',
            },
            setting: 'own-home',
            basis: 'own-choice',
          },
          {
            type: 'gp-registration',
            from: '2000-01-01',
            icb: 'ICB-A',
          },
          {
            type: 'detention',
            from: '2024-01-10',
            section: '3',
            hospitalArea: {
              country: 'england',
              la: 'LA-HOSP',
              icb: 'ICB-HOSP',
            },
          },
        ],
      },
    },
  },
  problems: [400, 401],
} as const satisfies RouteSpec;

export const openApiRoute = {
  method: 'GET',
  path: '/v1/openapi.json',
  function: 'openapi',
  kind: 'api',
  operationId: 'getOpenApi',
  summary: 'This OpenAPI 3.1 document.',
  auth: 'none',
  schemas: {},
  responses: { 200: { description: 'The OpenAPI document.', schema: null } },
  problems: [],
} as const satisfies RouteSpec;

export const APPLICATION_ROUTES: readonly RouteSpec[] = [
  createApplicationRoute,
  listApplicationsRoute,
  getApplicationRoute,
  recordResponseRoute,
  getChronologyRoute,
  changeDischargeRoute,
  changePackageRoute,
  determineRoute,
  openApiRoute,
];
