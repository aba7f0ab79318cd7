import { describe, expect, it } from 'vitest';
import { refuseGpuSyncReads, SyncReadError, type SyncReadingBackend } from '../../src/runtime/sync-read-guard';

function fakeBackend(entries: Array<[object, { values?: unknown; dtype?: string }]>) {
  const map = new Map(entries);
  const reads: object[] = [];
  const backend: SyncReadingBackend = {
    tensorMap: { get: (id) => map.get(id) },
    readSync(id) {
      reads.push(id);
      return map.get(id)?.values ?? 'read through the canvas';
    },
  };
  return { backend, reads };
}

describe('refuseGpuSyncReads', () => {
  it('refuses GPU-resident data before the backend touches the device, naming the async read', () => {
    const gpu = {};
    const { backend, reads } = fakeBackend([[gpu, { dtype: 'float32' }]]);
    refuseGpuSyncReads(backend);
    expect(() => backend.readSync(gpu)).toThrow(SyncReadError);
    expect(() => backend.readSync(gpu)).toThrow(/await t\.data\(\)/);
    expect(reads).toEqual([]);
  });

  it('still reads values already on the CPU, strings and unknown ids through the original', () => {
    const cpu = {}, str = {}, unknown = {};
    const values = new Float32Array([4]);
    const { backend, reads } = fakeBackend([[cpu, { dtype: 'float32', values }], [str, { dtype: 'string' }]]);
    refuseGpuSyncReads(backend);
    expect(backend.readSync(cpu)).toBe(values);
    backend.readSync(str);
    backend.readSync(unknown);
    expect(reads).toEqual([cpu, str, unknown]);
  });
});
