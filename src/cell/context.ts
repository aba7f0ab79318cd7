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
