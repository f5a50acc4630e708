/** Step SendPanelReminders of statemachines/panel-reminders.asl.json. */
import { createDynamoAdapters as dynamodb } from '../adapters/dynamodb/index.ts';
import { createSesAdapters as ses } from '../adapters/ses/index.ts';
import { createSfnAdapters as sfn } from '../adapters/sfn/index.ts';
import { taskHandler } from '../shared/middy.ts';
import { panelDeps } from './panel-deps.ts';
import { parseReminderLoop } from './panel-inputs.ts';
import { sendPanelReminders } from './panel-steps.ts';

export const handler = taskHandler(async (event: unknown) =>
  sendPanelReminders(panelDeps({ dynamodb, ses, sfn }), parseReminderLoop(event)),
);
