// The conformance suite's case generators (src/harness): the e2e spec asserts shape counts per kernel and tag,
// and those counts must hold for every seed a CI run can draw, not only for the ones tried so far.
import { describe, expect, it } from 'vitest';
import { convCases } from '../../src/harness/cases';
import { groupedCases, groupedTags } from '../../src/harness/conformance-grouped';
import { conditioningOffset, mulberry32, randomArray } from '../../src/harness/rng';

const MIN_SHAPES = 30; // e2e/kernels-conformance.spec.ts
const SEEDS = Array.from({ length: 500 }, (_, i) => i * 7919 + 1);

describe('grouped conv cases', () => {
  it('give at least 30 grouped shapes (groups ≥ 2) and every tag the spec needs, for any seed', () => {
    for (const seed of SEEDS) {
      const tagged = groupedCases(24, seed).map(groupedTags);
      const grouped = tagged.filter((t) => !t.includes('groups1'));
      expect(grouped.length, `seed ${seed}`).toBeGreaterThanOrEqual(MIN_SHAPES);
      for (const tag of ['1x1', '3x3', 'cg1', 'cg2', 'cg3', 'cg4', 'cg8', 'v4', 'scalar']) expect(grouped.some((t) => t.includes(tag)), `${tag}, seed ${seed}`).toBe(true);
      expect(tagged.some((t) => t.includes('groups1')), `groups = 1, seed ${seed}`).toBe(true);
    }
  });
});

describe('conv cases', () => {
  it('give at least 30 shapes of 3×3 and of 1×1, and 30 with a dx our kernel takes (≥ 4 channels), for any seed', () => {
    for (const seed of SEEDS) {
      const cases = convCases(MIN_SHAPES, seed);
      for (const k of [1, 3]) expect(cases.filter((c) => c.f[0] === k && c.f[1] === k).length).toBeGreaterThanOrEqual(MIN_SHAPES);
      expect(cases.filter((c) => c.x[3] >= 4).length, `seed ${seed}`).toBeGreaterThanOrEqual(MIN_SHAPES);
    }
  });
});

describe('conditioning of long sums into few values', () => {
  it('moves data off zero mean only when the sum lands in fewer than 4 values', () => {
    expect([1, 2, 3].map(conditioningOffset)).toEqual([2, 2, 2]);
    expect([4, 5, 64].map(conditioningOffset)).toEqual([0, 0, 0]);
    const a = randomArray(mulberry32(5), 10_000, conditioningOffset(1));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...a)).toBeLessThan(3);
  });
});
