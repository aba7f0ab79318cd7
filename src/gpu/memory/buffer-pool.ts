// What the memory module touches inside tfjs-backend-webgpu 4.22, in one place: the backend instance's
// BufferManager (buffer_manager.ts) and the two backend methods that flush its command encoder. tfjs keeps
// every released buffer in `freeBuffers`, keyed by `${size}_${usage}`, and frees nothing before the backend is
// disposed; `numBytesUsed` counts bytes in buffers tensors (and in-flight uniforms/staging) hold,
// `numBytesAllocated` every buffer created and not destroyed (tf.memory()'s numBytesAllocatedInGPU).
// `freeBuffers` and `numFreeBuffers` are private in tfjs's types but plain fields at runtime; poolOf() checks
// their shape so a tfjs upgrade that changes them turns trimming off with a reason instead of corrupting state.

/** The part of a GPUBuffer the pool reads (a real GPUBuffer, or a test double). */
export interface PooledBuffer { readonly size: number; readonly usage: number; destroy(): void }

/** tfjs's BufferManager as the memory module sees it. */
export interface BufferManagerLike {
  numBytesUsed: number;
  numBytesAllocated: number;
  acquireBuffer(size: number, usage: number, mappedAtCreation?: boolean, reuse?: boolean): PooledBuffer;
  releaseBuffer(buffer: PooledBuffer, reuse?: boolean): void;
}

interface BufferManagerInternals extends BufferManagerLike {
  freeBuffers: Map<string, PooledBuffer[]>;
  numFreeBuffers: number;
}

/** tfjs's WebGPUBackend as the memory module sees it. */
export interface BackendLike {
  bufferManager?: BufferManagerLike;
  commandEncoder?: unknown;
  disposed?: boolean;
  endComputePassEncoder?(): void;
  submitQueue?(): void;
}

/** tfjs's own key for a pool slot (buffer_manager.ts getBufferKey). */
export function bufferKey(size: number, usage: number): string {
  return `${size}_${usage}`;
}

/** One pooled (free) buffer and the slot it sits in. */
export interface FreeBuffer { key: string; buffer: PooledBuffer }

/** A backend's free-buffer pool with the operations trimming needs. */
export interface FreePool {
  manager: BufferManagerLike;
  /** Every buffer in the pool now (no tensor owns one). */
  list(): FreeBuffer[];
  /** Bytes in pooled buffers. */
  bytes(): number;
  /** Destroys one pooled buffer and keeps tfjs's counters (numBytesAllocated, numFreeBuffers) true. */
  destroy(entry: FreeBuffer): void;
}

/** The backend's buffer manager, or null when the backend is not tfjs's WebGPU backend (CPU, WebGL). */
export function managerOf(backend: unknown): BufferManagerLike | null {
  const m = (backend as BackendLike | null)?.bufferManager;
  return m && typeof m.acquireBuffer === 'function' && typeof m.numBytesUsed === 'number' ? m : null;
}

/** The manager's free pool, or a sentence saying why it cannot be trimmed. */
export function poolOf(manager: BufferManagerLike): FreePool | string {
  const m = manager as BufferManagerInternals;
  if (!(m.freeBuffers instanceof Map) || typeof m.numFreeBuffers !== 'number' || typeof m.numBytesAllocated !== 'number') {
    return 'this tfjs-backend-webgpu keeps its buffer pool differently from 4.22 (no freeBuffers map), so ConvLab cannot trim it';
  }
  return {
    manager,
    list() {
      const out: FreeBuffer[] = [];
      for (const [key, buffers] of m.freeBuffers) for (const buffer of buffers) out.push({ key, buffer });
      return out;
    },
    bytes() {
      let total = 0;
      for (const buffers of m.freeBuffers.values()) for (const b of buffers) total += b.size;
      return total;
    },
    destroy({ key, buffer }) {
      const slot = m.freeBuffers.get(key);
      const i = slot ? slot.indexOf(buffer) : -1;
      if (!slot || i < 0) throw new Error(`trimPool: buffer ${key} is not in the free pool`);
      // The slot's (possibly empty) array stays: releaseBuffer pushes into it without creating it, and returns
      // early without any bookkeeping while the map is empty.
      slot.splice(i, 1);
      m.numFreeBuffers--;
      m.numBytesAllocated -= buffer.size;
      buffer.destroy();
    },
  };
}

/**
 * Submits what the backend has recorded but not submitted. A pooled buffer can still be the target of a copy
 * in that encoder (uploadToGPU records a staging copy into a tensor's buffer; if the tensor is disposed before
 * any program reads it, its buffer is back in the pool before the copy is submitted). Destroying it then would
 * make the whole command buffer invalid at submit, silently dropping every dispatch in it. Buffers used only by
 * submitted work may be destroyed: WebGPU frees them once that work has finished.
 */
export function flushRecorded(backend: BackendLike): void {
  if (backend.commandEncoder == null) return;
  backend.endComputePassEncoder?.();
  backend.submitQueue?.();
}
