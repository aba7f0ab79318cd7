// The memory API as cells and train.fit use it, on a stand-in WebGPU backend registered with tfjs (tfjs's real
// BufferManager over a fake device, plus the encoder-flush methods): a measured step ends with the pool within
// 1.2 × its peak, recorded commands are submitted before any buffer is destroyed, auto-trim can be turned off
// and trimPool() applied by hand, and kernels.stats() / kernels.memory() report peak, pool and their ratio.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as kernels from '../../../src/gpu';
import { memoryLine } from '../../../src/gpu/memory';
import type { BufferManagerLike } from '../../../src/gpu/memory/buffer-pool';
import { fakeManager, liveAllocation, STORAGE, type FakeBuffer } from './fake-device';

const NAME = 'fake-webgpu';

class FakeWebGPUBackend extends tf.KernelBackend {
  readonly bufferManager: BufferManagerLike;
  readonly created: FakeBuffer[];
  commandEncoder: object | null = null;
  /** Buffers the recorded commands still use: released into the pool at submit, as tfjs does. */
  pendingRelease: FakeBuffer[] = [];
  log: string[] = [];
  constructor() {
    super();
    const f = fakeManager();
    this.bufferManager = f.manager;
    this.created = f.created;
  }
  endComputePassEncoder(): void { this.log.push('end pass'); }
  submitQueue(): void {
    this.log.push('submit');
    this.commandEncoder = null;
    for (const b of this.pendingRelease) this.bufferManager.releaseBuffer(b);
    this.pendingRelease = [];
  }
  override dispose(): void {}
}

let backend: FakeWebGPUBackend;

/** One dense-block-like step on the fake backend's manager; its last temporaries still sit in the encoder. */
function step(layers: number): void {
  const m = backend.bufferManager;
  const outs: FakeBuffer[] = [];
  for (let i = 0; i < layers; i++) {
    const t = m.acquireBuffer(2048 * (i + 2), STORAGE) as unknown as FakeBuffer;
    outs.push(m.acquireBuffer(2048 * (i + 2), STORAGE) as unknown as FakeBuffer);
    m.releaseBuffer(t);
  }
  for (const b of outs.slice(0, -2)) m.releaseBuffer(b);
  backend.commandEncoder = {};
  backend.pendingRelease = outs.slice(-2);
}

beforeAll(async () => {
  tf.registerBackend(NAME, () => new FakeWebGPUBackend());
  await tf.setBackend(NAME);
  backend = tf.backend() as FakeWebGPUBackend;
  kernels.use('stock');
});

afterAll(async () => {
  kernels.setAutoTrim(true);
  await tf.setBackend('cpu');
  tf.removeBackend(NAME);
});

beforeEach(() => { backend.log = []; });

/** Logs each buffer's destroy() after the fact (the fake device creates plain records). */
function logDestroys(): void {
  for (const b of backend.created) {
    if ((b as FakeBuffer & { logged?: boolean }).logged) continue;
    const orig = b.destroy.bind(b);
    b.destroy = () => { backend.log.push('destroy'); orig(); };
    (b as FakeBuffer & { logged?: boolean }).logged = true;
  }
}

describe('kernels memory on a WebGPU-like backend', () => {
  it('a measured step ends with the pool within 1.2 × the step peak, after submitting what was recorded', () => {
    backend.bufferManager.acquireBuffer(8192, STORAGE); // weights
    kernels.beginStep();
    step(10);
    logDestroys();
    kernels.endStep();
    const m = kernels.memory();
    expect(m.webgpu).toBe(true);
    expect(m.lastStep).not.toBeNull();
    const s = m.lastStep!;
    expect(s.poolBytes).toBe(backend.bufferManager.numBytesAllocated);
    expect(s.poolBytes).toBeLessThanOrEqual(1.2 * s.peakBytes);
    expect(s.poolToPeak).toBeCloseTo(s.poolBytes / s.peakBytes, 12);
    expect(s.peakPoolBytes).toBeGreaterThan(1.2 * s.peakBytes);
    expect(s.trimmedBytes).toBeGreaterThan(0);
    expect(backend.bufferManager.numBytesAllocated).toBe(liveAllocation(backend.created));
    // Flush first: the buffers the encoder still used went back to the pool at submit, and only then was anything destroyed.
    expect(backend.log.slice(0, 2)).toEqual(['end pass', 'submit']);
    expect(backend.log.slice(2).every((e) => e === 'destroy')).toBe(true);
    expect(backend.commandEncoder).toBeNull();
  });

  it('with auto-trim off the pool keeps what tfjs pooled; trimPool() then trims to the last step\'s peak', () => {
    kernels.setAutoTrim(false);
    try {
      kernels.beginStep();
      step(14);
      kernels.endStep();
      const off = kernels.memory().lastStep!;
      expect(off.trimmedBytes).toBe(0);
      expect(off.poolToPeak).toBeGreaterThan(1.2);
      expect(memoryLine()).toMatch(/auto-trim off/);
      const r = kernels.trimPool();
      expect(r.destroyedBytes).toBeGreaterThan(0);
      expect(r.poolBytes).toBeLessThanOrEqual(1.2 * off.peakBytes);
      expect(kernels.trimPool({ ratio: 1 }).poolBytes).toBeLessThanOrEqual(off.peakBytes);
      expect(() => kernels.trimPool({ ratio: 0.9 })).toThrow(/ratio/);
    } finally {
      kernels.setAutoTrim(true);
    }
  });

  it('kernels.stats() and kernels.memory() state the step peak, the pool after it and their ratio', () => {
    kernels.beginStep();
    step(6);
    kernels.endStep();
    const s = kernels.memory().lastStep!;
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
    const text = String(kernels.stats().toMimeBundle()['text/plain']);
    expect(text).toContain(`tensors peaked at ${mib(s.peakBytes)}`);
    expect(text).toContain(`the buffer pool holds ${mib(s.poolBytes)} after it (${s.poolToPeak.toFixed(2)}× the peak`);
    expect(String(kernels.memory().toMimeBundle()['text/plain'])).toContain(`${s.poolToPeak.toFixed(2)}× the peak`);
    expect(() => kernels.setAutoTrim(true, { ratio: 0.5 })).toThrow(/ratio/);
  });
});

describe('kernels memory off WebGPU', () => {
  it('steps are no-ops, trimPool says why, and stats() carries no memory line', async () => {
    await tf.setBackend('cpu');
    try {
      expect(() => { kernels.beginStep(); kernels.endStep(); }).not.toThrow();
      expect(() => kernels.trimPool()).toThrow(/WebGPU backend's.*runs on cpu/);
      expect(kernels.memory().webgpu).toBe(false);
      expect(memoryLine()).toBeNull();
      expect(String(kernels.stats().toMimeBundle()['text/plain'])).not.toContain('Memory');
    } finally {
      await tf.setBackend(NAME);
    }
  });
});
