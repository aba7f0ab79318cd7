// The timers cells start are tracked, so Interrupt can clear what cells left running (issue 15, case 5).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CellTimers, describeClearedTimers, describeIntervalsLeft } from '../../src/runtime/timers';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('CellTimers', () => {
  it('runs timeouts and intervals as the host does, and forgets a timeout once it fired', () => {
    let owner = 'cell-a';
    const timers = new CellTimers(() => owner);
    const calls: string[] = [];
    timers.functions.setTimeout((x: unknown) => calls.push(`timeout ${String(x)}`), 10, 'arg');
    timers.functions.setInterval(() => calls.push('tick'), 4);
    owner = 'cell-b';
    vi.advanceTimersByTime(12);
    expect(calls).toEqual(['tick', 'tick', 'timeout arg', 'tick']);
    expect(timers.intervalsLeftBy('cell-a')).toBe(1);
    expect(timers.intervalsLeftBy('cell-b')).toBe(0);
    // The fired timeout is gone: clearing finds only the interval.
    expect(timers.clearAll()).toEqual([{ owner: 'cell-a', timeouts: 0, intervals: 1 }]);
  });

  it('clearAll stops intervals and pending timeouts, grouped by the cell that started them', () => {
    let owner = 'cell-a';
    const timers = new CellTimers(() => owner);
    let ticks = 0;
    timers.functions.setInterval(() => ticks++, 5);
    timers.functions.setTimeout(() => ticks += 100, 50);
    owner = 'cell-b';
    // A chain: each call starts the next, and every link is tracked.
    const chain = () => {
      ticks += 1000;
      timers.functions.setTimeout(chain, 5);
    };
    timers.functions.setTimeout(chain, 5);
    vi.advanceTimersByTime(20);
    const cleared = timers.clearAll();
    expect(cleared).toEqual([
      { owner: 'cell-a', timeouts: 1, intervals: 1 },
      { owner: 'cell-b', timeouts: 1, intervals: 0 },
    ]);
    const at = ticks;
    vi.advanceTimersByTime(1000);
    expect(ticks).toBe(at);
    expect(describeClearedTimers(cleared[0])).toBe('Interrupt cleared 1 setInterval and 1 pending setTimeout that this cell started.\n');
  });

  it('clearTimeout and clearInterval untrack what they clear', () => {
    const timers = new CellTimers(() => 'c');
    const t = timers.functions.setTimeout(() => {}, 100);
    const i = timers.functions.setInterval(() => {}, 100);
    timers.functions.clearTimeout(t);
    timers.functions.clearInterval(i);
    expect(timers.intervalsLeftBy('c')).toBe(0);
    expect(timers.clearAll()).toEqual([]);
    expect(describeIntervalsLeft(2)).toMatch(/left 2 setIntervals running/);
  });
});
