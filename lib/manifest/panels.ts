/**
 * Joint funding panels (issue 5): the reusable `request-panel-decision` callback task, the reminder loop
 * (statemachines/panel-reminders.asl.json) and the scanner-safe approval pages. The pages are public
 * (`auth: 'none'`): the approval id in the link is the credential, and only a POST with the page's
 * single-use form token records a decision. HEAD is answered by the GET route and writes nothing.
 */
import type { FeatureManifest, FunctionDefinition } from '../app-manifest.ts';
import { commonEnvironment, readDirectory, readOnly, readWrite } from './common.ts';
import { BUNDLED_STYLESHEET, BUNDLED_TEMPLATES } from '#functions/workspace/routes.ts';

/** The functions of statemachines/panel-reminders.asl.json, by the substitution that names each. */
export const panelReminderTasks = {
  SendPanelRemindersArn: 'send-panel-reminders',
  EscalatePanelArn: 'escalate-panel',
  ResolveNoDecisionArn: 'resolve-no-decision',
} as const;

/**
 * State machines that call `request-panel-decision` (their task tokens are answered by the vote and by the
 * no-decision step). A workflow that starts calling the panel adds its name here.
 */
export const panelCallers: readonly string[] = ['funding-application', 'dispute', 'ending-recommendation'];

const handler = (name: string): string => `functions/panels/${name}.handler.ts`;
/** Panel requests and task tokens live under the application, approvals under their own id, votes in the chronology. */
const panelData = readWrite('APP#*', 'APPROVAL#*', 'PERSON#*');
const step = (name: string, extra: Partial<FunctionDefinition> = {}): FunctionDefinition => ({
  name,
  handler: handler(name),
  environment: commonEnvironment,
  timeoutSeconds: 30,
  permissions: { tables: [readDirectory, panelData], sendEmail: true, taskResponse: panelCallers },
  ...extra,
});

/** nhsuk-frontend's templates and stylesheet, copied beside a page's handler as the workspace's are (functions/workspace/nhsuk.ts). */
const NHSUK_FILES = [
  { from: 'node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css', to: BUNDLED_STYLESHEET },
  { from: 'node_modules/nhsuk-frontend/dist/nhsuk', to: BUNDLED_TEMPLATES, suffix: '.njk' },
];

export const panels: FeatureManifest = {
  functions: [
    step('request-panel-decision', {
      environment: { ...commonEnvironment, PANEL_REMINDERS_STATE_MACHINE_ARN: 'state-machine:panel-reminders' },
      permissions: { tables: [readDirectory, panelData], sendEmail: true, taskResponse: panelCallers, startExecution: ['panel-reminders'] },
    }),
    step('send-panel-reminders'),
    step('escalate-panel'),
    step('resolve-no-decision'),
    {
      name: 'approval-page',
      handler: handler('approval-page'),
      environment: commonEnvironment,
      timeoutSeconds: 10,
      // The pages' NHS.UK layout (functions/workspace/html.ts) reads nhsuk-frontend's templates beside the handler.
      bundleFiles: NHSUK_FILES,
      permissions: { tables: [readDirectory, readOnly('APP#*'), readWrite('APPROVAL#*')] },
    },
    {
      name: 'record-vote',
      handler: handler('record-vote'),
      environment: commonEnvironment,
      timeoutSeconds: 10,
      // The pages' NHS.UK layout (functions/workspace/html.ts) reads nhsuk-frontend's templates beside the handler.
      bundleFiles: NHSUK_FILES,
      permissions: { tables: [readDirectory, panelData], taskResponse: panelCallers },
    },
  ],
  stateMachines: [
    {
      name: 'panel-reminders',
      definitionFile: 'statemachines/panel-reminders.asl.json',
      substitutions: Object.fromEntries(Object.entries(panelReminderTasks).map(([placeholder, fn]) => [placeholder, `function:${fn}`])),
    },
  ],
};
