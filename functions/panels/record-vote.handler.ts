/** POST /approvals/{approvalId}: with the page's single-use form token, the choice, then the confirmed decision. */
import { createDynamoAdapters as dynamodb } from '../adapters/dynamodb/index.ts';
import { createSfnAdapters as sfn } from '../adapters/sfn/index.ts';
import { pageHandler } from '../shared/middy.ts';
import { errorPage } from './approval-html.ts';
import { submitApproval } from './approval-pages.ts';
import { panelDeps } from './panel-deps.ts';

export const handler = pageHandler(async (input) => submitApproval(panelDeps({ dynamodb, sfn }), input), errorPage);
