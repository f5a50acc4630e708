/** The reusable callback task: any workflow asks its partnership's panel (contract: domain/panels/contract.ts). */
import { createDynamoAdapters as dynamodb } from '../adapters/dynamodb/index.ts';
import { createSesAdapters as ses } from '../adapters/ses/index.ts';
import { createSfnAdapters as sfn } from '../adapters/sfn/index.ts';
import { taskHandler } from '../shared/middy.ts';
import { panelDeps } from './panel-deps.ts';
import { parseRequestPanelDecision } from './panel-inputs.ts';
import { requestPanelDecision } from './panel-steps.ts';

export const handler = taskHandler(async (event: unknown) =>
  requestPanelDecision(panelDeps({ dynamodb, ses, sfn }), parseRequestPanelDecision(event)),
);
