/** Funding applications (issue 4): the /v1 API, the funding-application workflow and its steps. */
import { BUNDLED_SCRIPT } from '#functions/docs/api-reference.ts';
import type { FeatureManifest, TableGrant } from '../app-manifest.ts';
import { apiFunction, commonEnvironment, readDirectory, readOnly, readWrite, taskFunction } from './common.ts';

/** The functions of statemachines/funding-application.asl.json, by the substitution that names each. */
export const fundingApplicationTasks = {
  ValidateApplicationArn: 'validate-application',
  DetermineResponsibilityArn: 'determine-responsibility',
  RequestResponseArn: 'request-response',
  DecideFundingRouteArn: 'decide-funding-route',
  RecordAgreementArn: 'record-agreement',
  RecordInterimFundingArn: 'record-interim-funding',
  RecordNotEligibleArn: 'record-not-eligible',
  /** The panel's callback task (lib/manifest/panels.ts), when agreed funding is above the partnership's threshold. */
  RequestPanelDecisionArn: 'request-panel-decision',
} as const;

const recorder = { tables: [readDirectory, readWrite('APP#*', 'PERSON#*')], sendEmail: true };

/** The outbox of hand-offs (issue 12, item 4): written and cleared by record-response, drained by the reconciler. */
export const handOffOutbox: TableGrant = { table: 'Register', actions: ['read', 'write', 'delete'], partitionKeys: ['OUTBOX#*'] };

export const fundingApplications: FeatureManifest = {
  functions: [
    apiFunction('create-application', {
      environment: {
        ...commonEnvironment,
        FUNDING_STATE_MACHINE_ARN: 'state-machine:funding-application',
        PERSON_REF_KEY_SECRET: 'secret:person-ref-key',
      },
      permissions: { tables: [readDirectory, readWrite('APP#*', 'PERSON#*', 'IDEM#*')], startExecution: ['funding-application'] },
    }),
    apiFunction('get-application', { permissions: { tables: [readOnly('APP#*')] } }),
    apiFunction('list-applications', { permissions: { tables: [{ ...readOnly('APP#*'), queryIndexes: true }] } }),
    apiFunction('record-response', {
      permissions: { tables: [readDirectory, readWrite('APP#*', 'PERSON#*'), handOffOutbox], taskResponse: ['funding-application'] },
    }),
    // Issue 13 items 5 and 3: a party's changes after submission, the discharge dates and delay reasons, and the package
    // (reads the partnership's panel threshold); chronology entries on the person.
    apiFunction('change-discharge', { permissions: { tables: [readDirectory, readWrite('APP#*', 'PERSON#*')] } }),
    apiFunction('get-chronology', { permissions: { tables: [readOnly('APP#*', 'PERSON#*')] } }),
    apiFunction('determine'),
    apiFunction('openapi'),
    // The readable reference of the document above (functions/docs/): the page, and Scalar's script from our own route.
    { name: 'api-docs', handler: 'functions/docs/api-docs.handler.ts', environment: commonEnvironment, timeoutSeconds: 10 },
    {
      name: 'api-reference-script',
      handler: 'functions/docs/api-reference-script.handler.ts',
      environment: commonEnvironment,
      timeoutSeconds: 10,
      bundleFiles: [{ from: 'node_modules/@scalar/api-reference/dist/browser/standalone.js', to: BUNDLED_SCRIPT }],
    },
    taskFunction('validate-application', { permissions: { tables: [readDirectory, readOnly('APP#*')] } }),
    taskFunction('determine-responsibility', { permissions: { tables: [readDirectory, readWrite('APP#*', 'PERSON#*')] } }),
    taskFunction('request-response', { permissions: { ...recorder, taskResponse: ['funding-application'] } }),
    taskFunction('decide-funding-route', { permissions: { tables: [readDirectory, readOnly('APP#*'), readWrite('PERSON#*')] } }),
    taskFunction('record-agreement', { permissions: recorder }),
    taskFunction('record-interim-funding', { permissions: recorder }),
    taskFunction('record-not-eligible', { permissions: recorder }),
    // Delivers answers a crashed request saved but did not hand to the workflow: every 5 minutes in AWS, at start locally.
    // Daily, the same function escalates discharge delays waiting on funding (issue 13 item 5): a rule, not a function.
    taskFunction('reconcile-hand-offs', {
      timeoutSeconds: 300,
      permissions: {
        tables: [readDirectory, { ...readWrite('APP#*', 'PERSON#*'), queryIndexes: true }, handOffOutbox],
        taskResponse: ['funding-application'],
        sendEmail: true,
      },
      schedules: [
        { rateMinutes: 5, atStart: { minAgeSeconds: 0 } },
        // Not at start locally: it reads the directory, which `npm start` seeds after the runtime is up.
        { name: 'funding-delays', rateMinutes: 24 * 60, event: { job: 'escalate-funding-delays' } },
      ],
    }),
  ],
  stateMachines: [
    {
      name: 'funding-application',
      definitionFile: 'statemachines/funding-application.asl.json',
      substitutions: {
        ...Object.fromEntries(Object.entries(fundingApplicationTasks).map(([placeholder, fn]) => [placeholder, `function:${fn}`])),
        DisputeStateMachineArn: 'state-machine:dispute',
      },
    },
  ],
};
