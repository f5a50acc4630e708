/**
 * The workspace's routes (issue 16), as RouteSpec objects with the manifest function beside each, for the one
 * route table. They are pages, not API operations: no JWT authorizer (the session cookie is the credential,
 * checked by the function) and not in OpenAPI.
 */
import { ANY_ROLE } from '../shared/auth.ts';
import type { RouteSpec } from '../api/routes.ts';
import type { HttpSchemas } from '../shared/middy.ts';

export const WORKSPACE_FUNCTION = 'workspace';

export interface WorkspaceRoute {
  spec: RouteSpec<HttpSchemas, 'none'>;
  function: typeof WORKSPACE_FUNCTION;
}

const page = (
  method: 'GET' | 'POST',
  path: string,
  operationId: string,
  summary: string,
  problems: readonly number[] = [],
): WorkspaceRoute => ({
  spec: {
    method,
    path,
    operationId,
    summary,
    auth: 'none',
    roles: ANY_ROLE,
    schemas: {},
    responses:
      method === 'GET'
        ? { 200: { description: 'An HTML page.', schema: null } }
        : { 303: { description: 'Redirect after the action.', schema: null } },
    problems,
  },
  function: WORKSPACE_FUNCTION,
});

export const workspaceRoutes: readonly WorkspaceRoute[] = [
  page('GET', '/app', 'workspaceHome', "The signed-in person's workspace (303 to sign-in without a session)."),
  page('GET', '/app/sign-in', 'workspaceSignIn', 'Starts authorization code + PKCE at the identity provider.'),
  page('GET', '/app/callback', 'workspaceCallback', 'Completes the sign-in and opens a session.', [400]),
  page('POST', '/app/sign-out', 'workspaceSignOut', 'Ends the session (CSRF token required).', [403]),
  page('GET', '/app/signed-out', 'workspaceSignedOut', 'Confirms the sign-out.'),
];
