/**
 * A manifest that declares every kind of permission, so the IAM tests see each one rendered; the handlers are
 * the local-runtime fixtures (bundling is skipped, the files only have to exist).
 */
import { fundingApplicationTasks, registerTable, type AppManifest, type FunctionDefinition } from '#lib/app-manifest.ts';

const handler = 'test/fixtures/local/echo.handler.ts';
const env = { REGISTER_TABLE_NAME: 'table:Register', MAIL_FROM: 'local@localhost', APP_BASE_URL: 'runtime:api-url' };

const task = (name: string): FunctionDefinition => ({
  name,
  handler,
  environment: env,
  permissions: { tables: [{ table: 'Register', actions: ['read', 'write'] }] },
});

export const iamManifest: AppManifest = {
  tables: [registerTable],
  functions: [
    { name: 'reader', handler, environment: env, permissions: { tables: [{ table: 'Register', actions: ['read'] }] } },
    {
      name: 'lister',
      handler,
      environment: env,
      permissions: { tables: [{ table: 'Register', actions: ['read'], queryIndexes: true, partitionKeys: ['APP#*', 'DIRECTORY'] }] },
    },
    {
      name: 'creator',
      handler,
      environment: {
        ...env,
        FUNDING_STATE_MACHINE_ARN: 'state-machine:funding-application',
        PERSON_REF_KEY_SECRET: 'secret:person-ref-key',
      },
      permissions: {
        tables: [{ table: 'Register', actions: ['read', 'write'], partitionKeys: ['APP#*', 'PERSON#*', 'IDEM#*'] }],
        startExecution: ['funding-application'],
      },
    },
    {
      name: 'responder',
      handler,
      environment: env,
      permissions: { tables: [{ table: 'Register', actions: ['read', 'write', 'delete'] }], taskResponse: ['funding-application'] },
    },
    { name: 'mailer', handler, environment: env, permissions: { sendEmail: true } },
    { name: 'public', handler },
    ...Object.values(fundingApplicationTasks)
      .filter((n) => n !== 'request-response')
      .map(task),
    // Invoked by the machine and answering its tokens: the case that used to be a circular dependency.
    {
      ...task('request-response'),
      permissions: { tables: [{ table: 'Register', actions: ['read', 'write'] }], sendEmail: true, taskResponse: ['funding-application'] },
    },
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
    // Started by funding-application after a dispute; any definition without placeholders stands in for it.
    { name: 'dispute', definitionFile: 'test/fixtures/local/long-wait.asl.json', substitutions: {} },
  ],
  routes: [
    { method: 'GET', path: '/v1/things/{id}', function: 'reader' },
    { method: 'GET', path: '/v1/things', function: 'lister', auth: 'jwt' },
    { method: 'GET', path: '/v1/public', function: 'public', auth: 'none' },
  ],
};
