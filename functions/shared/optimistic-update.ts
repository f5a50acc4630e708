/**
 * The one optimistic update with retry. Every store write here is conditional on the version read; when
 * another writer got there first the store throws ConcurrentUpdateError, and the work is done again from a
 * fresh read, after a full-jitter backoff, up to OPTIMISTIC_ATTEMPTS tries in all.
 */
import type { Application, Instant } from '#domain/applications/application.ts';
import { ApplicationNotFoundError, ConcurrentUpdateError } from '#domain/errors.ts';
import type { ApplicationStore, Clock } from '#domain/ports.ts';

/** How many times a conflicting piece of work is tried in all, everywhere. */
export const OPTIMISTIC_ATTEMPTS = 5;
/** The backoff ceiling before the first retry; it doubles each retry, up to BACKOFF_CAP_MS. */
export const BACKOFF_BASE_MS = 10;
export const BACKOFF_CAP_MS = 200;

/** Where the jitter and the waiting come from; tests pass their own so a run is deterministic. */
export interface Backoff {
  /** A number in [0, 1). */
  random(): number;
  sleep(ms: number): Promise<void>;
}

export const systemBackoff: Backoff = {
  random: () => Math.random(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Full jitter: a wait in [0, min(cap, base * 2^(retry-1))) before retry number `retry` (1 = the first). */
export function backoffDelay(retry: number, random: number): number {
  return Math.floor(random * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1)));
}

/**
 * Runs `work` (given its attempt number, from 1) until it does not throw ConcurrentUpdateError, at most
 * OPTIMISTIC_ATTEMPTS times; the last conflict is rethrown. Any other error ends it at once.
 */
export async function withOptimisticRetry<T>(work: (attempt: number) => Promise<T>, backoff: Backoff = systemBackoff): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= OPTIMISTIC_ATTEMPTS) throw error;
    }
    await backoff.sleep(backoffDelay(attempt, backoff.random()));
  }
}

/** A record written with optimistic concurrency: its version counts the writes. */
export interface Versioned {
  version: number;
  updatedAt: Instant;
}

/** How to read and conditionally write one versioned record. */
export interface VersionedRecord<R extends Versioned> {
  /** The record as stored now (null: there is none). `attempt` counts from 1. */
  read(attempt: number): Promise<R | null>;
  /** Writes `next` if the stored version is still `current`'s; otherwise throws ConcurrentUpdateError. */
  write(next: R, current: R): Promise<void>;
}

/**
 * Saves `change(current)` as the next version, re-reading and re-applying `change` on a conflict. Null from
 * `change` writes nothing and answers the record as read; null from `read` answers null (nothing to change).
 */
export async function updateVersioned<R extends Versioned>(
  record: VersionedRecord<R>,
  change: (current: R) => R | null,
  now: () => Instant,
  backoff: Backoff = systemBackoff,
): Promise<R | null> {
  return withOptimisticRetry(async (attempt) => {
    const current = await record.read(attempt);
    if (current === null) return null;
    const next = change(current);
    if (next === null) return current;
    const saved = { ...next, version: current.version + 1, updatedAt: now() };
    await record.write(saved, current);
    return saved;
  }, backoff);
}

/**
 * Saves `change(app)` as the application's next version (see updateVersioned). `loaded` is the application
 * as just read, used for the first attempt so a caller that already read it does not read it twice.
 */
export async function updateApplication(
  deps: { applications: Pick<ApplicationStore, 'get' | 'save'>; clock: Pick<Clock, 'now'> },
  id: string,
  change: (app: Application) => Application | null,
  loaded?: Application,
): Promise<Application> {
  const saved = await updateVersioned(
    {
      read: (attempt) => (attempt === 1 && loaded !== undefined ? Promise.resolve(loaded) : deps.applications.get(id)),
      write: (next, current) => deps.applications.save(next, current),
    },
    change,
    () => deps.clock.now(),
  );
  if (saved === null) throw new ApplicationNotFoundError(id);
  return saved;
}
