/**
 * The workspace people sign in to (issue 16): one function behind every /app route. The routes are public at the
 * gateway (`auth: 'none'`): the function checks its own session cookie, and each page its roles. It reads and
 * writes sessions and sign-ins in progress (`SESSION#`, `SIGNIN#`), and what the API use cases its pages call read
 * and write: applications and their chronology, the directory, the hand-off outbox of an answer, the idempotency
 * keys, person-reference key and funding workflow of a submitted application (as create-application's), and the
 * export register, bucket and workflow of a finance download.
 */
import { BUNDLED_STYLESHEET, BUNDLED_TEMPLATES, WORKSPACE_FUNCTION } from '#functions/workspace/routes.ts';
import type { FeatureManifest } from '../app-manifest.ts';
import { commonEnvironment, readDirectory, readWrite } from './common.ts';
import { handOffOutbox } from './funding-applications.ts';

export const workspace: FeatureManifest = {
  functions: [
    {
      name: WORKSPACE_FUNCTION,
      handler: 'functions/workspace/workspace.handler.ts',
      environment: {
        ...commonEnvironment,
        OIDC_ISSUER: 'runtime:oidc-issuer',
        OIDC_CLIENT_ID: 'runtime:oidc-client-id',
        // The application form runs create-application's use case: what create-application is given.
        FUNDING_STATE_MACHINE_ARN: 'state-machine:funding-application',
        PERSON_REF_KEY_SECRET: 'secret:person-ref-key',
        // The finance page runs the export API's use case: what export-apportionment is given.
        EXPORTS_BUCKET: 'bucket:exports',
        EXPORT_LINK_EXPIRY_SECONDS: '900',
        EXPORT_STATE_MACHINE_ARN: 'state-machine:export',
        EXPORT_INLINE_MAX_CASES: '200',
      },
      // As export-apportionment: a finance download exports a register of up to 200 applications in the request.
      timeoutSeconds: 29,
      memoryMb: 1024,
      // The referral pack's PDF download: pdfkit reads its fonts' metrics from its own package, so installed, not bundled.
      nodeModules: ['pdfkit'],
      // nhsuk-frontend's templates and stylesheet, read at run time (functions/workspace/nhsuk.ts).
      bundleFiles: [
        { from: 'node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css', to: BUNDLED_STYLESHEET },
        { from: 'node_modules/nhsuk-frontend/dist/nhsuk', to: BUNDLED_TEMPLATES, suffix: '.njk' },
      ],
      permissions: {
        tables: [
          readWrite('SESSION#*', 'SIGNIN#*'),
          readDirectory,
          { ...readWrite('APP#*', 'PERSON#*', 'IDEM#*', 'EXPORT#*', 'EXPORTBATCH#*', 'EXPORTJOB#*'), queryIndexes: true },
          handOffOutbox,
        ],
        // A commissioner's answer resumes the funding application's wait, as record-response does.
        taskResponse: ['funding-application'],
        // A finance download is an export, inline or through the export workflow, as export-apportionment's.
        // A submitted application starts its funding workflow, as create-application's does.
        startExecution: ['export', 'funding-application'],
        buckets: [{ bucket: 'exports', actions: ['read', 'write', 'delete', 'list'] }],
      },
    },
  ],
  stateMachines: [],
};
