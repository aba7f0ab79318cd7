// The chooser's life cycle with a fake clock, fake candidates, a Map for IndexedDB and a hand-run scheduler:
// a class met for the first time is timed by a scheduled pass and saved under the adapter's key; a new session
// (a page reload) on the same adapter loads the choice and times nothing; another adapter, or forgetChoices(),
// starts afresh.
import { describe, expect, it } from 'vitest';
import { Chooser } from '../../../src/gpu/chooser/chooser';
import { memoryChoiceStore, type ChoiceStore } from '../../../src/gpu/chooser/store';
import type { KernelCall } from '../../../src/gpu/chooser/shape-class';
import { call, FakeClock, fakeOpen, type FakeCosts } from './fakes';

function session(store: ChoiceStore, costs: (c: KernelCall) => FakeCosts = () => ({ ms: { ours: 1, stock: 2 } }), options = {}) {
  const clock = new FakeClock();
  const open = fakeOpen(clock, costs);
  const scheduled: Array<{ fn: () => void; delayMs: number }> = [];
  let canTime = true;
  const chooser = new Chooser({ store, clock, open, schedule: (fn, delayMs) => { scheduled.push({ fn, delayMs }); }, canTime: () => canTime }, options);
  /** Runs what was scheduled (and what that schedules) until nothing is left, awaiting each pass. */
  const drain = async () => {
    while (scheduled.length) {
      scheduled.shift()!.fn();
      await chooser.calibrate({ passMs: 0 }); // queued behind the automatic pass: resolves after it
    }
  };
  return { chooser, open, clock, scheduled, drain, setCanTime: (v: boolean) => { canTime = v; } };
}

/** What the hot path does for a call: look up, and queue the class when it has no choice. */
function meet(chooser: Chooser, key: string, c: KernelCall): string {
  const choice = chooser.lookup(key) ?? 'ours';
  chooser.noteCall(key, c.op);
  if (chooser.lookup(key) === undefined) chooser.enqueue(key, c);
  return choice;
}

