// The high-water marks of one training step, read from tfjs's own counters. numBytesUsed only grows inside
// BufferManager.acquireBuffer, so sampling it right after every acquire sees its true maximum; the same call
// says which pool slots (size + usage) the step asks for, which is what trimming should keep.
//
// Why wrapping the manager instance's acquireBuffer is safe: the backend looks the method up on
// `this.bufferManager` at every call, so an own property on that one instance shadows the class method for
// that backend alone; the wrapper passes its arguments through untouched, returns exactly what tfjs returns
// (and lets its errors through before recording anything), and only reads counters. It is installed once per
// manager and never removed, so a wrapper someone layers on top of it unwraps back to it.
import { bufferKey, type BufferManagerLike } from './buffer-pool';

export interface StepMemory {
  /** High-water of bytes in buffers held by tensors (numBytesUsed) during the step. */
  peakBytes: number;
  /** High-water of the buffer pool (numBytesAllocated, free buffers included) during the step. */
  peakPoolBytes: number;
  /** How often the step asked for each pool slot (`${size}_${usage}`). */
  requests: Map<string, number>;
}

class StepWatch {
  private current: StepMemory | null = null;

  constructor(private readonly manager: BufferManagerLike) {
    const original = manager.acquireBuffer;
    const record = (size: number, usage: number) => this.record(size, usage);
    manager.acquireBuffer = function (this: BufferManagerLike, ...args: Parameters<BufferManagerLike['acquireBuffer']>) {
      const buffer = original.apply(this, args);
      record(args[0], args[1]);
      return buffer;
    };
  }

  private record(size: number, usage: number): void {
    const s = this.current;
    if (!s) return;
    s.peakBytes = Math.max(s.peakBytes, this.manager.numBytesUsed);
    s.peakPoolBytes = Math.max(s.peakPoolBytes, this.manager.numBytesAllocated);
    const key = bufferKey(size, usage);
    s.requests.set(key, (s.requests.get(key) ?? 0) + 1);
  }

  begin(): void {
    this.current = { peakBytes: this.manager.numBytesUsed, peakPoolBytes: this.manager.numBytesAllocated, requests: new Map() };
  }

  /** The step since begin(), or null when none was begun. */
  end(): StepMemory | null {
    const s = this.current;
    this.current = null;
    return s;
  }

  get watching(): boolean { return this.current !== null; }
}

const watches = new WeakMap<BufferManagerLike, StepWatch>();

/** The one watch on this manager, installed on first use. */
export function watchOf(manager: BufferManagerLike): StepWatch {
  let w = watches.get(manager);
  if (!w) { w = new StepWatch(manager); watches.set(manager, w); }
  return w;
}

export type { StepWatch };
