/**
 * Long timers for aws-local-stepfunctions, imported before the interpreter.
 *
 * `setTimeout` with a delay above 2^31-1 ms fires after 1 ms in Node (TimeoutOverflowWarning). The
 * interpreter arms one timer per Task with `TimeoutSeconds * 1000`; the runtime gives it a very long
 * timeout (it enforces the real one itself, see sfn/engine.ts), so long delays are chained here in
 * chunks below the limit. Shorter delays go straight to the original function, untouched.
 */

export const MAX_TIMER_MS = 2_147_483_647;
const CHUNK_MS = 2_000_000_000;

const LONG_TIMER = Symbol.for('s117.local.longTimer');

interface LongTimer {
  [LONG_TIMER]: true;
  current: NodeJS.Timeout;
  cleared: boolean;
  refed: boolean;
  ref(): LongTimer;
  unref(): LongTimer;
  hasRef(): boolean;
}

const globalTimers = globalThis as unknown as { [LONG_TIMER]?: boolean };
if (globalTimers[LONG_TIMER] !== true) {
  globalTimers[LONG_TIMER] = true;
  const originalSetTimeout = globalThis.setTimeout;
  const originalClearTimeout = globalThis.clearTimeout;

  const patchedSetTimeout = function (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) {
    if (typeof delay !== 'number' || !(delay > MAX_TIMER_MS) || typeof callback !== 'function') {
      return originalSetTimeout(callback, delay, ...args);
    }
    let remaining = delay === Infinity ? Number.MAX_SAFE_INTEGER : delay;
    const timer: LongTimer = {
      [LONG_TIMER]: true,
      current: undefined as unknown as NodeJS.Timeout,
      cleared: false,
      refed: true,
      ref() {
        this.refed = true;
        this.current.ref();
        return this;
      },
      unref() {
        this.refed = false;
        this.current.unref();
        return this;
      },
      hasRef() {
        return this.refed;
      },
    };
    const arm = (): void => {
      const step = Math.min(remaining, CHUNK_MS);
      remaining -= step;
      timer.current = originalSetTimeout(() => {
        if (timer.cleared) return;
        if (remaining > 0) arm();
        else callback(...args);
      }, step);
      if (!timer.refed) timer.current.unref();
    };
    arm();
    return timer;
  };
  const patchedClearTimeout = function (handle?: unknown) {
    if (typeof handle === 'object' && handle !== null && LONG_TIMER in handle) {
      const timer = handle as LongTimer;
      timer.cleared = true;
      originalClearTimeout(timer.current);
      return;
    }
    originalClearTimeout(handle as NodeJS.Timeout);
  };
  globalThis.setTimeout = patchedSetTimeout as unknown as typeof setTimeout;
  globalThis.clearTimeout = patchedClearTimeout as typeof clearTimeout;
}
