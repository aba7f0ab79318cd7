// Seeded random numbers so a failing conformance case can be replayed from its seed.
export { seededRandom as mulberry32 } from '../util/random';

/** Uniform values in [offset − 1, offset + 1). */
export function randomArray(rand: () => number, size: number, offset = 0): Float32Array {
  const a = new Float32Array(size);
  for (let i = 0; i < size; i++) a[i] = rand() * 2 - 1 + offset;
  return a;
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/**
 * The offset a case adds to the data feeding a long sum that lands in fewer than 4 values (a full reduction,
 * the gradient of a scalar or single-channel operand, a bias gradient with one output channel).
 *
 * Why: on zero-mean data such a sum can cancel to a tiny fraction of its terms, and then two float32
 * summation orders (the CPU's sequential one and a kernel's tree) legitimately differ by more than 1e-4 of
 * the result: the reference itself is no more accurate than that. Measured before this rule: 8 of 201 seeds
 * had such an output over 1e-4 (worst 1.7e-2, a one-channel bias gradient). With 4 or more output values
 * the metric divides by the largest, and all of them cancelling at once is negligibly rare. The offset
 * keeps every code path (shapes are unchanged) and only moves the values away from zero mean.
 */
export function conditioningOffset(outputValues: number): number {
  return outputValues < 4 ? 2 : 0;
}
