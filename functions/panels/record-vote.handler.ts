/** POST /approvals/{approvalId}: with the page's single-use form token, the choice, then the confirmed decision. */
import { pageHandler } from '../shared/middy.ts';
import { errorPage } from './approval-html.ts';
import { submitApproval } from './approval-pages.ts';
import { panelDeps } from './panel-deps.ts';

export const handler = pageHandler(async (input) => submitApproval(panelDeps(), input), errorPage);