describe('Chooser', () => {
  it('times a new class in a scheduled pass (never in the call), saves it, and the next session reuses it untimed', async () => {
    const store = memoryChoiceStore();
    const s1 = session(store, (c) => ({ ms: c.op === 'Multiply' ? { ours: 5, stock: 2 } : { ours: 1, stock: 4 } }));
    s1.chooser.activate('adapter-A');
    await s1.chooser.ready();
    expect(meet(s1.chooser, 'mul', call('Multiply'))).toBe('ours');
    expect(meet(s1.chooser, 'conv', call('Conv2D'))).toBe('ours');
    expect(meet(s1.chooser, 'mul', call('Multiply'))).toBe('ours');
    // Nothing ran inside the calls; one pass is scheduled for both classes.
    expect(s1.open.opened).toBe(0);
    expect(s1.scheduled).toHaveLength(1);
    await s1.drain();
    expect(s1.chooser.counters.timed).toBe(2);
    expect(meet(s1.chooser, 'mul', call('Multiply'))).toBe('stock');
    expect(meet(s1.chooser, 'conv', call('Conv2D'))).toBe('ours');
    expect(Object.keys(store.records.get('adapter-A')!.choices).sort()).toEqual(['conv', 'mul']);
    expect(store.records.get('adapter-A')!.choices.mul).toMatchObject({ choice: 'stock', ms: { ours: 5, stock: 2 }, samples: 3 });
    expect(s1.chooser.table.perOp()).toEqual({ Multiply: { variant: 'stock ×1', msPerCall: 2 }, Conv2D: { variant: 'ours ×1', msPerCall: 1 } });

    // Reload: a new chooser on the same store and adapter.
    const s2 = session(store);
    s2.chooser.activate('adapter-A');
    // A call before the load finishes runs ours and queues; the pass waits for the load and drops it.
    expect(meet(s2.chooser, 'mul', call('Multiply'))).toBe('ours');
    await s2.chooser.ready();
    expect(s2.chooser.counters.loaded).toBe(2);
    expect(meet(s2.chooser, 'mul', call('Multiply'))).toBe('stock');
    await s2.drain();
    await s2.chooser.calibrate();
    expect(s2.chooser.counters.timed).toBe(0);
    expect(s2.open.opened).toBe(0);
    expect(s2.chooser.table.classes().find((c) => c.key === 'mul')).toMatchObject({ choice: 'stock', source: 'stored', calls: 2 });
  });

  it('another adapter key (another GPU, tfjs or kernel version) loads nothing and times again', async () => {
    const store = memoryChoiceStore();
    const s1 = session(store);
    s1.chooser.activate('adapter-A');
    meet(s1.chooser, 'k', call('Add'));
    await s1.drain();
    const s2 = session(store);
    s2.chooser.activate('adapter-B');
    await s2.chooser.ready();
    expect(s2.chooser.counters.loaded).toBe(0);
    meet(s2.chooser, 'k', call('Add'));
    await s2.drain();
    expect(s2.chooser.counters.timed).toBe(1);
    expect([...store.records.keys()].sort()).toEqual(['adapter-A', 'adapter-B']);
  });

  it('two tabs timing different classes on one adapter both keep theirs in the store', async () => {
    const store = memoryChoiceStore();
    const tabA = session(store);
    const tabB = session(store);
    tabA.chooser.activate('adapter-A');
    tabB.chooser.activate('adapter-A');
    await Promise.all([tabA.chooser.ready(), tabB.chooser.ready()]);
    meet(tabA.chooser, 'a', call('Add'));
    meet(tabB.chooser, 'b', call('Sub'));
    await tabA.drain();
    await tabB.drain();
    expect(Object.keys(store.records.get('adapter-A')!.choices).sort()).toEqual(['a', 'b']);
  });

  it('forget() clears the store and the session: the class is timed again', async () => {
    const store = memoryChoiceStore();
    const s = session(store);
    s.chooser.activate('adapter-A');
    meet(s.chooser, 'k', call('Add'));
    await s.drain();
    await s.chooser.forget();
    expect(store.records.size).toBe(0);
    expect(s.chooser.lookup('k')).toBeUndefined();
    expect(s.chooser.counters.timed).toBe(0);
    meet(s.chooser, 'k', call('Add'));
    await s.drain();
    expect(s.chooser.counters.timed).toBe(1);
    expect(store.records.get('adapter-A')?.choices.k).toBeDefined();
  });

  it('automatic passes come in slices and stop at the session budget; the rest stay ours for a later session', async () => {
    const store = memoryChoiceStore();
    // Each class: 10 runs × 10 ms = 100 ms. Slices of 50 ms start one class each; the session has 200 ms.
    const s = session(store, () => ({ ms: { ours: 10, stock: 10 } }), { sliceMs: 50, sessionMs: 200 });
    s.chooser.activate('adapter-A');
    for (const k of ['a', 'b', 'c', 'd', 'e']) meet(s.chooser, k, call('Add'));
    let passes = 0;
    while (s.scheduled.length) {
      passes++;
      s.scheduled.shift()!.fn();
      await s.chooser.calibrate({ passMs: 0 });
    }
    expect(s.chooser.counters.timed).toBe(2);
    expect(passes).toBe(2);
    expect(s.chooser.table.pending().map(([k]) => k)).toEqual(['c', 'd', 'e']);
    expect(s.chooser.counters.spentMs).toBe(200);
    // An explicit calibrate() is the learner asking: it has its own budget.
    await s.chooser.calibrate({ passMs: 1000 });
    expect(s.chooser.table.pending()).toEqual([]);
  });

  it('a class an automatic pass gave up on is retried by an explicit calibrate() with a bigger budget', async () => {
    const s = session(memoryChoiceStore(), () => ({ ms: { ours: 10, stock: 10 }, compileMs: { stock: 5000 } }));
    s.chooser.activate('adapter-A');
    meet(s.chooser, 'k', call('Conv2D'));
    await s.drain();
    expect(s.chooser.counters).toMatchObject({ timed: 0, skipped: 1 });
    expect(s.chooser.skippedReason('k')).toBe('over budget');
    expect(s.chooser.lookup('k')).toBeUndefined();
    const r = await s.chooser.calibrate({ perClassMs: 60_000 });
    expect(r.timed).toEqual(['k']);
    expect(s.chooser.lookup('k')).toBe('ours');
  });

  it('while timing cannot run (compile-only warm-up, another backend) a pass waits and retries', async () => {
    const s = session(memoryChoiceStore());
    s.chooser.activate('adapter-A');
    s.setCanTime(false);
    meet(s.chooser, 'k', call('Add'));
    s.scheduled.shift()!.fn();
    await s.chooser.calibrate({ passMs: 0 });
    expect(s.chooser.counters.timed).toBe(0);
    expect(s.scheduled.map((x) => x.delayMs)).toEqual([1000]);
    s.setCanTime(true);
    await s.drain();
    expect(s.chooser.counters.timed).toBe(1);
  });

  it('turned off, it schedules nothing; a store that fails leaves choices for the session and says why', async () => {
    const broken: ChoiceStore = {
      load: async () => { throw new Error('IndexedDB is not available'); },
      save: async () => { throw new Error('quota'); },
      clear: async () => {},
    };
    const s = session(broken);
    s.chooser.activate('adapter-A');
    await s.chooser.ready();
    expect(s.chooser.storeError).toMatch(/could not read stored choices: IndexedDB is not available/);
    meet(s.chooser, 'k', call('Add'));
    await s.drain();
    expect(s.chooser.lookup('k')).toBe('ours');
    expect(s.chooser.storeError).toMatch(/could not save choices: quota/);
    s.chooser.activate(null);
    meet(s.chooser, 'k2', call('Sub'));
    expect(s.scheduled).toHaveLength(0);
  });
});
