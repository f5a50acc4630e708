/** GET (and HEAD) /approvals/{approvalId}: shows the case and the decision form; never decides. */
import { pageHandler } from '../shared/middy.ts';
import { errorPage } from './approval-html.ts';
import { showApproval } from './approval-pages.ts';
import { panelDeps } from './panel-deps.ts';

export const handler = pageHandler(async (input) => showApproval(panelDeps(), input), errorPage);
