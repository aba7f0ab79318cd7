// Timing the waiting shape classes, outside any kernel call. Pure: the clock and the thing that runs a candidate are
// passed in, so the unit tests drive it with a fake clock and fake candidates.
//
// Per class: each candidate runs once untimed (it compiles its pipelines) and once timed (a probe), then `samples`
// timed rounds alternate the candidates' order (so a slow spell on a shared machine hits both); the fastest median
// per call wins. Every timed sample ends in an awaited GPU sync, whose own latency (≈2.5 ms measured on SwiftShader,
// and a few hundred µs on real GPUs) would drown a kernel of a fraction of that: so when the faster probe is under
// minSampleMs, a sample runs the candidate `reps` times back to back before its one sync, and counts elapsed / reps. Bounded twice: a class stops as soon as it has spent perClassMs, and a pass starts no
// class after passMs (so a pass lasts at most passMs + perClassMs, and a pass always finishes the class it started:
// a slice too short for a class must not cut it again every time). A class cut short with at least one timed sample
// per candidate is still decided on what it has; otherwise it stays 'ours' (the hot path's default) and is not
// retried this session. Classes a pass did not reach wait for the next one.
import { CANDIDATES, pickFastest, type Candidate } from './pick';
import type { KernelCall } from './shape-class';
import type { ChoiceTable, ClassChoice } from './table';

export interface Clock { now(): number }

/** One class's synthetic problem, ready to run either candidate (each run ends with an awaited GPU sync). */
export interface ProblemRun {
  /** Waits for work queued by others (a training step submitted meanwhile), so a timed run measures only itself. */
  settle(): Promise<void>;
  /** Runs the candidate `reps` times, then waits for the GPU to finish them. */
  run(candidate: Candidate, reps: number): Promise<void>;
  close(): void;
}

/** Builds a class's synthetic problem from the call that met it first. */
export type OpenProblem = (call: KernelCall) => ProblemRun;

export interface CalibrationBudget {
  /** Most time one class may take, warm-up runs included. */
  perClassMs: number;
  /** Most time this pass may take. */
  passMs: number;
  /** Timed samples per candidate. */
  samples: number;
  /** Shortest sample worth timing: faster kernels are repeated within a sample (at most MAX_REPS times). */
  minSampleMs: number;
}

export const DEFAULT_BUDGET: CalibrationBudget = { perClassMs: 3000, passMs: 20_000, samples: 3, minSampleMs: 8 };
export const MAX_REPS = 32;

export type ClassOutcome = { timed: ClassChoice } | { skipped: string };

type ClassBudget = Pick<CalibrationBudget, 'perClassMs' | 'samples' | 'minSampleMs'>;

export async function timeClass(call: KernelCall, open: OpenProblem, clock: Clock, budget: ClassBudget): Promise<ClassOutcome> {
  const stopAt = clock.now() + budget.perClassMs;
  let problem: ProblemRun;
  try {
    problem = open(call);
  } catch (err) {
    return { skipped: `could not build the problem: ${(err as Error)?.message ?? String(err)}` };
  }
  const probes: Partial<Record<Candidate, number[]>> = {};
  const times: Partial<Record<Candidate, number[]>> = {};
  const failed = new Set<Candidate>();
  const live = () => CANDIDATES.filter((c) => !failed.has(c));
  const complete = (t: Partial<Record<Candidate, number[]>>) => live().length > 0 && live().every((c) => t[c]?.length);
  /** Runs c `reps` times and returns ms per call, or null when it failed. */
  const timed = async (c: Candidate, reps: number): Promise<number | null> => {
    await problem.settle();
    const t0 = clock.now();
    try { await problem.run(c, reps); } catch { failed.add(c); return null; }
    return (clock.now() - t0) / reps;
  };
  // Decided on the full samples when every candidate has one, else on the probes.
  const decide = (): ClassOutcome => {
    const from = complete(times) ? times : complete(probes) ? probes : null;
    const picked = from ? pickFastest(from) : null;
    if (!picked) return { skipped: live().length ? 'over budget' : 'every candidate failed' };
    const n = Math.min(...live().map((c) => from![c]!.length));
    return { timed: { choice: picked.choice, ms: picked.ms, samples: n, timedAt: Date.now() } };
  };
  try {
    for (const c of CANDIDATES) {
      try { await problem.run(c, 1); } catch { failed.add(c); }
      if (clock.now() > stopAt) return { skipped: 'over budget' };
    }
    for (const c of live()) {
      const ms = await timed(c, 1);
      if (ms !== null) probes[c] = [ms];
      if (clock.now() > stopAt) return decide();
    }
    const fastest = Math.min(...live().map((c) => probes[c]?.[0] ?? Infinity));
    const reps = Math.max(1, Math.min(MAX_REPS, Math.ceil(budget.minSampleMs / Math.max(fastest, 1e-3))));
    for (let round = 0; round < budget.samples; round++) {
      const order = round % 2 ? [...live()].reverse() : live();
      for (const c of order) {
        const ms = await timed(c, reps);
        if (ms !== null) (times[c] ??= []).push(ms);
        if (clock.now() > stopAt) return decide();
      }
    }
    return decide();
  } finally {
    problem.close();
  }
}

export interface PassResult {
  /** Classes timed in this pass. */
  timed: string[];
  /** Classes given up on this pass (over budget, or no candidate ran), with why. */
  skipped: Record<string, string>;
  /** Classes still waiting (not reached, or given up on): they run ours. */
  waiting: number;
  spentMs: number;
}

/**
 * Times waiting classes in arrival order until the pass's budget is spent. `givenUp` holds the classes skipped
 * earlier in this session (not tried again until it is cleared).
 */
export async function calibratePass(table: ChoiceTable, open: OpenProblem, clock: Clock, budget: CalibrationBudget, givenUp: Set<string>): Promise<PassResult> {
  const start = clock.now();
  const deadline = start + budget.passMs;
  const result: PassResult = { timed: [], skipped: {}, waiting: 0, spentMs: 0 };
  for (const [key, call] of table.pending()) {
    if (givenUp.has(key)) continue;
    if (clock.now() >= deadline) break;
    const outcome = await timeClass(call, open, clock, budget);
    if ('timed' in outcome) {
      table.record(key, outcome.timed);
      result.timed.push(key);
    } else {
      givenUp.add(key);
      result.skipped[key] = outcome.skipped;
    }
  }
  result.waiting = table.pending().length;
  result.spentMs = clock.now() - start;
  return result;
}
