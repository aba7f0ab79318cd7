// The kernel layer's switch as cells and the worker use it, on the CPU backend in Node: without the webgpu
// backend 'stock' is a no-op and 'convlab' explains itself; with webgpu kernels registered, use() swaps the
// registrations and points nn's dense blocks at our path (which declines off webgpu) and back.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kernels from '../../src/gpu';
import { denseBlockImpl } from '../../src/nn/ops/dense-block';

// One stand-in for tfjs's stock kernelFuncs: the registry saves the stock kernels the first time it swaps.
const stockFunc = () => { throw new Error('stock'); };

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
      expect(tf.getKernel('Conv2D', 'webgpu')!.kernelFunc).toBe(stockFunc);
      expect(denseBlockImpl()).toBeNull();
    } finally {
      for (const name of kernels.kernelNames) tf.unregisterKernel(name, 'webgpu');
    }
  });
});
