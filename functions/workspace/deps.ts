/**
 * The workspace's ports, wired from the environment once per cold start: the session store in the register
 * table, the OpenID Connect provider (OIDC_ISSUER, OIDC_CLIENT_ID) and the public base URL (APP_BASE_URL).
 * Small on purpose, so that a composition root can take it over.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { openIdProvider } from './oidc.ts';
import { DynamoSessionStore } from './session.ts';
import type { WorkspaceDeps } from './workspace.ts';

const workspaceEnvSchema = z.object({
  REGISTER_TABLE_NAME: z.string().min(1),
  APP_BASE_URL: z.url(),
  OIDC_ISSUER: z.url(),
  OIDC_CLIENT_ID: z.string().min(1),
});

export function workspaceDeps(source: Readonly<Record<string, string | undefined>> = process.env): WorkspaceDeps {
  const env = workspaceEnvSchema.parse(source);
  const baseUrl = env.APP_BASE_URL.replace(/\/+$/, '');
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  return {
    sessions: new DynamoSessionStore(documents, env.REGISTER_TABLE_NAME),
    identity: openIdProvider({ issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, redirectUri: `${baseUrl}/app/callback` }),
    baseUrl,
    now: () => Math.floor(Date.now() / 1000),
  };
}
