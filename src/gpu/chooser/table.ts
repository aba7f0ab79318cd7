// The chooser's in-memory state: the choice per shape class (loaded from the store, or timed this session), the
// classes waiting to be timed with one real call's problem each, and per-class call counts for kernels.stats().
// Pure: the hot path reads it synchronously on every kernel call.
import type { KernelCall } from './shape-class';
import type { Candidate } from './pick';

export interface ClassChoice {
  choice: Candidate;
  /** Median milliseconds per call of each candidate timed. */
  ms: Partial<Record<Candidate, number>>;
  /** Timed samples per candidate (after one untimed warm-up each). */
  samples: number;
  /** When it was timed (ms since the epoch), for learners reading the store. */
  timedAt: number;
}

export interface ClassView {
  key: string;
  op: string;
  /** 'ours' or 'stock' once timed; 'untimed' while it runs ours waiting for a timing. */
  choice: Candidate | 'untimed';
  ms: Partial<Record<Candidate, number>>;
  /** Calls this session, on the candidate that ran. */
  calls: number;
  /** Where the choice came from: timed this session, or loaded from the store. */
  source: 'timed' | 'stored' | 'pending';
}

export interface OpSummary {
  /** e.g. "ours ×3, stock ×1, untimed ×2": shape classes of this op per choice. */
  variant: string;
  /** Call-weighted mean over timed classes of the chosen candidate's median ms per call; undefined before any timing. */
  msPerCall?: number;
}

export class ChoiceTable {
  private readonly choices = new Map<string, ClassChoice & { source: 'timed' | 'stored' }>();
  private readonly waiting = new Map<string, KernelCall>();
  private readonly calls = new Map<string, { op: string; n: number }>();

  lookup(key: string): Candidate | undefined {
    return this.choices.get(key)?.choice;
  }

  /** One call of class `key` (op `op`) ran: counted for the per-op summary. */
  noteCall(key: string, op: string): void {
    const c = this.calls.get(key);
    if (c) c.n++;
    else this.calls.set(key, { op, n: 1 });
  }

  /** Queues a class for timing with the call that met it first (its shapes and attrs are what gets timed). */
  enqueue(key: string, call: KernelCall): boolean {
    if (this.choices.has(key) || this.waiting.has(key)) return false;
    this.waiting.set(key, call);
    return true;
  }

  /** Waiting classes in arrival order; classes that got a choice meanwhile (e.g. from the store) are dropped. */
  pending(): Array<[string, KernelCall]> {
    for (const key of this.waiting.keys()) if (this.choices.has(key)) this.waiting.delete(key);
    return [...this.waiting.entries()];
  }

  record(key: string, choice: ClassChoice): void {
    this.choices.set(key, { ...choice, source: 'timed' });
    this.waiting.delete(key);
  }

  /** Adds stored choices (a class timed this session keeps its fresh timing); returns how many were new. */
  load(stored: Record<string, ClassChoice>): number {
    let added = 0;
    for (const [key, c] of Object.entries(stored)) {
      if (this.choices.has(key) || (c.choice !== 'ours' && c.choice !== 'stock')) continue;
      this.choices.set(key, { ...c, source: 'stored' });
      added++;
    }
    return added;
  }

  /** Every choice, as the store keeps it. */
  snapshot(): Record<string, ClassChoice> {
    const out: Record<string, ClassChoice> = {};
    for (const [key, { choice, ms, samples, timedAt }] of this.choices) out[key] = { choice, ms, samples, timedAt };
    return out;
  }

  /** Forgets choices, the queue and the counts. */
  clear(): void {
    this.choices.clear();
    this.waiting.clear();
    this.calls.clear();
  }

  /** Counts only (a stats reset): choices and the queue stay. */
  resetCalls(): void { this.calls.clear(); }

  /** Classes met this session or chosen (loaded or timed), for kernels.stats(). */
  classes(): ClassView[] {
    const keys = new Set([...this.calls.keys(), ...this.choices.keys(), ...this.waiting.keys()]);
    return [...keys].sort().map((key) => {
      const c = this.choices.get(key);
      const op = this.calls.get(key)?.op ?? this.waiting.get(key)?.op ?? key.slice(0, key.indexOf('|'));
      return { key, op, choice: c?.choice ?? 'untimed', ms: c ? { ...c.ms } : {}, calls: this.calls.get(key)?.n ?? 0, source: c?.source ?? 'pending' };
    });
  }

  /** Per op, over the classes that ran this session: how they were chosen and the chosen candidate's time per call. */
  perOp(): Record<string, OpSummary> {
    const byOp = new Map<string, ClassView[]>();
    for (const v of this.classes()) if (v.calls > 0) byOp.set(v.op, [...(byOp.get(v.op) ?? []), v]);
    const out: Record<string, OpSummary> = {};
    for (const [op, views] of byOp) {
      const tally = new Map<string, number>();
      for (const v of views) tally.set(v.choice, (tally.get(v.choice) ?? 0) + 1);
      const variant = ['ours', 'stock', 'untimed'].filter((c) => tally.has(c)).map((c) => `${c} ×${tally.get(c)}`).join(', ');
      let weighted = 0; let calls = 0;
      for (const v of views) {
        const ms = v.choice === 'untimed' ? undefined : v.ms[v.choice];
        if (ms === undefined) continue;
        weighted += ms * v.calls;
        calls += v.calls;
      }
      out[op] = calls ? { variant, msPerCall: weighted / calls } : { variant };
    }
    return out;
  }
}
