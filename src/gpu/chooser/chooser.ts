// The chooser's life cycle, without tfjs: which adapter's choices are loaded, when timing passes run, what is
// saved, and the counters kernels.stats() shows. Everything that touches the GPU or IndexedDB comes in through
// ChooserDeps, so the unit tests run it with a fake clock, fake candidates and a Map for a store.
import { calibratePass, DEFAULT_BUDGET, type CalibrationBudget, type Clock, type OpenProblem, type PassResult } from './calibrate';
import type { Candidate } from './pick';
import type { KernelCall } from './shape-class';
import { ChoiceTable } from './table';
import type { ChoiceStore } from './store';

export interface ChooserDeps {
  store: ChoiceStore;
  clock: Clock;
  open: OpenProblem;
  /** Runs `fn` later, outside the current kernel call and its caller's synchronous work (setTimeout in the app). */
  schedule(fn: () => void, delayMs: number): void;
  /** Whether a timing pass may run now (the webgpu backend is active and not in compile-only mode). */
  canTime(): boolean;
}

export interface ChooserOptions {
  /** Time the automatic passes may spend per session, in total. */
  sessionMs: number;
  /** Most time one automatic pass starts classes for, so training steps run between passes. */
  sliceMs: number;
  perClassMs: number;
  samples: number;
}

export const DEFAULT_OPTIONS: ChooserOptions = { sessionMs: 30_000, sliceMs: 300, perClassMs: DEFAULT_BUDGET.perClassMs, samples: DEFAULT_BUDGET.samples };

export interface ChooserCounters {
  /** Choices loaded from the store for this adapter. */
  loaded: number;
  /** Classes timed this session (0 after a reload whose classes were all stored: nothing was re-timed). */
  timed: number;
  /** Classes given up on this session (over budget, or no candidate ran): they run ours. */
  skipped: number;
  passes: number;
  /** Milliseconds spent timing this session. */
  spentMs: number;
}

const zero = (): ChooserCounters => ({ loaded: 0, timed: 0, skipped: 0, passes: 0, spentMs: 0 });

export class Chooser {
  readonly table = new ChoiceTable();
  counters = zero();
  adapter: string | null = null;
  /** Why the store could not be read or written, if it could not (choices then last for the session only). */
  storeError: string | undefined;
  options: ChooserOptions;
  private enabled = false;
  private loading: Promise<void> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();
  private scheduled = false;
  private readonly givenUp = new Set<string>();
  private readonly skippedWhy = new Map<string, string>();

  constructor(private readonly deps: ChooserDeps, options: Partial<ChooserOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /** Turns choosing on for an adapter (loading its stored choices) or off. A new adapter key starts afresh. */
  activate(adapter: string | null): void {
    this.enabled = adapter !== null;
    if (adapter === null || adapter === this.adapter) return;
    this.adapter = adapter;
    this.table.clear();
    this.givenUp.clear();
    this.skippedWhy.clear();
    this.counters = zero();
    this.loading = this.load(adapter);
  }

  get active(): boolean { return this.enabled; }

  /** Resolves once the stored choices for the current adapter are in the table. */
  ready(): Promise<void> { return this.loading; }

  private async load(adapter: string): Promise<void> {
    try {
      const record = await this.deps.store.load(adapter);
      if (record && this.adapter === adapter) this.counters.loaded += this.table.load(record.choices);
    } catch (err) {
      this.storeError = `could not read stored choices: ${(err as Error)?.message ?? String(err)}`;
    }
  }

  /** The hot path: the stored or timed choice for a class, undefined while it waits for a timing. */
  lookup(key: string): Candidate | undefined { return this.table.lookup(key); }

  noteCall(key: string, op: string): void { this.table.noteCall(key, op); }

  /** A class met for the first time: queue it and make sure a pass will time it. */
  enqueue(key: string, call: KernelCall): void {
    if (this.table.enqueue(key, call)) this.scheduleAuto(0);
  }

  private sessionLeft(): number { return this.options.sessionMs - this.counters.spentMs; }

  private scheduleAuto(delayMs: number): void {
    if (this.scheduled || !this.enabled || this.sessionLeft() <= 0) return;
    this.scheduled = true;
    this.deps.schedule(() => {
      this.scheduled = false;
      void this.calibrate({ passMs: Math.min(this.options.sliceMs, this.sessionLeft()) }, true).catch(() => {});
    }, delayMs);
  }

  /**
   * Times waiting classes now (passes run one at a time). Explicit calls get `passMs` (default 20 s) whatever the
   * session's automatic budget says, and retry classes automatic passes gave up on; automatic ones get a slice of
   * the session's budget and schedule the next slice themselves.
   */
  calibrate(budget: Partial<CalibrationBudget> = {}, automatic = false): Promise<PassResult> {
    const run = this.queue.catch(() => {}).then(() => this.pass(budget, automatic));
    this.queue = run;
    return run;
  }

  private async pass(budget: Partial<CalibrationBudget>, automatic: boolean): Promise<PassResult> {
    await this.loading;
    const idle: PassResult = { timed: [], skipped: {}, waiting: this.table.pending().length, spentMs: 0 };
    if (!this.enabled || !this.deps.canTime()) {
      // Compile-only warm-up or another backend for now: try again a little later while choosing is on.
      if (automatic && idle.waiting) this.scheduleAuto(1000);
      return idle;
    }
    const full = { ...DEFAULT_BUDGET, perClassMs: this.options.perClassMs, samples: this.options.samples, ...budget };
    // An explicit call retries the classes automatic passes gave up on: it may bring a bigger budget.
    const result = await calibratePass(this.table, this.deps.open, this.deps.clock, full, automatic ? this.givenUp : new Set());
    for (const key of Object.keys(result.skipped)) this.givenUp.add(key);
    this.counters.passes++;
    this.counters.timed += result.timed.length;
    this.counters.skipped += Object.keys(result.skipped).length;
    this.counters.spentMs += result.spentMs;
    for (const [key, why] of Object.entries(result.skipped)) this.skippedWhy.set(key, why);
    if (result.timed.length) await this.save();
    const retryable = this.table.pending().some(([key]) => !this.givenUp.has(key));
    if (automatic && retryable) this.scheduleAuto(0);
    return result;
  }

  /** Writes this session's choices over the stored ones, keeping classes only another tab timed meanwhile. */
  private async save(): Promise<void> {
    if (!this.adapter) return;
    try {
      const stored = await this.deps.store.load(this.adapter).catch(() => undefined);
      await this.deps.store.save({ adapter: this.adapter, savedAt: Date.now(), choices: { ...stored?.choices, ...this.table.snapshot() } });
    } catch (err) {
      this.storeError = `could not save choices: ${(err as Error)?.message ?? String(err)}`;
    }
  }

  /** Why a class was given up on this session, if it was. */
  skippedReason(key: string): string | undefined { return this.skippedWhy.get(key); }

  /** Forgets every stored choice (all adapters) and this session's: every class is timed again. */
  async forget(): Promise<void> {
    await this.queue.catch(() => {});
    await this.loading;
    this.table.clear();
    this.givenUp.clear();
    this.skippedWhy.clear();
    this.counters = zero();
    this.storeError = undefined;
    await this.deps.store.clear();
  }
}
