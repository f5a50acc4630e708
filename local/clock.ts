/**
 * Time for the local Step Functions runtime: Wait states, task timeouts and heartbeats run on a Clock,
 * so they can be longer than Node's 24.8-day timer limit (real clock) or be fast-forwarded (virtual clock).
 */

export interface ClockTimer {
  cancel(): void;
}

export interface PendingTimer {
  id: number;
  dueAt: number;
  label: string;
}

export interface Clock {
  readonly mode: 'real' | 'virtual';
  now(): number;
  /** Calls `fire` once, `delayMs` from now. The label (execution ARN and state name, never a token) shows in `pending()`. */
  schedule(delayMs: number, label: string, fire: () => void): ClockTimer;
  pending(): PendingTimer[];
}

/** Node refuses delays above this (they fire after 1 ms), so real timers are chained in chunks below it. */
export const MAX_NODE_DELAY_MS = 2_147_483_647;

export interface TimerFunctions {
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const nodeTimers: TimerFunctions = {
  setTimeout: (fire, ms) => {
    const handle = setTimeout(fire, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

export class RealClock implements Clock {
  readonly mode = 'real' as const;
  readonly #timers: TimerFunctions;
  readonly #chunkMs: number;
  readonly #pending = new Map<number, PendingTimer>();
  #nextId = 1;

  constructor(timers: TimerFunctions = nodeTimers, chunkMs = MAX_NODE_DELAY_MS - 1) {
    this.#timers = timers;
    this.#chunkMs = Math.min(chunkMs, MAX_NODE_DELAY_MS - 1);
  }

  now(): number {
    return this.#timers.now();
  }

  schedule(delayMs: number, label: string, fire: () => void): ClockTimer {
    const id = this.#nextId++;
    const dueAt = this.now() + Math.max(0, delayMs);
    this.#pending.set(id, { id, dueAt, label });
    let handle: unknown;
    let cancelled = false;
    const arm = (): void => {
      const remaining = dueAt - this.now();
      if (remaining <= 0) {
        this.#pending.delete(id);
        fire();
        return;
      }
      handle = this.#timers.setTimeout(
        () => {
          if (!cancelled) arm();
        },
        Math.min(remaining, this.#chunkMs),
      );
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        this.#pending.delete(id);
        this.#timers.clearTimeout(handle);
      },
    };
  }

  pending(): PendingTimer[] {
    return [...this.#pending.values()].sort((a, b) => a.dueAt - b.dueAt);
  }
}

interface VirtualEntry extends PendingTimer {
  fire: () => void;
}

/** A clock that only moves when told to. `advance` fires due timers in time order, each at its own due time. */
export class VirtualClock implements Clock {
  readonly mode = 'virtual' as const;
  #now: number;
  readonly #pendingTimers = new Map<number, VirtualEntry>();
  #nextId = 1;

  constructor(startAt: number = Date.now()) {
    this.#now = startAt;
  }

  now(): number {
    return this.#now;
  }

  schedule(delayMs: number, label: string, fire: () => void): ClockTimer {
    const id = this.#nextId++;
    this.#pendingTimers.set(id, { id, dueAt: this.#now + Math.max(0, delayMs), label, fire });
    return { cancel: () => void this.#pendingTimers.delete(id) };
  }

  pending(): PendingTimer[] {
    return [...this.#pendingTimers.values()]
      .map(({ id, dueAt, label }) => ({ id, dueAt, label }))
      .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. Returns the labels fired. */
  advance(ms: number): string[] {
    if (!(ms >= 0)) throw new RangeError('advance needs a non-negative number of milliseconds');
    const target = this.#now + ms;
    const fired: string[] = [];
    for (;;) {
      const next = [...this.#pendingTimers.values()].filter((t) => t.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (next === undefined) break;
      this.#pendingTimers.delete(next.id);
      this.#now = Math.max(this.#now, next.dueAt);
      fired.push(next.label);
      next.fire();
    }
    this.#now = target;
    return fired;
  }
}

export type ClockOption = 'real' | 'virtual' | Clock;

export function makeClock(option: ClockOption | undefined): Clock {
  if (option === undefined || option === 'real') return new RealClock();
  if (option === 'virtual') return new VirtualClock();
  return option;
}
