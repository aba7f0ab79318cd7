// What every `await` in a cell goes through (`await __ck(x)`): after x settles, an interrupt that the
// user asked for meanwhile ends the cell with InterruptedError.
//
// An interrupt_request is a message, so it is only seen when the worker's event loop turns. A cell that
// only awaits already-resolved values never lets it turn; so at most every YIELD_EVERY_MS the check
// also waits one macrotask, which keeps even `while (true) await 0` interruptible.
import { InterruptedError, isInterruptRequested } from '../cell/context';
import { INTERRUPTED_ENAME } from '../protocol';

const YIELD_EVERY_MS = 50;
let lastYield = now();

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function macrotask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise<void>((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

export async function interruptibleAwait<T>(value: T): Promise<Awaited<T>> {
  let result: Awaited<T>;
  try {
    result = await value;
  } catch (err) {
    // An interrupt raised in a timer (sleep, a library's checkpoint) has no cell frame in its stack;
    // raised again here, V8's async stack trace leads back to the cell's own await line.
    if (err instanceof Error && err.name === INTERRUPTED_ENAME) throw interrupted(err.message);
    throw err;
  }
  if (now() - lastYield > YIELD_EVERY_MS) {
    await macrotask();
    lastYield = now();
  }
  if (isInterruptRequested()) throw interrupted();
  return result;
}

/** An InterruptedError whose stack starts at the cell's await, not inside this helper (V8 only). */
function interrupted(message?: string): InterruptedError {
  const err = new InterruptedError(message);
  const capture = (Error as { captureStackTrace?: (e: object, fn: Function) => void }).captureStackTrace;
  capture?.(err, interruptibleAwait);
  return err;
}

/** Called when a cell starts, so its first awaits do not pay for the previous cell's clock. */
export function resetYieldClock(): void {
  lastYield = now();
}
