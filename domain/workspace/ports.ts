/**
 * The workspace's port: server-side sessions and sign-ins in progress (functions/workspace/session.ts says how they
 * are keyed and expire). Implemented by functions/adapters/dynamodb/sessions.ts and its in-memory twin
 * functions/adapters/memory/sessions.ts, held to one contract by test/adapters/sessions.contract.test.ts.
 */
import type { UserRole } from '../ports.ts';

export interface Session {
  userId: string;
  org: string;
  role: UserRole;
  name?: string;
  /** The synchroniser token every state-changing form of this session carries. */
  csrf: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  /** A path under /app to return to. */
  returnTo: string;
  expiresAt: number;
}

/**
 * The port the workspace needs: functions/adapters/dynamodb/sessions.ts in AWS and locally, its in-memory twin
 * functions/adapters/memory/sessions.ts in tests (the same contract: test/adapters/sessions.contract.test.ts).
 */
export interface SessionStore {
  create(id: string, session: Session): Promise<void>;
  get(id: string, nowSeconds: number): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  putSignIn(state: string, pending: PendingSignIn): Promise<void>;
  /** Returns and removes the pending sign-in; undefined if unknown, taken already or expired. */
  takeSignIn(state: string, nowSeconds: number): Promise<PendingSignIn | undefined>;
}
