// Which pooled buffers to give back to the device at a step boundary. tfjs reuses a free buffer only for a
// request of exactly its size and usage, so the pool after a step holds one buffer for every distinct size the
// step freed, however briefly each lived (a dense block makes a new size at every layer). Keeping the pool
// within `ratio` × the step's peak of bytes held by tensors, we destroy first what the step never asked for
// (sizes the next, identical, step will not ask for either), then the slots it used least, larger buffers
// first among equals (fewer destroy calls for the same bytes); what is kept is what the next step reuses most.
import type { FreeBuffer, FreePool } from './buffer-pool';

export interface TrimResult {
  /** Buffers destroyed and their bytes. */
  destroyedBuffers: number;
  destroyedBytes: number;
  /** The pool (numBytesAllocated) and the bytes tensors hold (numBytesUsed) after trimming. */
  poolBytes: number;
  liveBytes: number;
}

/** The pooled buffers to destroy so that at most `keepBytes` stay pooled, in the order they go. */
export function planTrim(free: readonly FreeBuffer[], keepBytes: number, requests: ReadonlyMap<string, number>): FreeBuffer[] {
  let pooled = free.reduce((a, f) => a + f.buffer.size, 0);
  if (pooled <= keepBytes) return [];
  const uses = (f: FreeBuffer) => requests.get(f.key) ?? 0;
  const order = [...free].sort((a, b) => uses(a) - uses(b) || b.buffer.size - a.buffer.size);
  const out: FreeBuffer[] = [];
  for (const f of order) {
    if (pooled <= keepBytes) break;
    out.push(f);
    pooled -= f.buffer.size;
  }
  return out;
}

/**
 * Destroys pooled buffers until the pool (free plus held bytes) is at most `ratio` × `peakBytes`, or no free
 * buffer is left. The caller has flushed the backend's recorded commands (flushRecorded).
 */
export function trimToPeak(pool: FreePool, peakBytes: number, ratio: number, requests: ReadonlyMap<string, number>): TrimResult {
  if (!(ratio >= 1)) throw new Error(`trimPool: ratio must be a number ≥ 1 (the pool never holds less than the tensors), got ${String(ratio)}`);
  const live = pool.manager.numBytesUsed;
  const keepBytes = Math.max(0, ratio * Math.max(peakBytes, live) - live);
  const doomed = planTrim(pool.list(), keepBytes, requests);
  let destroyedBytes = 0;
  for (const f of doomed) {
    pool.destroy(f);
    destroyedBytes += f.buffer.size;
  }
  return { destroyedBuffers: doomed.length, destroyedBytes, poolBytes: pool.manager.numBytesAllocated, liveBytes: pool.manager.numBytesUsed };
}
