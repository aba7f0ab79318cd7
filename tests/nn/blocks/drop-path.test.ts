import { describe, expect, it } from 'vitest';
import { DropPathSampler } from '../../../src/nn/blocks/drop-path';
import { fractalJoins } from '../../../src/nn/blocks/fractal';

describe('drop-path sampler', () => {
  it('local mode drops inputs with p ≈ 0.15 and never a whole join; global picks each column', () => {
    const sampler = new DropPathSampler(3);
    const joins = fractalJoins(4);
    let inputs = 0;
    let dropped = 0;
    const columns = new Set<number>();
    let global = 0;
    for (let i = 0; i < 4000; i++) {
      const s = sampler.sample(4, [joins, joins]);
      if (s.mode === 'global') {
        global++;
        columns.add(s.column!);
        for (const block of s.keep) block.forEach((keep, j) => expect(keep).toEqual(joins[j].map((c) => c === s.column)));
        continue;
      }
      for (const block of s.keep) {
        for (const keep of block) {
          expect(keep.some(Boolean)).toBe(true);
          inputs += keep.length;
          dropped += keep.filter((k) => !k).length;
        }
      }
    }
    expect(global / 4000).toBeGreaterThan(0.45);
    expect(global / 4000).toBeLessThan(0.55);
    expect([...columns].sort()).toEqual([0, 1, 2, 3]);
    // Slightly under 0.15: the all-dropped case is resampled to keep one.
    expect(dropped / inputs).toBeGreaterThan(0.12);
    expect(dropped / inputs).toBeLessThan(0.16);
  });
});
