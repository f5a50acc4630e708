/** Step SendPanelReminders of statemachines/panel-reminders.asl.json. */
import { taskHandler } from '../shared/middy.ts';
import { panelDeps } from './panel-deps.ts';
import { parseReminderLoop } from './panel-inputs.ts';
import { sendPanelReminders } from './panel-steps.ts';

export const handler = taskHandler(async (event: unknown) => sendPanelReminders(panelDeps(), parseReminderLoop(event)));
