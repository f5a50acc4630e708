/**
 * The approval pages: public (`auth: 'none'`), because the approval id in the emailed link is the credential, and
 * only a POST with the page's single-use form token records a vote. Panel members act only through these links.
 */
import * as z from 'zod';
import type { RouteSpec } from '../shared/route-spec.ts';

const HTML = ['text/html; charset=utf-8'] as const;
const approvalPathSchema = z.object({ approvalId: z.string().min(1).max(200) });

export const approvalPageRoute = {
  method: 'GET',
  path: '/approvals/{approvalId}',
  function: 'approval-page',
  kind: 'page',
  operationId: 'showApproval',
  summary: "A panel member's approval page: the request, and a form to approve, reject or ask for more information.",
  auth: 'none',
  schemas: { path: approvalPathSchema },
  responses: { 200: { description: 'The page.', schema: null, contentTypes: HTML } },
  problems: [404, 410],
} as const satisfies RouteSpec;

export const recordVoteRoute = {
  method: 'POST',
  path: '/approvals/{approvalId}',
  function: 'record-vote',
  kind: 'page',
  operationId: 'recordVote',
  summary: "Records the panel member's vote from the page's form (application/x-www-form-urlencoded, single-use form token).",
  auth: 'none',
  schemas: { path: approvalPathSchema },
  responses: { 200: { description: 'The confirmation page.', schema: null, contentTypes: HTML } },
  problems: [400, 404, 409, 410, 413, 415],
} as const satisfies RouteSpec;

export const PANEL_ROUTES: readonly RouteSpec[] = [approvalPageRoute, recordVoteRoute];
