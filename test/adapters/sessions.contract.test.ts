/**
 * The workspace session store's contract, run against DynamoDB (dynalite) and the in-memory twin: a session
 * is created once, read until it expires and deleted; a pending sign-in is taken exactly once, unexpired.
 */
import { describe, expect, it } from 'vitest';
import { DynamoSessionStore } from '#functions/adapters/dynamodb/sessions.ts';
import { MemorySessionStore } from '#functions/adapters/memory/sessions.ts';
import type { PendingSignIn, Session, SessionStore } from '#domain/workspace/ports.ts';
import { useDynalite } from './dynalite.ts';

const NOW = 1_750_000_000;
const session: Session = { userId: 'u-1', org: 'QGH', role: 'commissioner', name: 'Sam Jones', csrf: 'csrf-token', expiresAt: NOW + 60 };
const pending: PendingSignIn = { codeVerifier: 'verifier', nonce: 'nonce', returnTo: '/app/register', expiresAt: NOW + 60 };

function contract(name: string, make: () => Promise<SessionStore>): void {
  describe(`session store: ${name}`, () => {
    it('reads a session back until it expires, never another id, and not after delete', async () => {
      const store = await make();
      await store.create('id-1', session);
      await expect(store.create('id-1', { ...session, userId: 'u-2' })).rejects.toThrow();
      expect(await store.get('id-1', NOW)).toStrictEqual(session);
      expect(await store.get('id-1', NOW + 59)).toStrictEqual(session);
      expect(await store.get('id-1', NOW + 60)).toBe(undefined);
      expect(await store.get('id-2', NOW)).toBe(undefined);
      const nameless: Session = { userId: 'u-3', org: 'QGH', role: 'finance', csrf: 'csrf-3', expiresAt: NOW + 60 };
      await store.create('id-3', nameless);
      expect(await store.get('id-3', NOW)).toStrictEqual(nameless);
      await store.delete('id-1');
      expect(await store.get('id-1', NOW)).toBe(undefined);
      await store.delete('id-never');
    });

    it('takes a pending sign-in once, and not once it has expired', async () => {
      const store = await make();
      await store.putSignIn('state-1', pending);
      expect(await store.takeSignIn('state-2', NOW)).toBe(undefined);
      expect(await store.takeSignIn('state-1', NOW)).toStrictEqual(pending);
      expect(await store.takeSignIn('state-1', NOW)).toBe(undefined);
      await store.putSignIn('state-3', pending);
      expect(await store.takeSignIn('state-3', NOW + 60)).toBe(undefined);
      expect(await store.takeSignIn('state-3', NOW)).toBe(undefined);
    });
  });
}

const freshTable = useDynalite();
contract('DynamoDB (dynalite)', async () => {
  const { db, tableName } = await freshTable();
  return new DynamoSessionStore(db, tableName);
});
contract('in memory', async () => new MemorySessionStore());
