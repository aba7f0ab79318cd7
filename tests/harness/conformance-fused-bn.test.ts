// The fused BatchNorm conformance cases (src/harness/conformance-fused-bn.ts): e2e/gpu-conformance.spec.ts asserts
// shape counts and tags over them, and those must hold for every seed a CI run can draw.
import { describe, expect, it } from 'vitest';
import { fusedBnCases, fusedBnTags } from '../../src/harness/conformance-fused-bn';

const MIN_SHAPES = 30;
const SEEDS = Array.from({ length: 500 }, (_, i) => i * 7919 + 1);

describe('fused BatchNorm cases', () => {
  it('give at least 30 fused shapes, every tag the spec needs, and the two declined layers, for any seed', () => {
    for (const seed of SEEDS) {
      const cases = fusedBnCases(MIN_SHAPES, seed);
      const tagged = cases.map(fusedBnTags);
      const fused = tagged.filter((t) => !t.includes('decline'));
      expect(fused.length, `seed ${seed}`).toBeGreaterThanOrEqual(MIN_SHAPES);
      for (const tag of ['op', 'layer', 'v4', 'scalar', 'relu', 'split']) expect(fused.some((t) => t.includes(tag)), `${tag}, seed ${seed}`).toBe(true);
      // The spec checks the declines in this order: a non-last axis in training, then inference.
      expect(tagged.filter((t) => t.includes('decline')).map((t) => t.at(-1))).toEqual(['axis', 'inference']);
    }
  });

  it('cover batch 1, spatial 1×1, odd channel counts, ranks 2 and 3, and a reduction over 10,000 rows', () => {
    const shapes = fusedBnCases(0, 1).filter((c) => c.kind !== 'decline').map((c) => c.shape);
    expect(shapes.some((s) => s.length === 4 && s[0] === 1)).toBe(true);
    expect(shapes.some((s) => s.length === 4 && s[1] === 1 && s[2] === 1)).toBe(true);
    expect(shapes.some((s) => s.at(-1)! % 2 === 1 && s.at(-1)! > 1)).toBe(true);
    expect(shapes.some((s) => s.length === 2) && shapes.some((s) => s.length === 3)).toBe(true);
    expect(shapes.some((s) => s.slice(0, -1).reduce((a, b) => a * b, 1) >= 10_000)).toBe(true);
  });

  it('keep at least 4 rows per channel (with fewer, dx is rounding noise on both backends)', () => {
    for (const seed of SEEDS.slice(0, 100)) {
      for (const c of fusedBnCases(MIN_SHAPES, seed).filter((k) => k.kind !== 'decline')) {
        expect(c.shape.slice(0, -1).reduce((a, b) => a * b, 1), `[${c.shape}] seed ${seed}`).toBeGreaterThanOrEqual(4);
      }
    }
  });
});
