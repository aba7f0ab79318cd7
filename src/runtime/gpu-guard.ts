// Turns the GPU's silent failures into errors a learner sees.
//
// WebGPU reports a buffer it cannot make (larger than the device allows, or out of memory) as an asynchronous
// validation error on the device, and tfjs does not listen: a 6.4 GB `tf.ones([40000, 40000]).add(1)` "succeeds" and
// holds garbage. So buffers over the device's limits are refused where tfjs asks for them, with an error that names
// the size and the limit and lands on the cell's line; and any other GPU error the device raises is printed.
import { formatBytes } from './rebind-cleanup';

export interface GpuDeviceLike {
  readonly limits: { readonly maxBufferSize: number; readonly maxStorageBufferBindingSize: number };
  createBuffer(descriptor: GPUBufferDescriptor): GPUBuffer;
  addEventListener(type: 'uncapturederror', listener: (event: Event) => void): void;
}

/** GPUBufferUsage.STORAGE: tfjs binds its tensors' buffers as storage, which has its own, often lower, limit. */
const STORAGE_USAGE = 0x80;
/** Printed GPU errors: at most one per this many milliseconds (an invalid buffer fails every dispatch that uses it). */
const REPORT_EVERY_MS = 2000;

export function guardGpuDevice(device: GpuDeviceLike | undefined, report: (text: string) => void, now: () => number = () => Date.now()): void {
  if (!device) return;
  const create = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
    const limit = largestBuffer(device, descriptor.usage);
    if (descriptor.size > limit) {
      throw new RangeError(
        `Cannot allocate ${formatBytes(descriptor.size)} on the GPU: the largest buffer this GPU allows is ${formatBytes(limit)}. ` +
          'Use a smaller tensor, or split the work into smaller batches.',
      );
    }
    return create(descriptor);
  };

  let lastReport = -Infinity;
  let suppressed = 0;
  device.addEventListener('uncapturederror', (event: Event) => {
    const error = (event as Event & { error?: { message?: string; constructor?: { name?: string } } }).error;
    const t = now();
    if (t - lastReport < REPORT_EVERY_MS) {
      suppressed++;
      return;
    }
    lastReport = t;
    const kind = error?.constructor?.name === 'GPUOutOfMemoryError' ? 'The GPU ran out of memory' : 'GPU error';
    const more = suppressed ? ` (${suppressed} more GPU error${suppressed === 1 ? '' : 's'} not shown)` : '';
    suppressed = 0;
    report(`${kind}: ${(error?.message ?? 'unknown').trim()}${more}\n`);
  });
}

function largestBuffer(device: GpuDeviceLike, usage: number): number {
  const { maxBufferSize, maxStorageBufferBindingSize } = device.limits;
  return usage & STORAGE_USAGE ? Math.min(maxBufferSize, maxStorageBufferBindingSize) : maxBufferSize;
}
