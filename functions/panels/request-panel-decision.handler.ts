/** The reusable callback task: any workflow asks its partnership's panel (contract: domain/panels/contract.ts). */
import { taskHandler } from '../shared/middy.ts';
import { panelDeps } from './panel-deps.ts';
import { parseRequestPanelDecision } from './panel-inputs.ts';
import { requestPanelDecision } from './panel-steps.ts';

export const handler = taskHandler(async (event: unknown) => requestPanelDecision(panelDeps(), parseRequestPanelDecision(event)));
