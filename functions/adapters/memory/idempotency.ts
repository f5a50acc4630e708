/** In-memory twin of the DynamoDB idempotency store: in-progress claims lapse after 24 hours, completed records stay. */
import type { Instant } from '#domain/applications/application.ts';
import type { IdempotencyRecord, IdempotencyStore, IdempotentResult } from '#domain/ports.ts';
import { asStored, idempotencyExpiry, IdempotencyRecordNotFoundError, isExpired } from '../types.ts';

interface Stored {
  record: IdempotencyRecord;
  expiresAt: number;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #records = new Map<string, Stored>();

  async claim(
    scope: string,
    key: string,
    requestHash: string,
    at: Instant,
  ): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }> {
    const id = `${scope}#${key}`;
    const stored = this.#records.get(id);
    if (stored !== undefined && !isExpired(stored.expiresAt, at)) return { claimed: false, record: asStored(stored.record) };
    this.#records.set(id, { record: { requestHash, status: 'in-progress', startedAt: at }, expiresAt: idempotencyExpiry(at) });
    return { claimed: true };
  }

  async complete(scope: string, key: string, response: IdempotentResult): Promise<void> {
    const stored = this.#records.get(`${scope}#${key}`);
    if (stored === undefined) throw new IdempotencyRecordNotFoundError();
    stored.record = { ...stored.record, status: 'completed', response: asStored(response) };
    stored.expiresAt = Number.POSITIVE_INFINITY;
  }

  async reclaim(scope: string, key: string, startedAt: Instant, at: Instant): Promise<boolean> {
    const stored = this.#records.get(`${scope}#${key}`);
    if (stored?.record.status !== 'in-progress' || stored.record.startedAt !== startedAt) return false;
    stored.record = { ...stored.record, startedAt: at };
    stored.expiresAt = idempotencyExpiry(at);
    return true;
  }

  async release(scope: string, key: string, startedAt: Instant): Promise<void> {
    const stored = this.#records.get(`${scope}#${key}`);
    if (stored?.record.status === 'in-progress' && stored.record.startedAt === startedAt) this.#records.delete(`${scope}#${key}`);
  }
}
