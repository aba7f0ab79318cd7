// kernels.use('auto') on the CPU backend in Node, with a stand-in webgpu backend registered (as tests/gpu/index.test.ts
// does): it registers the chooser's kernelFuncs (neither ours nor stock), keeps nn's dense-block hook connected,
// refuses without a webgpu backend, and 'convlab' / 'stock' still force one side.
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as kernels from '../../../src/gpu';
import { kernelMode } from '../../../src/gpu/registry';
import { denseBlockImpl } from '../../../src/nn/ops/dense-block';

const stockFunc = () => { throw new Error('stock'); };

/** Test files share one worker (isolate: false): leave no stand-in webgpu backend behind, and find none. */
function removeStandIn(): void {
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
}

beforeAll(async () => {
  removeStandIn();
  await tf.setBackend('cpu');
  await tf.ready();
});

afterAll(() => {
  kernels.use('stock');
  removeStandIn();
});

afterEach(() => {
  for (const name of kernels.kernelNames) if (tf.getKernel(name, 'webgpu')) tf.unregisterKernel(name, 'webgpu');
});

describe("kernels.use('auto')", () => {
  it('needs a webgpu backend, as convlab does', () => {
    for (const name of kernels.kernelNames) tf.registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc: stockFunc });
    expect(() => kernels.use('auto')).toThrow(/WebGPU backend.*runs on cpu/);
    expect(() => kernels.use('fastest' as 'auto')).toThrow(/expected 'convlab' or 'stock' \(or 'auto'/);
  });

  it('registers the chooser under every replaced name; convlab and stock still force one side', () => {
    for (const name of kernels.kernelNames) tf.registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc: stockFunc });
    tf.registerBackend('webgpu', () => ({ dispose() {} }) as unknown as tf.KernelBackend);
    expect(tf.findBackend('webgpu')).not.toBeNull(); // starts the stand-in (never made active)
    kernels.use('convlab');
    const ours = tf.getKernel('Conv2D', 'webgpu')!.kernelFunc;
    kernels.use('auto');
    expect(kernelMode()).toBe('auto');
    const auto = tf.getKernel('Conv2D', 'webgpu')!.kernelFunc;
    expect(auto).not.toBe(stockFunc);
    expect(auto.toString()).not.toBe(ours.toString());
    expect(denseBlockImpl()).not.toBeNull();
    // Registered, but tensors are on the CPU: nothing of ours applies, and mode() says so.
    expect(kernels.mode()).toBe('stock');
    kernels.use('stock');
    expect(kernelMode()).toBe('stock');
    expect(denseBlockImpl()).toBeNull();
    expect(() => tf.getKernel('Conv2D', 'webgpu')!.kernelFunc({ inputs: {}, backend: {} as tf.KernelBackend, attrs: {} })).toThrow('stock');
    kernels.use('convlab');
    expect(kernelMode()).toBe('convlab');
    kernels.use('stock');
  });

  it("stats('auto') is its own table, with the chooser's state", () => {
    const view = kernels.stats('auto');
    expect(view.mode).toBe('auto');
    expect(view.chooser).toMatchObject({ timed: 0, pending: 0 });
    const table = view.toMimeBundle()['application/vnd.convlab.table+json'] as { caption: string; columns: string[] };
    expect(table.columns).toContain('chosen per shape class');
    expect(table.caption).toMatch(/^Mode auto: .*Chooser: 0 shape classes timed this session/);
  });
});
