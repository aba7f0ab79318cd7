// The worker installs ConvLab's kernels only once the backend is WebGPU, and a kernel layer that fails to
// load or install never stops the kernel: it leaves a note and tfjs's stock kernels.
import { describe, expect, it } from 'vitest';
import { installKernelLayer, type KernelLayer } from '../../src/runtime/backend';

function fakeLayer(fail = false) {
  const calls: string[] = [];
  const layer: KernelLayer = {
    install: () => { if (fail) throw new Error('no Conv2D kernel to replace'); calls.push('install'); },
    mode: () => (calls.length ? 'convlab' : 'stock'),
  };
  return { calls, layer };
}

describe('installKernelLayer', () => {
  it('installs our kernels on webgpu', async () => {
    const { calls, layer } = fakeLayer();
    expect(await installKernelLayer('webgpu', async () => layer)).toBeUndefined();
    expect(calls).toEqual(['install']);
    expect(layer.mode()).toBe('convlab');
  });

  it('installs nothing on the webgl or CPU fallback (the loader is not even called)', async () => {
    for (const backend of ['webgl', 'cpu'] as const) {
      let loaded = false;
      expect(await installKernelLayer(backend, async () => { loaded = true; return fakeLayer().layer; })).toBeUndefined();
      expect(loaded).toBe(false);
    }
  });

  it('turns a failed load or install into a note naming the stock kernels, without throwing', async () => {
    const note = await installKernelLayer('webgpu', async () => fakeLayer(true).layer);
    expect(note).toMatch(/could not be installed \(no Conv2D kernel to replace\).*stock WebGPU kernels/);
    expect(await installKernelLayer('webgpu', () => Promise.reject(new Error('chunk failed')))).toMatch(/chunk failed/);
    expect(await installKernelLayer('webgpu', undefined)).toBeUndefined();
  });
});
