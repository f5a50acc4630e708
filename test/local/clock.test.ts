import { describe, expect, it } from 'vitest';
import { MAX_NODE_DELAY_MS, RealClock, VirtualClock, type TimerFunctions } from '#local/clock.ts';

/** Timer functions under test control: records every delay armed, fires on demand. */
function manualTimers(start = 0) {
  let now = start;
  const armed: { at: number; fire: () => void; id: number }[] = [];
  let nextId = 1;
  const timers: TimerFunctions = {
    setTimeout: (fire, ms) => {
      const id = nextId++;
      armed.push({ at: now + ms, fire, id });
      return id;
    },
    clearTimeout: (id) => {
      const index = armed.findIndex((t) => t.id === id);
      if (index >= 0) armed.splice(index, 1);
    },
    now: () => now,
  };
  const delays: number[] = [];
  const runNext = () => {
    armed.sort((a, b) => a.at - b.at);
    const next = armed.shift();
    if (next === undefined) return false;
    delays.push(next.at - now);
    now = next.at;
    next.fire();
    return true;
  };
  return { timers, runNext, delays, now: () => now };
}

describe('RealClock', () => {
  it('chains a 30-day timer in chunks Node accepts and fires it at 30 days exactly', () => {
    const manual = manualTimers();
    const clock = new RealClock(manual.timers);
    const fired: number[] = [];
    clock.schedule(30 * 86_400_000, 'thirty days', () => fired.push(manual.now()));
    while (manual.runNext());

    expect(fired).toStrictEqual([30 * 86_400_000]);
    expect(manual.delays.length).toBe(2);
    expect(Math.max(...manual.delays)).toBeLessThan(MAX_NODE_DELAY_MS);
  });

  it('never fires a cancelled long timer', () => {
    const manual = manualTimers();
    const clock = new RealClock(manual.timers);
    const fired: string[] = [];
    const timer = clock.schedule(40 * 86_400_000, 'forty days', () => fired.push('forty'));
    manual.runNext();
    timer.cancel();
    while (manual.runNext());

    expect(fired).toStrictEqual([]);
    expect(clock.pending()).toStrictEqual([]);
  });
});

describe('VirtualClock', () => {
  it('fires due timers in time order, each at its own due time, and leaves later ones pending', () => {
    const clock = new VirtualClock(1_000);
    const seen: string[] = [];
    clock.schedule(300, 'c', () => seen.push(`c@${clock.now()}`));
    clock.schedule(100, 'a', () => {
      seen.push(`a@${clock.now()}`);
      clock.schedule(50, 'b', () => seen.push(`b@${clock.now()}`));
    });
    clock.schedule(1_000, 'later', () => seen.push('later'));

    expect(clock.advance(400)).toStrictEqual(['a', 'b', 'c']);
    expect(seen).toStrictEqual(['a@1100', 'b@1150', 'c@1300']);
    expect(clock.now()).toBe(1_400);
    expect(clock.pending().map((t) => [t.label, t.dueAt])).toStrictEqual([['later', 2_000]]);
  });
});
