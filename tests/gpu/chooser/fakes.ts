// A fake clock and fake candidates for the chooser's tests: running a candidate advances the clock by that
// candidate's cost (its first run also by a compile cost), as an awaited GPU sync would on a real adapter.
import type { OpenProblem } from '../../../src/gpu/chooser/calibrate';
import type { Candidate } from '../../../src/gpu/chooser/pick';
import type { KernelCall } from '../../../src/gpu/chooser/shape-class';

export class FakeClock {
  t = 1000;
  now(): number { return this.t; }
}

export interface FakeCosts {
  /** ms per kernel call, per candidate; a list is consumed run by run (the last value repeats; a run may repeat the call). */
  ms: Record<Candidate, number | number[]>;
  /** Extra ms on each candidate's first run (pipeline compilation). */
  compileMs?: Partial<Record<Candidate, number>>;
  /** Candidates whose run throws. */
  throws?: Candidate[];
}

/** Opens problems whose costs come from `costsFor(call)`; records every run as `op:candidate`. */
export function fakeOpen(clock: FakeClock, costsFor: (call: KernelCall) => FakeCosts): OpenProblem & { log: string[]; opened: number; closed: number } {
  const open = ((c: KernelCall) => {
    open.opened++;
    const costs = costsFor(c);
    const runs: Record<Candidate, number> = { ours: 0, stock: 0 };
    return {
      settle: async () => {},
      run: async (candidate: Candidate, reps: number) => {
        open.log.push(reps === 1 ? `${c.op}:${candidate}` : `${c.op}:${candidate}×${reps}`);
        if (costs.throws?.includes(candidate)) throw new Error(`${candidate} failed`);
        const spec = costs.ms[candidate];
        const ms = Array.isArray(spec) ? spec[Math.min(runs[candidate], spec.length - 1)] : spec;
        clock.t += ms * reps + (runs[candidate] === 0 ? (costs.compileMs?.[candidate] ?? 0) : 0);
        runs[candidate]++;
      },
      close: () => { open.closed++; },
    };
  }) as OpenProblem & { log: string[]; opened: number; closed: number };
  open.log = [];
  open.opened = 0;
  open.closed = 0;
  return open;
}

export function call(op: string, shape: number[] = [8, 4, 4, 16]): KernelCall {
  return { op, inputs: [{ name: 'a', shape, dtype: 'float32' }, { name: 'b', shape, dtype: 'float32' }], attrs: {} };
}
