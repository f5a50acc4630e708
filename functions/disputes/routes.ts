/** The dispute routes, in the shape of functions/api/routes.ts (method, path, roles, schemas, answers). */
import { CASE_READER_ROLES, COMMISSIONING_ROLES } from '../shared/auth.ts';
import type { RouteSpec } from '../shared/route-spec.ts';
import { applicationIdPathSchema } from '../api/common.schema.ts';
import { disputeViewSchema, recordOutcomeRequestSchema, referralPackViewSchema } from './api.ts';
import { referralPackHeadersSchema, referralPackQuerySchema } from './referral-pack-answer.ts';

export const getDisputeRoute = {
  method: 'GET',
  path: '/v1/applications/{id}/dispute',
  function: 'get-dispute',
  kind: 'api',
  operationId: 'getDispute',
  summary: "The application's dispute: its kind, state, stage, deadlines, outcome, referral pack link and settlement.",
  auth: 'required',
  roles: CASE_READER_ROLES,
  schemas: { path: applicationIdPathSchema },
  responses: { 200: { description: 'The dispute.', schema: disputeViewSchema } },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const recordDisputeOutcomeRoute = {
  method: 'POST',
  path: '/v1/applications/{id}/dispute/outcome',
  function: 'record-dispute-outcome',
  kind: 'api',
  operationId: 'recordDisputeOutcome',
  summary: "A stage's outcome: the bodies' agreement, NHS England's or the Secretary of State's decision, or a request to escalate.",
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: { path: applicationIdPathSchema, body: recordOutcomeRequestSchema },
  responses: {
    201: { description: 'The outcome, recorded; the dispute as it now stands.', schema: disputeViewSchema },
    200: { description: 'The same outcome was already recorded.', schema: disputeViewSchema },
  },
  examples: {
    'resolved-locally': {
      stage: 'local-resolution',
      decision: 'resolved',
      responsibleIcb: 'ICB-A',
      responsibleLa: 'LA-A',
      split: {
        icbBasisPoints: 5000,
      },
      reason: 'Both bodies agree the person lived in LA-A before detention.',
    },
  },
  problems: [400, 401, 403, 404, 409],
} as const satisfies RouteSpec;

export const getReferralPackRoute = {
  method: 'GET',
  path: '/v1/applications/{id}/dispute/referral-pack',
  function: 'get-referral-pack',
  kind: 'api',
  operationId: 'getReferralPack',
  summary:
    'The referral pack of a dispute between councils (statement of facts, chronology, correspondence): JSON with sections, text and HTML, or with ?format=pdf (or Accept: application/pdf) the tagged PDF for the Secretary of State.',
  auth: 'required',
  roles: COMMISSIONING_ROLES,
  schemas: { path: applicationIdPathSchema, query: referralPackQuerySchema, headers: referralPackHeadersSchema },
  responses: {
    200: {
      description: 'The pack, as JSON or as a PDF.',
      schema: referralPackViewSchema,
      contentTypes: ['application/json', 'application/pdf'],
      headers: ['Vary', 'Content-Disposition'],
    },
  },
  problems: [400, 401, 403, 404, 422],
} as const satisfies RouteSpec;

export const DISPUTE_ROUTES: readonly RouteSpec[] = [getDisputeRoute, recordDisputeOutcomeRoute, getReferralPackRoute];
