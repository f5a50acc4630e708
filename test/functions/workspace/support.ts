/** Workspace pages over the in-memory ports: a signed-in session per role, and requests as the handler builds them. */
import type { Role } from '#functions/shared/auth.ts';
import type { IdentityProvider } from '#functions/workspace/oidc.ts';
import type { Session } from '#domain/workspace/ports.ts';
import { randomToken } from '#functions/workspace/session.ts';
import { handleWorkspace, type WorkspaceDeps, type WorkspaceRequest, type WorkspaceResponse } from '#functions/workspace/workspace.ts';
import { memoryDeps, type TestDeps } from '../api/support.ts';
import { registerTestDeps } from '../register/support.ts';

/** Pages never reach the identity provider; sign-in has its own tests (test/e2e/workspace-sign-in.e2e.test.ts). */
const noIdentity: IdentityProvider = {
  authorizationUrl: () => Promise.reject(new Error('not used by pages')),
  callback: () => Promise.reject(new Error('not used by pages')),
};

export interface PageHarness {
  api: TestDeps;
  deps: WorkspaceDeps;
  /** Opens a session for a user of `org` with `role`; returns its cookie and CSRF token. */
  signIn(org: string, role: Role, name?: string): Promise<{ cookie: string; csrf: string }>;
  get(path: string, cookie?: string): Promise<WorkspaceResponse>;
  post(path: string, form: Record<string, string>, cookie?: string): Promise<WorkspaceResponse>;
}

export function pageHarness(): PageHarness {
  const api = memoryDeps();
  const deps: WorkspaceDeps = {
    sessions: api.memory.sessions,
    identity: noIdentity,
    baseUrl: 'http://127.0.0.1:3000',
    now: () => Math.floor(Date.parse(api.clock.now()) / 1000),
    api,
    exports: {
      register: api.memory.exportRegister,
      directory: api.directory,
      objects: api.memory.objects,
      clock: api.clock,
      startWorkflow: () => Promise.reject(new Error('a register this small is exported inline')),
      linkExpirySeconds: 900,
      inlineMaxCases: 200,
    },
    // The register's pages swap in test/functions/register/support.ts's deps, seeded with its partnership.
    register: registerTestDeps(),
    disputes: {
      applications: api.applications,
      chronology: api.chronology,
      directory: api.directory,
      tokens: api.tokens,
      mailer: api.memory.mailer,
      mailLog: api.memory.mailLog,
      workflow: api.workflow,
      disputes: api.memory.disputes,
      clock: api.clock,
      appBaseUrl: 'http://127.0.0.1:3000',
    },
  };
  const request = (method: string, path: string, cookie: string | undefined, form: URLSearchParams | null): WorkspaceRequest => {
    const [p, q] = path.split('?');
    return { method, path: p ?? path, query: q ?? '', cookies: cookie === undefined ? {} : { 's117-session': cookie }, form };
  };
  return {
    api,
    deps,
    async signIn(org, role, name) {
      const id = randomToken();
      const session: Session = { userId: `u-${org.toLowerCase()}`, org, role, csrf: randomToken(), expiresAt: deps.now() + 3600 };
      if (name !== undefined) session.name = name;
      await api.memory.sessions.create(id, session);
      return { cookie: id, csrf: session.csrf };
    },
    get: (path, cookie) => handleWorkspace(deps, request('GET', path, cookie, null)),
    post: (path, form, cookie) => handleWorkspace(deps, request('POST', path, cookie, new URLSearchParams(form))),
  };
}
