// The timing pass with a fake clock: what is picked, what the budgets cut, and what is left for later.
import { describe, expect, it } from 'vitest';
import { calibratePass, timeClass } from '../../../src/gpu/chooser/calibrate';
import { median, pickFastest } from '../../../src/gpu/chooser/pick';
import { ChoiceTable } from '../../../src/gpu/chooser/table';
import { call, FakeClock, fakeOpen } from './fakes';

const budget = { perClassMs: 1000, passMs: 10_000, samples: 3, minSampleMs: 8 };
const classBudget = { perClassMs: 1000, samples: 3, minSampleMs: 8 };

describe('pick', () => {
  it('medians, the fastest median, ties to ours, and nothing without samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(pickFastest({ ours: [3, 30, 3], stock: [4, 4, 4] })).toEqual({ choice: 'ours', ms: { ours: 3, stock: 4 } });
    expect(pickFastest({ ours: [5, 5, 5], stock: [1, 9, 2] })?.choice).toBe('stock');
    expect(pickFastest({ ours: [2], stock: [2] })?.choice).toBe('ours');
    expect(pickFastest({ stock: [7] })?.choice).toBe('stock');
    expect(pickFastest({})).toBeNull();
  });
});

describe('timeClass', () => {
  it('warms each candidate up untimed, probes each once, then alternates them and keeps the fastest median', async () => {
    const clock = new FakeClock();
    // Ours compiles for 500 ms but runs in 10 ms; stock runs in 12 ms: the compile must not count.
    const open = fakeOpen(clock, () => ({ ms: { ours: 10, stock: 12 }, compileMs: { ours: 500 } }));
    const r = await timeClass(call('Conv2D'), open, clock, classBudget);
    expect(r).toMatchObject({ timed: { choice: 'ours', ms: { ours: 10, stock: 12 }, samples: 3 } });
    expect(open.log).toEqual([
      'Conv2D:ours', 'Conv2D:stock', // warm-up
      'Conv2D:ours', 'Conv2D:stock', // probes
      'Conv2D:ours', 'Conv2D:stock', 'Conv2D:stock', 'Conv2D:ours', 'Conv2D:ours', 'Conv2D:stock',
    ]);
    expect(open.closed).toBe(1);
  });

  it('repeats kernels faster than minSampleMs within a sample and counts time per call', async () => {
    const clock = new FakeClock();
    const open = fakeOpen(clock, () => ({ ms: { ours: 0.5, stock: 2 } }));
    const r = await timeClass(call('Add'), open, clock, classBudget);
    expect(r).toMatchObject({ timed: { choice: 'ours', ms: { ours: 0.5, stock: 2 } } });
    // 8 ms / 0.5 ms: 16 calls per sample, for both candidates alike.
    expect(open.log.slice(4)).toEqual(['Add:ours×16', 'Add:stock×16', 'Add:stock×16', 'Add:ours×16', 'Add:ours×16', 'Add:stock×16']);
  });

  it('one slow outlier does not decide: the median does', async () => {
    const clock = new FakeClock();
    const open = fakeOpen(clock, () => ({ ms: { ours: [1, 3, 90, 3], stock: [1, 4, 4, 4] } }));
    const r = await timeClass(call('Sum'), open, clock, classBudget);
    expect(r).toMatchObject({ timed: { choice: 'ours', ms: { ours: 3, stock: 4 } } });
  });

  it('picks stock when stock is faster', async () => {
    const clock = new FakeClock();
    const r = await timeClass(call('Multiply'), fakeOpen(clock, () => ({ ms: { ours: 8, stock: 3 } })), clock, classBudget);
    expect(r).toMatchObject({ timed: { choice: 'stock' } });
  });

  it('over the class budget before every candidate has a timed run: skipped', async () => {
    const clock = new FakeClock();
    const open = fakeOpen(clock, () => ({ ms: { ours: 10, stock: 10 }, compileMs: { stock: 2000 } }));
    expect(await timeClass(call('Conv2D'), open, clock, classBudget)).toEqual({ skipped: 'over budget' });
    expect(open.closed).toBe(1);
  });

  it('over the class budget after one timed run each: decided on what it has', async () => {
    const clock = new FakeClock();
    const open = fakeOpen(clock, () => ({ ms: { ours: 300, stock: 200 } }));
    // Warm-ups take 500 ms, the probes 500 more, the first sample ends over the budget of 1000: the probes decide.
    const r = await timeClass(call('Conv2D'), open, clock, classBudget);
    expect(r).toMatchObject({ timed: { choice: 'stock', samples: 1 } });
  });

  it('a candidate that throws is left out; if both throw, nothing is decided', async () => {
    const clock = new FakeClock();
    expect(await timeClass(call('Slice'), fakeOpen(clock, () => ({ ms: { ours: 9, stock: 1 }, throws: ['stock'] })), clock, classBudget))
      .toMatchObject({ timed: { choice: 'ours', ms: { ours: 9 } } });
    expect(await timeClass(call('Slice'), fakeOpen(clock, () => ({ ms: { ours: 1, stock: 1 }, throws: ['ours', 'stock'] })), clock, classBudget))
      .toEqual({ skipped: 'every candidate failed' });
  });

  it('a problem that cannot be built is skipped', async () => {
    const clock = new FakeClock();
    const r = await timeClass(call('Concat'), () => { throw new Error('no memory'); }, clock, classBudget);
    expect(r).toEqual({ skipped: 'could not build the problem: no memory' });
  });
});

