import { describe, expect, it } from 'vitest';
import type { Application } from '#domain/applications/application.ts';
import { ApplicationNotFoundError, ConcurrentUpdateError } from '#domain/errors.ts';
import {
  backoffDelay,
  OPTIMISTIC_ATTEMPTS,
  updateApplication,
  updateVersioned,
  withOptimisticRetry,
  type Backoff,
  type Versioned,
} from '#functions/shared/optimistic-update.ts';
import { application } from '../../support/application-builder.ts';

/** A backoff that records the waits and draws its jitter from a fixed list. */
function recordingBackoff(jitter: number[] = [0.5]): Backoff & { waits: number[] } {
  const waits: number[] = [];
  let i = 0;
  return {
    waits,
    random: () => jitter[i++ % jitter.length] ?? 0,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

/** Work that conflicts `conflicts` times, then answers the attempt it succeeded on. */
function conflicting(conflicts: number): { work: (attempt: number) => Promise<number>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    work: async (attempt) => {
      attempts.push(attempt);
      if (attempts.length <= conflicts) throw new ConcurrentUpdateError();
      return attempt;
    },
  };
}

describe('backoffDelay', () => {
  it.each([
    { retry: 1, random: 0.5, ms: 5 },
    { retry: 2, random: 0.5, ms: 10 },
    { retry: 3, random: 0.99, ms: 39 },
    { retry: 5, random: 0.99, ms: 158 },
    { retry: 6, random: 0.99, ms: 198 },
    { retry: 9, random: 0.5, ms: 100 },
    { retry: 1, random: 0, ms: 0 },
  ])('waits $ms ms before retry $retry at jitter $random (full jitter, doubling, capped at 200)', ({ retry, random, ms }) => {
    expect(backoffDelay(retry, random)).toBe(ms);
  });
});

describe('withOptimisticRetry', () => {
  it('answers on the first attempt without waiting when nothing conflicts', async () => {
    const backoff = recordingBackoff();
    const { work, attempts } = conflicting(0);
    await expect(withOptimisticRetry(work, backoff)).resolves.toBe(1);
    expect(attempts).toStrictEqual([1]);
    expect(backoff.waits).toStrictEqual([]);
  });

  it('retries each conflict after a jittered, growing wait, and answers what the last attempt answered', async () => {
    const backoff = recordingBackoff([1 - Number.EPSILON, 0.5, 0.25]);
    const { work, attempts } = conflicting(3);
    await expect(withOptimisticRetry(work, backoff)).resolves.toBe(4);
    expect(attempts).toStrictEqual([1, 2, 3, 4]);
    expect(backoff.waits).toStrictEqual([9, 10, 10]);
  });

  it(`gives up after ${OPTIMISTIC_ATTEMPTS} attempts and rethrows the conflict`, async () => {
    const backoff = recordingBackoff();
    const { work, attempts } = conflicting(OPTIMISTIC_ATTEMPTS);
    await expect(withOptimisticRetry(work, backoff)).rejects.toThrow(ConcurrentUpdateError);
    expect(attempts).toStrictEqual([1, 2, 3, 4, 5]);
    expect(backoff.waits).toHaveLength(OPTIMISTIC_ATTEMPTS - 1);
  });

  it('succeeds on the last allowed attempt', async () => {
    const { work } = conflicting(OPTIMISTIC_ATTEMPTS - 1);
    await expect(withOptimisticRetry(work, recordingBackoff())).resolves.toBe(OPTIMISTIC_ATTEMPTS);
  });

  it('does not retry any other error', async () => {
    const backoff = recordingBackoff();
    let calls = 0;
    const work = async (): Promise<never> => {
      calls += 1;
      throw new TypeError('broken');
    };
    await expect(withOptimisticRetry(work, backoff)).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
    expect(backoff.waits).toStrictEqual([]);
  });
});

interface Counter extends Versioned {
  count: number;
}

/** A one-record store that refuses the first `conflicts` writes, as if another writer had got there first. */
function counterStore(initial: Counter | null, conflicts = 0) {
  let stored = initial;
  let refusals = conflicts;
  const writes: Counter[] = [];
  return {
    writes,
    get stored() {
      return stored;
    },
    read: async () => stored,
    write: async (next: Counter, current: Counter) => {
      if (refusals > 0) {
        refusals -= 1;
        stored = stored === null ? null : { ...stored, count: stored.count + 10, version: current.version + 1 };
        throw new ConcurrentUpdateError();
      }
      writes.push(next);
      stored = next;
    },
  };
}

describe('updateVersioned', () => {
  const now = () => '2026-12-05T10:00:00.000Z';
  const start: Counter = { count: 1, version: 3, updatedAt: '2026-01-01T00:00:00.000Z' };

  it('saves the change as the next version, stamped with now', async () => {
    const store = counterStore(start);
    const saved = await updateVersioned(store, (c) => ({ ...c, count: c.count + 1 }), now, recordingBackoff());
    expect(saved).toStrictEqual({ count: 2, version: 4, updatedAt: '2026-12-05T10:00:00.000Z' });
    expect(store.writes).toStrictEqual([saved]);
  });

  it('re-reads and re-applies the change after a conflict', async () => {
    const store = counterStore(start, 1);
    const saved = await updateVersioned(store, (c) => ({ ...c, count: c.count + 1 }), now, recordingBackoff());
    expect(saved).toStrictEqual({ count: 12, version: 5, updatedAt: '2026-12-05T10:00:00.000Z' });
  });

  it('writes nothing and answers the record as read when the change is null', async () => {
    const store = counterStore(start);
    await expect(updateVersioned(store, () => null, now, recordingBackoff())).resolves.toStrictEqual(start);
    expect(store.writes).toStrictEqual([]);
  });

  it('answers null without calling the change when there is no record', async () => {
    const store = counterStore(null);
    let called = false;
    const change = (c: Counter): Counter => {
      called = true;
      return c;
    };
    await expect(updateVersioned(store, change, now, recordingBackoff())).resolves.toBeNull();
    expect(called).toBe(false);
  });
});

describe('updateApplication', () => {
  const clock = { now: () => '2026-12-05T10:00:00.000Z' };

  it('uses the application as loaded for the first attempt, and reads it afresh after a conflict', async () => {
    const loaded = application({ version: 2 });
    const fresh = application({ version: 3, status: 'interim' });
    const reads: string[] = [];
    let refusals = 1;
    const saves: Application[] = [];
    const applications = {
      get: async (id: string) => {
        reads.push(id);
        return fresh;
      },
      save: async (app: Application) => {
        if (refusals-- > 0) throw new ConcurrentUpdateError();
        saves.push(app);
      },
    };
    const saved = await updateApplication({ applications, clock }, loaded.id, (a) => ({ ...a, status: 'in-dispute' }), loaded);
    expect(reads).toStrictEqual([loaded.id]);
    expect(saves).toStrictEqual([{ ...fresh, status: 'in-dispute', version: 4, updatedAt: clock.now() }]);
    expect(saved).toStrictEqual(saves[0]);
  });

  it('throws ApplicationNotFoundError when there is no such application', async () => {
    const applications = { get: async () => null, save: async () => undefined };
    await expect(updateApplication({ applications, clock }, 'app_missing', (a) => a)).rejects.toThrow(ApplicationNotFoundError);
  });
});
