/**
 * The workspace people sign in to (issue 16): one function behind every /app route. The routes are public at the
 * gateway (`auth: 'none'`): the function checks its own session cookie, and each page its roles. It reads and
 * writes sessions and sign-ins in progress (`SESSION#`, `SIGNIN#`), and what the API use cases its pages call read
 * and write: applications and their chronology, the directory, and the hand-off outbox of an answer.
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
      environment: { ...commonEnvironment, OIDC_ISSUER: 'runtime:oidc-issuer', OIDC_CLIENT_ID: 'runtime:oidc-client-id' },
      timeoutSeconds: 10,
      // nhsuk-frontend's templates and stylesheet, read at run time (functions/workspace/nhsuk.ts).
      bundleFiles: [
        { from: 'node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css', to: BUNDLED_STYLESHEET },
        { from: 'node_modules/nhsuk-frontend/dist/nhsuk', to: BUNDLED_TEMPLATES, suffix: '.njk' },
      ],
      permissions: {
        tables: [
          readWrite('SESSION#*', 'SIGNIN#*'),
          readDirectory,
          { ...readWrite('APP#*', 'PERSON#*'), queryIndexes: true },
          handOffOutbox,
        ],
        // A commissioner's answer resumes the funding application's wait, as record-response does.
        taskResponse: ['funding-application'],
      },
    },
  ],
  stateMachines: [],
};
