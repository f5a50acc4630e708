/** The in-memory twin of functions/adapters/dynamodb/sessions.ts: the same contract, for tests. */
import type { PendingSignIn, Session, SessionStore } from '#domain/workspace/ports.ts';
import { digest } from '../../workspace/session.ts';

export class MemorySessionStore implements SessionStore {
  readonly sessions = new Map<string, Session>();
  readonly signIns = new Map<string, PendingSignIn>();
  async create(id: string, session: Session): Promise<void> {
    const key = digest(id);
    if (this.sessions.has(key)) throw new Error('session id collision');
    this.sessions.set(key, { ...session });
  }
  async get(id: string, nowSeconds: number): Promise<Session | undefined> {
    const session = this.sessions.get(digest(id));
    return session !== undefined && session.expiresAt > nowSeconds ? { ...session } : undefined;
  }
  async delete(id: string): Promise<void> {
    this.sessions.delete(digest(id));
  }
  async putSignIn(state: string, pending: PendingSignIn): Promise<void> {
    this.signIns.set(digest(state), { ...pending });
  }
  async takeSignIn(state: string, nowSeconds: number): Promise<PendingSignIn | undefined> {
    const key = digest(state);
    const pending = this.signIns.get(key);
    this.signIns.delete(key);
    return pending !== undefined && pending.expiresAt > nowSeconds ? pending : undefined;
  }
}
