// A buffer over the GPU's limits fails at once with the sizes named; other GPU errors are printed (issue 15, case 6).
import { describe, expect, it } from 'vitest';
import { guardGpuDevice, type GpuDeviceLike } from '../../src/runtime/gpu-guard';

const STORAGE = 0x80, COPY_DST = 0x08;

function fakeDevice() {
  const created: number[] = [];
  const listeners: Array<(e: Event) => void> = [];
  const device: GpuDeviceLike & { fire(message: string): void } = {
    limits: { maxBufferSize: 1024 ** 3, maxStorageBufferBindingSize: 128 * 1024 ** 2 },
    createBuffer: (d: GPUBufferDescriptor) => {
      created.push(d.size);
      return {} as GPUBuffer;
    },
    addEventListener: (_type, listener) => listeners.push(listener),
    fire: (message) => listeners.forEach((l) => l(Object.assign(new Event('uncapturederror'), { error: { message } }))),
  };
  return { device, created };
}

describe('guardGpuDevice', () => {
  it('refuses a buffer over the limit with a RangeError naming both sizes, and passes the others through', () => {
    const { device, created } = fakeDevice();
    guardGpuDevice(device, () => {});
    expect(() => device.createBuffer({ size: 6.4e9, usage: STORAGE })).toThrow(RangeError);
    expect(() => device.createBuffer({ size: 6.4e9, usage: STORAGE })).toThrow(/Cannot allocate 5\.96 GB on the GPU: the largest buffer this GPU allows is 128\.0 MB/);
    // Storage buffers have the binding limit; a plain copy buffer only the buffer limit.
    expect(() => device.createBuffer({ size: 200 * 1024 ** 2, usage: STORAGE })).toThrow(RangeError);
    device.createBuffer({ size: 200 * 1024 ** 2, usage: COPY_DST });
    device.createBuffer({ size: 1024, usage: STORAGE });
    expect(created).toEqual([200 * 1024 ** 2, 1024]);
  });

  it('prints uncaptured GPU errors, one per two seconds, counting the ones it left out', () => {
    const { device } = fakeDevice();
    const printed: string[] = [];
    let t = 0;
    guardGpuDevice(device, (text) => printed.push(text), () => t);
    device.fire('Buffer is invalid.');
    device.fire('Buffer is invalid.');
    device.fire('Buffer is invalid.');
    t = 2500;
    device.fire('Out of memory');
    expect(printed).toEqual(['GPU error: Buffer is invalid.\n', 'GPU error: Out of memory (2 more GPU errors not shown)\n']);
  });
});