describe('calibratePass', () => {
  it('times waiting classes in arrival order and records their choices', async () => {
    const clock = new FakeClock();
    const table = new ChoiceTable();
    table.enqueue('a', call('Add'));
    table.enqueue('b', call('Sub'));
    const open = fakeOpen(clock, (c) => ({ ms: c.op === 'Add' ? { ours: 1, stock: 2 } : { ours: 3, stock: 1 } }));
    const r = await calibratePass(table, open, clock, budget, new Set());
    expect(r.timed).toEqual(['a', 'b']);
    expect(r.waiting).toBe(0);
    expect(table.lookup('a')).toBe('ours');
    expect(table.lookup('b')).toBe('stock');
    expect(r.spentMs).toBe(clock.t - 1000);
  });

  it('starts no class after the pass budget; the rest wait for the next pass', async () => {
    const clock = new FakeClock();
    const table = new ChoiceTable();
    for (const k of ['a', 'b', 'c']) table.enqueue(k, call('Add'));
    // Each class: 2 warm-ups + 2 probes + 6 samples of 10 ms = 100 ms. A pass of 200 ms starts a and b, not c.
    const open = fakeOpen(clock, () => ({ ms: { ours: 10, stock: 10 } }));
    const first = await calibratePass(table, open, clock, { ...budget, passMs: 200 }, new Set());
    expect(first.timed).toEqual(['a', 'b']);
    expect(first.waiting).toBe(1);
    expect(table.lookup('c')).toBeUndefined();
    const second = await calibratePass(table, open, clock, { ...budget, passMs: 200 }, new Set());
    expect(second.timed).toEqual(['c']);
  });

  it('a class given up on stays undecided (it runs ours) and is not tried again this session', async () => {
    const clock = new FakeClock();
    const table = new ChoiceTable();
    table.enqueue('slow', call('Conv2D'));
    table.enqueue('fast', call('Add'));
    const open = fakeOpen(clock, (c) => ({ ms: c.op === 'Conv2D' ? { ours: 800, stock: 900 } : { ours: 1, stock: 2 } }));
    const givenUp = new Set<string>();
    const r = await calibratePass(table, open, clock, budget, givenUp);
    expect(r.skipped).toEqual({ slow: 'over budget' });
    expect(r.timed).toEqual(['fast']);
    expect(table.lookup('slow')).toBeUndefined();
    expect(r.waiting).toBe(1);
    const runs = open.log.length;
    const again = await calibratePass(table, open, clock, budget, givenUp);
    expect(again.timed).toEqual([]);
    expect(open.log.length).toBe(runs);
    // A new session (a fresh set) tries it again.
    const later = await calibratePass(table, open, clock, { ...budget, perClassMs: 10_000 }, new Set());
    expect(later.timed).toEqual(['slow']);
    expect(table.lookup('slow')).toBe('ours');
  });
});
