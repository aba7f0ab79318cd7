// What worker-side libraries (data, train, plots) may use to talk to the running cell,
// without knowing about the worker or the protocol's envelopes.
import type { MimeBundle } from '../protocol';
import { INTERRUPTED_ENAME } from '../protocol';

export interface CellContext {
  /** Shows rich output under the running cell; returns the display id for later updates. */
  display(data: MimeBundle, opts?: { displayId?: string }): string;
  /** Replaces (or, for plots with `append`, extends) an earlier display. */
  updateDisplay(displayId: string, data: MimeBundle): void;
  print(text: string, stream?: 'stdout' | 'stderr'): void;
  /** Sends tensor/byte counts to the status bar now. */
  reportResources(): void;
  /** The page's id of the cell that runs (absent where the page did not say, e.g. in Node tests). */
  readonly cellId?: string;
}

export class InterruptedError extends Error {
  constructor(message = 'Interrupted by the user') {
    super(message);
    this.name = INTERRUPTED_ENAME;
  }
}

let interruptRequested = false;
let current: CellContext | null = null;

/** Set by the worker around each execution. */
export function setCurrentCell(ctx: CellContext | null): void {
  current = ctx;
}

/** The context of the cell now running (or the last one, for work that outlives its cell). */
export function currentCell(): CellContext {
  if (!current) throw new Error('No cell is running');
  return current;
}

export function requestInterrupt(): void {
  interruptRequested = true;
}

export function clearInterrupt(): void {
  interruptRequested = false;
}

export function isInterruptRequested(): boolean {
  return interruptRequested;
}

/**
 * Lets the worker's event loop run (so an interrupt_request can arrive), then checks.
 * A MessageChannel round-trip is a macrotask without setTimeout's 4 ms clamp.
 */
export function checkpoint(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      if (interruptRequested) reject(new InterruptedError());
      else resolve();
    };
    ch.port2.postMessage(null);
  });
}

// ---- where values came from: views point back at the cell that made their model, and redraw when it re-runs ----

const madeIn = new WeakMap<object, string>();
type ReboundListener = (previous: object, next: unknown) => void;
const reboundListeners = new Set<ReboundListener>();

/** The page's id of the cell whose top-level names first held `value`, if a cell's names ever held it. */
export function cellThatMade(value: object): string | undefined {
  return madeIn.get(value);
}

/** Calls `listener(previous, next)` each time a re-run cell rebinds one of its names from `previous` to a new value. */
export function onRebound(listener: ReboundListener): () => void {
  reboundListeners.add(listener);
  return () => reboundListeners.delete(listener);
}

/**
 * Set by the runtime after a cell ran: `previous` holds the values its declared names had before the run, `scope`
 * the names now. Records which cell made each new value and tells the listeners which values a re-run replaced.
 */
export function cellBound(cellId: string | undefined, previous: ReadonlyMap<string, unknown>, scope: Readonly<Record<string, unknown>>): void {
  for (const [name, old] of previous) {
    const value = scope[name];
    if (cellId && typeof value === 'object' && value !== null && !madeIn.has(value)) madeIn.set(value, cellId);
    if (typeof old !== 'object' || old === null || old === value) continue;
    for (const listener of reboundListeners) {
      try {
        listener(old, value);
      } catch {
        // A view that cannot redraw keeps what it showed; the cell's own run is not the place to fail.
      }
    }
  }
}
