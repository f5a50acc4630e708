/**
 * The workspace's routes (issue 16), in the one route table (functions/routes.ts). They are pages, not API
 * operations: no JWT authorizer (the session cookie is the credential, checked by the function) and not in OpenAPI.
 */
import { ANY_ROLE, COMMISSIONING_ROLES, FINANCE_ROLES, REGISTER_READER_ROLES, type Role } from '../shared/auth.ts';
import type { RouteMethod, RouteSpec } from '../shared/route-spec.ts';

export const WORKSPACE_FUNCTION = 'workspace';

/** nhsuk-frontend's stylesheet: its file name beside a deployed handler, and the last segment of its route. */
export const BUNDLED_STYLESHEET = 'nhsuk-frontend.min.css';
/** The folder beside a deployed handler that holds nhsuk-frontend's templates (`nhsuk/components/...`). */
export const BUNDLED_TEMPLATES = 'nhsuk';
export const STYLESHEET_PATH = `/app/assets/${BUNDLED_STYLESHEET}`;

const page = (
  method: RouteMethod,
  path: string,
  operationId: string,
  summary: string,
  problems: readonly number[] = [],
  roles: readonly Role[] = ANY_ROLE,
): RouteSpec => ({
  method,
  path,
  function: WORKSPACE_FUNCTION,
  kind: 'page',
  operationId,
  summary,
  auth: 'none',
  roles,
  schemas: {},
  responses:
    method === 'GET'
      ? { 200: { description: 'An HTML page.', schema: null, contentTypes: ['text/html'] } }
      : { 303: { description: 'Redirect after the action.', schema: null } },
  problems,
});

export const workspaceHomeRoute = page(
  'GET',
  '/app',
  'workspaceHome',
  "The signed-in person's workspace (303 to sign-in without a session).",
);
export const applicationsPageRoute = page(
  'GET',
  '/app/applications',
  'workspaceApplications',
  "The organisation's applications: status, who is waiting on whom, requested start and days waiting.",
  [403],
  COMMISSIONING_ROLES,
);
export const applicationPageRoute = page(
  'GET',
  '/app/applications/{id}',
  'workspaceApplication',
  'One application: determination and reasons, funding timeline, responses, the answer form and the chronology.',
  [403, 404],
  COMMISSIONING_ROLES,
);
export const answerApplicationRoute = page(
  'POST',
  '/app/applications/{id}/answer',
  'workspaceAnswerApplication',
  "Accept or dispute for the person's body (CSRF token required): POST /v1/applications/{id}/responses's use case and validation.",
  [400, 403, 404, 409, 422],
  COMMISSIONING_ROLES,
);
export const exportsPageRoute = page(
  'GET',
  '/app/exports',
  'workspaceExports',
  "Finance exports: pick a partnership, period and format; the partnership's batches of the twelve months to the period.",
  [403],
  FINANCE_ROLES,
);
export const exportDownloadRoute = page(
  'GET',
  '/app/exports/download',
  'workspaceExportDownload',
  "Downloads the apportionment export (CSV or XLSX): GET /v1/exports/apportionment's use case and validation.",
  [400, 403, 404, 422],
  FINANCE_ROLES,
);
export const registerPageRoute = page(
  'GET',
  '/app/register',
  'workspaceRegister',
  "The partnership's register: people and episodes with their status today, by status (reviews due): GET /v1/register/episodes's use case.",
  [400, 403, 404],
  REGISTER_READER_ROLES,
);
export const disputesPageRoute = page(
  'GET',
  '/app/disputes',
  'workspaceDisputes',
  "The organisation's running disputes and their clocks: stage, age, the stage's deadline, the referral date.",
  [403],
  COMMISSIONING_ROLES,
);

export const newApplicationPageRoute = page(
  'GET',
  '/app/new-application',
  'workspaceNewApplication',
  "The application form: the person, where they lived, the detention and the service (POST /v1/applications's fields).",
  [403],
  COMMISSIONING_ROLES,
);
export const submitApplicationRoute = page(
  'POST',
  '/app/new-application',
  'workspaceSubmitApplication',
  "Submits the application form (CSRF token required): POST /v1/applications's schema and use case; 303 to the application.",
  [400, 403, 409, 422],
  COMMISSIONING_ROLES,
);

export const reviewsPageRoute = page(
  'GET',
  '/app/reviews',
  'workspaceReviews',
  "Reviews due and overdue on the partnership's register, with each episode's next review: GET /v1/register/episodes's use cases.",
  [400, 403, 404, 422],
  REGISTER_READER_ROLES,
);
export const delaysPageRoute = page(
  'GET',
  '/app/delays',
  'workspaceDelays',
  "People clinically ready for discharge and still in hospital, longest wait first: GET /v1/reports/delays's use case.",
  [400, 403, 404, 422],
  COMMISSIONING_ROLES,
);
export const maturityWorkspaceRoute = page(
  'GET',
  '/app/maturity',
  'workspaceMaturity',
  "The partnership's maturity matrix with charts of interim exposure and reviews in date by month: GET /v1/reports/maturity's use case.",
  [400, 403, 404, 422],
  REGISTER_READER_ROLES,
);

export const referralPackPageRoute = page(
  'GET',
  '/app/disputes/{id}/referral-pack',
  'workspaceReferralPack',
  "A dispute's referral pack as a page (statement of facts, chronology, correspondence), and with ?format=pdf the PDF for the Secretary of State.",
  [403, 404],
  COMMISSIONING_ROLES,
);

export const WORKSPACE_ROUTES: readonly RouteSpec[] = [
  workspaceHomeRoute,
  applicationsPageRoute,
  applicationPageRoute,
  answerApplicationRoute,
  newApplicationPageRoute,
  submitApplicationRoute,
  exportsPageRoute,
  exportDownloadRoute,
  registerPageRoute,
  disputesPageRoute,
  reviewsPageRoute,
  delaysPageRoute,
  maturityWorkspaceRoute,
  referralPackPageRoute,
  page('GET', '/app/sign-in', 'workspaceSignIn', 'Starts authorization code + PKCE at the identity provider.'),
  page('GET', '/app/callback', 'workspaceCallback', 'Completes the sign-in and opens a session.', [400]),
  page('POST', '/app/sign-out', 'workspaceSignOut', 'Ends the session (CSRF token required).', [403]),
  page('GET', '/app/signed-out', 'workspaceSignedOut', 'Confirms the sign-out.'),
  {
    ...page('GET', STYLESHEET_PATH, 'workspaceStylesheet', "nhsuk-frontend's compiled stylesheet, from the installed package (no CDN)."),
    responses: {
      200: { description: 'The stylesheet.', schema: null, contentTypes: ['text/css; charset=utf-8'] },
      304: { description: 'The stylesheet the client holds (If-None-Match) is current.', schema: null },
    },
  },
];
