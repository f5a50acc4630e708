/** The joint s117 register (issue 8): people and episodes, CSV batches, reviews and their schedule, endings, the maturity matrix. */
import { EPISODE_CARE_FUNCTION } from '#functions/register/routes.ts';
import { BUNDLED_STYLESHEET, BUNDLED_TEMPLATES } from '#functions/workspace/routes.ts';
import type { FeatureManifest, FunctionDefinition } from '../app-manifest.ts';
import { commonEnvironment, readDirectory, readOnly, readWrite } from './common.ts';

/** The functions of statemachines/review-schedule.asl.json, by the substitution that names each. */
export const reviewScheduleTasks = {
  PlanNextReviewArn: 'plan-next-review',
  SendReviewReminderArn: 'send-review-reminder',
  CheckReviewArn: 'check-review',
  EscalateOverdueReviewArn: 'escalate-overdue-review',
} as const;

/**
 * No execution of the review schedule runs longer than this (Step Functions ends a Standard execution after one
 * year): each hands over to the next at this bound at the latest.
 */
export const REVIEW_EXECUTION_MAX_DAYS = 300;

/** The functions of statemachines/ending-recommendation.asl.json (request-panel-decision is the panels feature's). */
export const endingRecommendationTasks = {
  RequestPanelDecisionArn: 'request-panel-decision',
  RecordEndingPanelDecisionArn: 'record-ending-panel-decision',
} as const;

const handler = (name: string): string => `functions/register/${name}.handler.ts`;
const api = (name: string, definition: Omit<FunctionDefinition, 'name' | 'handler'>): FunctionDefinition => ({
  name,
  handler: handler(name),
  environment: commonEnvironment,
  timeoutSeconds: 10,
  ...definition,
});
const task = (name: string, definition: Omit<FunctionDefinition, 'name' | 'handler'>): FunctionDefinition => ({
  name,
  handler: handler(name),
  environment: commonEnvironment,
  timeoutSeconds: 30,
  ...definition,
});

/** Writes facts and re-runs the register: the person's items, the chronology, mail to the bodies, the review schedule. */
const factWriter = {
  tables: [readDirectory, readWrite('PERSON#*')],
  sendEmail: true,
  startExecution: ['review-schedule'],
};
const factEnvironment = { ...commonEnvironment, REVIEW_STATE_MACHINE_ARN: 'state-machine:review-schedule' };
const personEnvironment = { ...factEnvironment, PERSON_REF_KEY_SECRET: 'secret:person-ref-key' };
const stepPermissions = { tables: [readDirectory, readWrite('PERSON#*')], sendEmail: true };

export const register: FeatureManifest = {
  functions: [
    api('create-person', { environment: personEnvironment, permissions: factWriter }),
    api('record-batch', { environment: personEnvironment, timeoutSeconds: 60, permissions: factWriter }),
    api('record-event', { environment: factEnvironment, permissions: factWriter }),
    api('record-ending-decision', { environment: factEnvironment, permissions: factWriter }),
    api('reinstate', { environment: factEnvironment, permissions: factWriter }),
    // The person's record joins their applications and disputes (issue 13 item 6).
    api('get-person', { permissions: { tables: [readDirectory, readOnly('PERSON#*', 'APP#*')] } }),
    api('get-person-chronology', { permissions: { tables: [readDirectory, readOnly('PERSON#*', 'APP#*')] } }),
    api('get-episode', { permissions: { tables: [readDirectory, readOnly('PERSON#*')] } }),
    api('list-episodes', { permissions: { tables: [readDirectory, { ...readOnly('PERSON#*'), queryIndexes: true }] } }),
    // The episode's care team and plan, and the person's contacts (issue 17): a plan names the applications' service
    // lines (read) and is mailed to the person, the GP, providers and carers.
    api(EPISODE_CARE_FUNCTION, {
      permissions: { tables: [readDirectory, readWrite('PERSON#*'), readOnly('APP#*')], sendEmail: true },
    }),
    api('record-review', { permissions: { tables: [readDirectory, readWrite('PERSON#*')] } }),
    // Also budgets (issue 17 item 4): an award adds its service line to the person's application.
    api('record-charge', { permissions: { tables: [readDirectory, readWrite('PERSON#*', 'APP#*')] } }),
    api('recommend-ending', {
      environment: { ...commonEnvironment, ENDING_STATE_MACHINE_ARN: 'state-machine:ending-recommendation' },
      permissions: { tables: [readDirectory, readWrite('PERSON#*')], sendEmail: true, startExecution: ['ending-recommendation'] },
    }),
    // Letters as HTML pages (nhsuk-frontend's templates, as the workspace's) and as PDFs (pdfkit, installed with its fonts).
    api('get-letter', {
      permissions: { tables: [readDirectory, readOnly('PERSON#*')] },
      bundleFiles: [
        { from: 'node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css', to: BUNDLED_STYLESHEET },
        { from: 'node_modules/nhsuk-frontend/dist/nhsuk', to: BUNDLED_TEMPLATES, suffix: '.njk' },
      ],
      nodeModules: ['pdfkit'],
    }),
    api('maturity-report', {
      timeoutSeconds: 30,
      permissions: { tables: [readDirectory, { ...readOnly('PERSON#*', 'APP#*'), queryIndexes: true }] },
    }),
    api('delays-report', {
      timeoutSeconds: 30,
      permissions: { tables: [readDirectory, { ...readOnly('APP#*'), queryIndexes: true }] },
    }),
    api('maturity-page', {
      timeoutSeconds: 30,
      permissions: { tables: [readDirectory, { ...readOnly('PERSON#*', 'APP#*'), queryIndexes: true }] },
    }),
    task('plan-next-review', { permissions: { tables: [readDirectory, readOnly('PERSON#*')] } }),
    task('send-review-reminder', { permissions: stepPermissions }),
    // Also records a young person's handover to adult services at 18 (issue 17 item 5): writes the person, tells the bodies.
    task('check-review', { permissions: stepPermissions }),
    task('escalate-overdue-review', { permissions: stepPermissions }),
    // Records the panel's answer; an agreed ending re-runs the register like any new fact (the review schedule may restart).
    task('record-ending-panel-decision', {
      environment: factEnvironment,
      permissions: { tables: [readDirectory, readWrite('PERSON#*')], sendEmail: true, startExecution: ['review-schedule'] },
    }),
  ],
  stateMachines: [
    {
      name: 'review-schedule',
      definitionFile: 'statemachines/review-schedule.asl.json',
      substitutions: {
        ...Object.fromEntries(Object.entries(reviewScheduleTasks).map(([placeholder, fn]) => [placeholder, `function:${fn}`])),
        // Each execution hands over to the next of the same machine, and none waits past this bound (issue 15).
        ReviewScheduleArn: 'state-machine:review-schedule',
        MaxExecutionSeconds: String(REVIEW_EXECUTION_MAX_DAYS * 86_400),
      },
    },
    {
      name: 'ending-recommendation',
      definitionFile: 'statemachines/ending-recommendation.asl.json',
      substitutions: Object.fromEntries(
        Object.entries(endingRecommendationTasks).map(([placeholder, fn]) => [placeholder, `function:${fn}`]),
      ),
    },
  ],
};
