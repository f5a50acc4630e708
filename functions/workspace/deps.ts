/**
 * The workspace's ports: the session store from the composition root (functions/adapters/root.ts), the OpenID
 * Connect provider (OIDC_ISSUER, OIDC_CLIENT_ID) and the public base URL (APP_BASE_URL), read from the
 * environment once per cold start.
 */
import * as z from 'zod';
import { ports } from '../adapters/root.ts';
import { apiDeps } from '../api/api-deps.ts';
import { disputeDeps } from '../disputes/deps.ts';
import { exportDeps } from '../exports/deps.ts';
import { registerDeps } from '../register/deps.ts';
import { openIdProvider } from './oidc.ts';
import type { WorkspaceDeps } from './workspace.ts';

const workspaceEnvSchema = z.object({
  APP_BASE_URL: z.url(),
  OIDC_ISSUER: z.url(),
  OIDC_CLIENT_ID: z.string().min(1),
});

export function workspaceDeps(source: Readonly<Record<string, string | undefined>> = process.env): WorkspaceDeps {
  const env = workspaceEnvSchema.parse(source);
  const baseUrl = env.APP_BASE_URL.replace(/\/+$/, '');
  return {
    get sessions() {
      return ports().sessions;
    },
    identity: openIdProvider({ issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, redirectUri: `${baseUrl}/app/callback` }),
    baseUrl,
    now: () => Math.floor(Date.now() / 1000),
    get api() {
      return apiDeps();
    },
    get exports() {
      return exportDeps();
    },
    get register() {
      return registerDeps();
    },
    get disputes() {
      return disputeDeps();
    },
  };
}
