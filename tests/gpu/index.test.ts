// The kernel layer's switch as cells and the worker use it, on the CPU backend in Node: without the webgpu
// backend 'stock' is a no-op and 'convlab' explains itself; with webgpu kernels registered, use() swaps the
// registrations and points nn's dense blocks at our path (which declines off webgpu) and back.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kernels from '../../src/gpu';
import { denseBlockImpl } from '../../src/nn/ops/dense-block';
import { countCall, countFallback } from '../../src/gpu/stats';

// One stand-in for tfjs's stock kernelFuncs: the registry saves the stock kernels the first time it swaps.
const stockFunc = () => { throw new Error('stock'); };

/** Whether the registered webgpu Conv2D is the stock one (behind stock mode's call counter). */
function runsStock(): boolean {
  try {
    tf.getKernel('Conv2D', 'webgpu')!.kernelFunc({ inputs: {}, backend: {} as tf.KernelBackend, attrs: {} });
  } catch (err) {
    return (err as Error).message === 'stock';
  }
  return false;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('kernels.use / mode', () => {
  it('without the webgpu backend: stock is what runs, convlab is an error that says why', () => {
    expect(kernels.mode()).toBe('stock');
    expect(() => kernels.use('stock')).not.toThrow();
    expect(() => kernels.use('convlab')).toThrow(/WebGPU backend.*runs on cpu/);
    expect(() => kernels.install()).toThrow(/WebGPU/);
    expect(() => kernels.use('fast' as 'stock')).toThrow(/expected 'convlab' or 'stock'/);
    expect(denseBlockImpl()).toBeNull();
  });

  it('with the webgpu kernels loaded but no webgpu backend started (WebGL fallback), convlab still refuses', () => {
    for (const name of kernels.kernelNames) tf.registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc: stockFunc });
    try {
      expect(() => kernels.use('convlab')).toThrow(/WebGPU backend/);
      expect(tf.getKernel('Conv2D', 'webgpu')!.kernelFunc).toBe(stockFunc);
      expect(() => kernels.use('stock')).not.toThrow();
      expect(runsStock()).toBe(true);
    } finally {
      for (const name of kernels.kernelNames) tf.unregisterKernel(name, 'webgpu');
    }
  });

  it('with a webgpu backend: swaps registrations and the nn dense-block hook, and restores both', () => {
    for (const name of kernels.kernelNames) tf.registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc: stockFunc });
    // A stand-in backend instance under the name 'webgpu' (never made active: tensors stay on the CPU).
    tf.registerBackend('webgpu', () => ({ dispose() {} }) as unknown as tf.KernelBackend);
    expect(tf.findBackend('webgpu')).not.toBeNull();
    try {
      kernels.use('convlab');
      expect(tf.getKernel('Conv2D', 'webgpu')!.kernelFunc).not.toBe(stockFunc);
      const hook = denseBlockImpl();
      expect(hook).not.toBeNull();
      // Tensors are on the CPU backend here: the hook declines and DenseBlock concatenates as usual.
      expect(hook!(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, [])).toBeNull();
      // Registered, but not what runs: the active backend is the CPU.
      expect(kernels.mode()).toBe('stock');
      kernels.use('stock');
      expect(runsStock()).toBe(true);
      expect(denseBlockImpl()).toBeNull();
    } finally {
      for (const name of kernels.kernelNames) tf.unregisterKernel(name, 'webgpu');
    }
  });
});

describe('kernels.stats', () => {
  it('counts per mode: stock mode shows the stock calls, captioned with its mode, not the convlab counts', () => {
    for (const name of kernels.kernelNames) tf.registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc: stockFunc });
    tf.registerBackend('webgpu', () => ({ dispose() {} }) as unknown as tf.KernelBackend);
    try {
      kernels.resetStats();
      countCall('Conv2D');
      countCall('Conv2D');
      countFallback('Concat', 'more than 4 inputs');
      kernels.use('stock');
      expect(runsStock()).toBe(true); // one stock Conv2D call, counted
      expect(runsStock()).toBe(true);

      const stock = kernels.stats('stock');
      expect(stock.mode).toBe('stock');
      expect(stock.kernels).toEqual({ Conv2D: { calls: 2, fallbacks: 0 } });
      const convlab = kernels.stats('convlab');
      expect(convlab.kernels.Conv2D).toEqual({ calls: 2, fallbacks: 0 });
      expect(convlab.kernels.Concat).toMatchObject({ calls: 0, fallbacks: 1, lastFallback: 'more than 4 inputs' });

      // The two tables differ in heading and columns, not only in the mode's name.
      const stockTable = stock.toMimeBundle()['application/vnd.convlab.table+json'] as { caption: string; columns: string[]; rows: unknown[][] };
      const convlabTable = convlab.toMimeBundle()['application/vnd.convlab.table+json'] as { caption: string; columns: string[]; rows: unknown[][] };
      expect(stockTable.caption).toMatch(/^Mode stock: TensorFlow.js's own kernels on cpu\. ConvLab counts WebGPU kernels only/);
      expect(stockTable.columns).toEqual(['kernel', 'stock calls']);
      expect(stockTable.rows).toEqual([['Conv2D', 2]]);
      expect(convlabTable.caption).toMatch(/^Mode convlab: ConvLab's WGSL kernels/);
      expect(convlabTable.columns).toEqual(['kernel', 'ConvLab calls', 'handed to stock', 'last reason']);
      expect(String(convlab.toMimeBundle()['text/plain'])).toMatch(/Concat\s+0\s+1\s+more than 4 inputs/);

      kernels.resetStats();
      expect(kernels.stats('convlab').kernels).toEqual({});
      expect(String(kernels.stats('stock').toMimeBundle()['text/plain'])).toContain('Nothing counted yet in this mode.');
      expect(() => kernels.stats('fast' as 'stock')).toThrow(/expected 'convlab' or 'stock'/);
    } finally {
      for (const name of kernels.kernelNames) tf.unregisterKernel(name, 'webgpu');
      kernels.resetStats();
    }
  });
});
