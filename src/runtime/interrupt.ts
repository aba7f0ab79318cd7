// What every `await` in a cell goes through (`await __ck(x)`): after x settles, an interrupt that the
// user asked for meanwhile ends the cell with InterruptedError.
//
// An interrupt_request is a message, so it is only seen when the worker's event loop turns. A cell that
// only awaits already-resolved values never lets it turn; so at most every YIELD_EVERY_MS the check
// also waits one macrotask, which keeps even `while (true) await 0` interruptible. When Interrupt cleared timers that
// cells started, a promise still unsettled a second later is abandoned: it may have been waiting for one of them.
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

/**
 * How long an awaited promise may take to settle after Interrupt cleared the cells' timers, before the cell stops
 * waiting for it. `await new Promise((r) => setTimeout(r, 60_000))` waits for a timer that is gone now and would hold
 * the cell, and the queue behind it, forever. Such a promise is abandoned, not cancelled: whatever it waits for may
 * still finish unseen. Only then: a training loop awaited without cell timers stops at its own checkpoint instead,
 * however long its step takes, and never trains on behind the next cell's back.
 */
export const ABANDON_AFTER_MS = 1000;
const ABANDONED = 'Interrupted by the user: Interrupt cleared the timers cells started, and the promise this cell awaited did not settle within a second after, so the cell stopped waiting for it';

/** Awaits now waiting for a promise: each one's function starts its abandon timer. */
const waiting = new Set<() => void>();

/** Called by the kernel when an interrupt cleared cells' timers: every pending await may now be abandoned. */
export function abandonPendingAwaits(): void {
  for (const arm of waiting) arm();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * `value`, unless abandonPendingAwaits() is called and it has not settled ABANDON_AFTER_MS later: then an
 * InterruptedError. `release` (called once the await is over) forgets it. The promise gets one reaction only, the
 * resolving functions themselves: V8 follows exactly that when it writes an error's async stack, which is how an
 * error thrown inside an awaited library call still names the cell's line.
 */
function abandonable<T>(value: PromiseLike<T>): { promise: Promise<T>; release(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let abandon: (err: Error) => void = () => {};
  function arm(): void {
    waiting.delete(arm);
    timer ??= setTimeout(() => abandon(new InterruptedError(ABANDONED)), ABANDON_AFTER_MS);
  }
  const promise = new Promise<T>((resolve, reject) => {
    abandon = reject;
    // Also the rejection's handler once abandoned: a late failure is then no unhandled rejection.
    value.then(resolve, reject);
  });
  waiting.add(arm);
  return {
    promise,
    release: () => {
      waiting.delete(arm);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

export async function interruptibleAwait<T>(value: T): Promise<Awaited<T>> {
  let result: Awaited<T>;
  const pending = isThenable(value) ? abandonable(value) : null;
  try {
    result = (await (pending ? pending.promise : value)) as Awaited<T>;
  } catch (err) {
    // An interrupt raised in a timer (sleep, a library's checkpoint) has no cell frame in its stack;
    // raised again here, V8's async stack trace leads back to the cell's own await line.
    if (err instanceof Error && err.name === INTERRUPTED_ENAME) throw interrupted(err.message);
    throw err;
  } finally {
    pending?.release();
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
