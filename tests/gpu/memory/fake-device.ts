// A stand-in GPUDevice for tfjs's real BufferManager (buffer_manager.ts from tfjs-backend-webgpu 4.22): buffers
// are plain records that remember whether they were destroyed, so tests see what trimming did to each one.
import { BufferManager } from '@tensorflow/tfjs-backend-webgpu/dist/buffer_manager.js';
import type { BufferManagerLike } from '../../../src/gpu/memory/buffer-pool';

export interface FakeBuffer { size: number; usage: number; destroyed: boolean; destroy(): void }

export const STORAGE = 0x80 | 0x4 | 0x8; // STORAGE | COPY_SRC | COPY_DST, what tfjs gives tensors
export const UNIFORM = 0x40 | 0x8;

export function fakeManager(): { manager: BufferManagerLike; created: FakeBuffer[] } {
  const created: FakeBuffer[] = [];
  const device = {
    createBuffer({ size, usage }: { size: number; usage: number }): FakeBuffer {
      const b: FakeBuffer = {
        size, usage, destroyed: false,
        destroy() { b.destroyed = true; },
      };
      created.push(b);
      return b;
    },
  };
  const manager = new BufferManager(device as unknown as GPUDevice) as unknown as BufferManagerLike;
  return { manager, created };
}

/** Bytes in buffers created and not destroyed: what numBytesAllocated must equal. */
export function liveAllocation(created: FakeBuffer[]): number {
  return created.filter((b) => !b.destroyed).reduce((a, b) => a + b.size, 0);
}
