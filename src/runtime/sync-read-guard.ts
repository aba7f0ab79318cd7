// Synchronous reads (dataSync, arraySync, bufferSync, print, toString) of a tensor that lives on the GPU.
//
// WebGPU has no synchronous read-back. tfjs 4.22 fakes one by copying the buffer into a WebGPU canvas and
// drawing that into a 2-D canvas; on adapters without shared canvas images (SwiftShader, the software
// adapter many laptops and every CI machine get, on the main thread and in workers alike) that draw
// destroys the GPU device and returns zeros. A silent 0 followed by a dead kernel is the worst possible
// lesson, and a read that works on one learner's GPU but not another's is the next worst, so the kernel
// refuses such reads on every adapter, before anything touches the device, with a message naming the fix.

/** The part of tfjs's WebGPUBackend this guard relies on (readSync and its tensor map). */
export interface SyncReadingBackend {
  readSync(dataId: object): unknown;
  tensorMap: { get(dataId: object): { values?: unknown; dtype?: string } | undefined };
}

export class SyncReadError extends Error {
  constructor() {
    super(
      'dataSync(), arraySync() and bufferSync() cannot read a tensor that lives on the GPU: WebGPU has no synchronous ' +
        'read-back. Read it asynchronously instead: `await t.data()`, `await t.array()` or `await t.buffer()` ' +
        '(and `display(t)` instead of t.print()). The GPU device is fine; nothing was lost.',
    );
    this.name = 'SyncReadError';
  }
}

/** Makes the backend's readSync throw SyncReadError for GPU-resident data; CPU-resident values still read. */
export function refuseGpuSyncReads(backend: SyncReadingBackend): void {
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    const data = backend.tensorMap.get(dataId);
    // Values already on the CPU (uploaded constants, results read before) and strings never touch the GPU;
    // complex64 reads its real and imaginary parts through this same guard.
    if (!data || data.values != null || data.dtype === 'string' || data.dtype === 'complex64') return readSync(dataId);
    throw new SyncReadError();
  };
}
