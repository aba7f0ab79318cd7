// The functions cells call by name (display, sleep), as the libraries and the kernel share them: kept apart from
// the runtime so the editor's declarations (src/runtime/cell-globals.ts) reach nothing of the compiler.
import { InterruptedError, isInterruptRequested } from './context';

export interface DisplayOptions {
  /** Ask for a handle to update this output later; a string names the display (Jupyter's display_id). */
  displayId?: string | boolean;
}

export interface DisplayHandle {
  readonly displayId: string;
  update(value: unknown): void;
}

/** Waits `ms` milliseconds; an interrupt ends the wait early with InterruptedError. */
export function sleep(ms: number): Promise<void> {
  const POLL_MS = 50;
  return new Promise<void>((resolve, reject) => {
    const end = Date.now() + Math.max(0, Number(ms) || 0);
    const tick = (): void => {
      if (isInterruptRequested()) return reject(new InterruptedError());
      const left = end - Date.now();
      if (left <= 0) return resolve();
      setTimeout(tick, Math.min(POLL_MS, left));
    };
    setTimeout(tick, Math.min(POLL_MS, Math.max(0, Number(ms) || 0)));
  });
}
