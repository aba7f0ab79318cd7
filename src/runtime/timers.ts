// The timers cell code starts (setTimeout, setInterval), tracked so that Interrupt can stop what cells left running.
//
// Cells see these in place of the worker's own through the builtins, so the names in cell code resolve to them, also
// inside functions a cell defined (closures keep the cell's scope): a `setTimeout(tick, 10)` chain stays tracked.
// Libraries keep the worker's untracked timers (sleep(), tf.nextFrame()), which must never be cleared from under an
// await that waits for them.
//
// The rule for a timer that outlives its cell: it keeps running, as in a browser console or a Jupyter kernel (a cell
// may poll or animate on purpose), and the cell says so when it leaves an interval behind. Interrupt clears every
// timer that cells started and is still pending; Restart ends them with the worker.

type Handle = ReturnType<typeof setTimeout>;
type Callback = (...args: unknown[]) => void;

export interface TimerFunctions {
  setTimeout(handler: unknown, ms?: number, ...args: unknown[]): Handle;
  setInterval(handler: unknown, ms?: number, ...args: unknown[]): Handle;
  clearTimeout(handle?: Handle): void;
  clearInterval(handle?: Handle): void;
}

interface Tracked {
  kind: 'timeout' | 'interval';
  /** The request id of the cell that was running when the timer started (undefined outside any cell). */
  owner: string | undefined;
}

/** What Interrupt cleared, by the cell that started each timer. */
export interface ClearedTimers {
  owner: string | undefined;
  timeouts: number;
  intervals: number;
}

export class CellTimers {
  private readonly live = new Map<Handle, Tracked>();
  /** While a tracked callback runs: the cell that started its timer, which also owns the timers it starts. */
  private callbackOwner: { owner: string | undefined } | null = null;
  /** The functions cells call by these names. */
  readonly functions: TimerFunctions;

  constructor(
    /** The running cell's request id, asked when a timer starts. */
    private readonly owner: () => string | undefined,
    host: TimerFunctions = globalThis as unknown as TimerFunctions,
  ) {
    const ownerNow = (): string | undefined => (this.callbackOwner ? this.callbackOwner.owner : this.owner());
    const start = (kind: Tracked['kind'], handler: unknown, ms: number | undefined, args: unknown[]): Handle => {
      const owner = ownerNow();
      // A string handler is the host's business (it evaluates it, or refuses to); it is tracked all the same.
      if (typeof handler !== 'function') {
        const handle = (kind === 'timeout' ? host.setTimeout : host.setInterval)(handler, ms, ...args);
        this.live.set(handle, { kind, owner });
        return handle;
      }
      const callback = handler as Callback;
      // A chain (`function tick() { …; setTimeout(tick) }`) stays the starting cell's, whichever cell runs now.
      const call = (): void => {
        const outer = this.callbackOwner;
        this.callbackOwner = { owner };
        try {
          callback(...args);
        } finally {
          this.callbackOwner = outer;
        }
      };
      const handle: Handle =
        kind === 'timeout'
          ? host.setTimeout(() => {
              this.live.delete(handle);
              call();
            }, ms)
          : host.setInterval(call, ms);
      this.live.set(handle, { kind, owner });
      return handle;
    };
    const clear = (handle: Handle | undefined): void => {
      if (handle === undefined) return;
      const tracked = this.live.get(handle);
      this.live.delete(handle);
      // clearTimeout and clearInterval share one list of ids in browsers; either clears either.
      if (tracked?.kind === 'interval') host.clearInterval(handle);
      else host.clearTimeout(handle);
    };
    this.functions = {
      setTimeout: (handler, ms, ...args) => start('timeout', handler, ms, args),
      setInterval: (handler, ms, ...args) => start('interval', handler, ms, args),
      clearTimeout: clear,
      clearInterval: clear,
    };
  }

  /** Intervals that this owner started and nothing cleared yet. */
  intervalsLeftBy(owner: string | undefined): number {
    let n = 0;
    for (const t of this.live.values()) if (t.kind === 'interval' && t.owner === owner) n++;
    return n;
  }

  /** Clears every pending timer that cells started; says what it cleared, grouped by the cell that started it. */
  clearAll(): ClearedTimers[] {
    const byOwner = new Map<string | undefined, ClearedTimers>();
    for (const [handle, t] of this.live) {
      this.functions.clearTimeout(handle);
      const entry = byOwner.get(t.owner) ?? { owner: t.owner, timeouts: 0, intervals: 0 };
      if (t.kind === 'interval') entry.intervals++;
      else entry.timeouts++;
      byOwner.set(t.owner, entry);
    }
    this.live.clear();
    return [...byOwner.values()];
  }
}

export function describeClearedTimers(c: ClearedTimers): string {
  const parts = [
    c.intervals ? `${c.intervals} setInterval${c.intervals === 1 ? '' : 's'}` : '',
    c.timeouts ? `${c.timeouts} pending setTimeout${c.timeouts === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return `Interrupt cleared ${parts.join(' and ')} that this cell started.\n`;
}

export function describeIntervalsLeft(n: number): string {
  return `This cell left ${n} setInterval${n === 1 ? '' : 's'} running: ${n === 1 ? 'it keeps' : 'they keep'} running after the cell ends, until clearInterval() or Interrupt stops ${n === 1 ? 'it' : 'them'}.\n`;
}
