// Trimming tfjs's real BufferManager (driven through a fake device): the step watch reads the true high-water
// mark, trimming brings the pool within ratio × peak, destroys only pooled buffers, keeps tfjs's counters
// equal to what is really allocated, keeps what the step reused, and leaves the manager working afterwards.
import { describe, expect, it } from 'vitest';
import { seededRandom as mulberry32 } from '../../../src/util/random';
import { poolOf, type FreePool, type PooledBuffer } from '../../../src/gpu/memory/buffer-pool';
import { watchOf } from '../../../src/gpu/memory/step-watch';
import { planTrim, trimToPeak } from '../../../src/gpu/memory/trim';
import { fakeManager, liveAllocation, STORAGE, UNIFORM, type FakeBuffer } from './fake-device';

function pool(m: ReturnType<typeof fakeManager>['manager']): FreePool {
  const p = poolOf(m);
  if (typeof p === 'string') throw new Error(p);
  return p;
}

/**
 * A dense-block-like step: weights stay held; every layer makes temporaries of a new size (prefix-sized), some
 * of which live until the end of the step. Returns the true maximum of numBytesUsed seen after each acquire.
 */
function denseLikeStep(m: ReturnType<typeof fakeManager>['manager'], layers: number): number {
  let max = m.numBytesUsed;
  const acquire = (size: number, usage = STORAGE) => { const b = m.acquireBuffer(size, usage); max = Math.max(max, m.numBytesUsed); return b; };
  const keep: PooledBuffer[] = [];
  for (let i = 0; i < layers; i++) {
    const a = acquire(1024 * (4 + i));
    const b = acquire(1024 * (4 + i));
    const u = acquire(48, UNIFORM);
    m.releaseBuffer(u);
    m.releaseBuffer(a);
    keep.push(b);
  }
  for (const b of keep) m.releaseBuffer(b);
  return max;
}

describe('the step watch', () => {
  it('reports the high-water mark of bytes held and of the pool, and which slots the step asked for', () => {
    const { manager } = fakeManager();
    const watch = watchOf(manager);
    expect(watchOf(manager)).toBe(watch);
    manager.acquireBuffer(4096, STORAGE); // weights: held across the step
    watch.begin();
    const trueMax = denseLikeStep(manager, 6);
    const step = watch.end()!;
    expect(step.peakBytes).toBe(trueMax);
    expect(step.peakPoolBytes).toBe(manager.numBytesAllocated);
    expect(step.requests.get(`48_${UNIFORM}`)).toBe(6);
    expect(step.requests.get(`${1024 * 4}_${STORAGE}`)).toBe(2);
    expect(watch.end()).toBeNull();
  });

  it('passes acquireBuffer through unchanged: same buffers, same counters as an unwatched manager', () => {
    const a = fakeManager(); const b = fakeManager();
    watchOf(a.manager).begin();
    for (const { manager } of [a, b]) denseLikeStep(manager, 5);
    expect(a.manager.numBytesUsed).toBe(b.manager.numBytesUsed);
    expect(a.manager.numBytesAllocated).toBe(b.manager.numBytesAllocated);
    expect(a.created.map((x) => x.size)).toEqual(b.created.map((x) => x.size));
  });
});

describe('trimToPeak on tfjs BufferManager', () => {
  it('brings the pool within 1.2 × the step peak, destroying only pooled buffers and keeping tfjs counters true', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const rand = mulberry32(seed);
      const { manager, created } = fakeManager();
      const weights = Array.from({ length: 3 }, () => manager.acquireBuffer(256 * (1 + Math.floor(rand() * 64)), STORAGE));
      const watch = watchOf(manager);
      watch.begin();
      const layers = 3 + Math.floor(rand() * 10);
      denseLikeStep(manager, layers);
      const step = watch.end()!;
      const usedBefore = manager.numBytesUsed;
      const held = new Set<FakeBuffer>(weights as unknown as FakeBuffer[]);
      const r = trimToPeak(pool(manager), step.peakBytes, 1.2, step.requests);
      expect(manager.numBytesAllocated, `seed ${seed}`).toBeLessThanOrEqual(1.2 * step.peakBytes);
      expect(manager.numBytesAllocated).toBe(liveAllocation(created));
      expect(manager.numBytesUsed).toBe(usedBefore);
      expect(r.poolBytes).toBe(manager.numBytesAllocated);
      expect(r.destroyedBytes).toBe(created.filter((b) => b.destroyed).reduce((a, b) => a + b.size, 0));
      expect(created.filter((b) => held.has(b) && b.destroyed)).toEqual([]);
      expect((manager as unknown as { getNumFreeBuffers(): number }).getNumFreeBuffers()).toBe(pool(manager).list().length);
    }
  });

  it('does nothing when the pool is already within the ratio', () => {
    const { manager, created } = fakeManager();
    const b = manager.acquireBuffer(1000, STORAGE);
    manager.releaseBuffer(manager.acquireBuffer(100, STORAGE));
    const r = trimToPeak(pool(manager), 1000, 1.2, new Map());
    expect(r.destroyedBuffers).toBe(0);
    expect(created.some((x) => x.destroyed)).toBe(false);
    void b;
  });

  it('a slot emptied by trimming still works: its size is created afresh, released and pooled again', () => {
    const { manager, created } = fakeManager();
    manager.releaseBuffer(manager.acquireBuffer(512, STORAGE));
    trimToPeak(pool(manager), 0, 1, new Map());
    expect(created[0].destroyed).toBe(true);
    expect(manager.numBytesAllocated).toBe(0);
    const again = manager.acquireBuffer(512, STORAGE) as unknown as FakeBuffer;
    expect(again).not.toBe(created[0]);
    manager.releaseBuffer(again as unknown as PooledBuffer);
    expect(manager.numBytesUsed).toBe(0);
    expect(pool(manager).list().map((f) => f.buffer)).toEqual([again]);
    expect(manager.acquireBuffer(512, STORAGE)).toBe(again);
  });

  it('rejects a ratio below 1', () => {
    const { manager } = fakeManager();
    expect(() => trimToPeak(pool(manager), 10, 0.5, new Map())).toThrow(/ratio/);
  });
});

describe('planTrim', () => {
  const free = (key: string, size: number) => ({ key, buffer: { size, usage: 0, destroy() {} } });

  it('destroys what the step never asked for first, then the least used slots, larger first among equals', () => {
    const cold = free('900_1', 900); const warm = free('100_1', 100); const hot = free('400_1', 400); const cold2 = free('300_1', 300);
    const requests = new Map([['100_1', 1], ['400_1', 9]]);
    expect(planTrim([hot, warm, cold2, cold], 500, requests)).toEqual([cold, cold2]);
    expect(planTrim([hot, warm, cold2, cold], 400, requests)).toEqual([cold, cold2, warm]);
    expect(planTrim([hot, warm, cold2, cold], 399, requests)).toEqual([cold, cold2, warm, hot]);
    expect(planTrim([hot, warm, cold2, cold], 1700, requests)).toEqual([]);
  });
});

describe('poolOf', () => {
  it('says why when the manager does not look like tfjs 4.22 (no freeBuffers map)', () => {
    const m = { numBytesUsed: 0, numBytesAllocated: 0, acquireBuffer: () => ({ size: 0, usage: 0, destroy() {} }), releaseBuffer() {} };
    expect(poolOf(m)).toMatch(/cannot trim/);
  });
});
