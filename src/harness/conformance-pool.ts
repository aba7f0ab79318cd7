// Conformance cases for the 2×2 stride-2 max-pool kernels (kernels/max-pool.ts): tf.maxPool forward and its
// gradient (MaxPoolGrad, via tf.grads) on webgpu against the CPU backend. Sizes odd and even ('valid' drops
// the last row/column of an odd size, 'same' pools it alone), channels vec4 and scalar, and inputs with ties
// (values on a coarse grid, and ReLU-like zeros): the gradient goes to the first maximum in row-major order,
// as the CPU backend's, so ties must agree too.
import * as tf from '@tensorflow/tfjs';
import { check, type CaseResult } from './conformance';
import type { Shape4 } from './cases';
import { mulberry32, pick, randomArray } from './rng';

export interface PoolCase { x: Shape4; pad: 'same' | 'valid'; ties: boolean }

const FIXED: PoolCase[] = [
  { x: [64, 28, 28, 16], pad: 'valid', ties: true }, // the Fashion-MNIST CNN's first pool, after a ReLU
  { x: [64, 14, 14, 32], pad: 'valid', ties: false }, // and its second
  { x: [1, 2, 2, 1], pad: 'valid', ties: false },
  { x: [1, 3, 3, 4], pad: 'valid', ties: false }, // odd: last row and column in no window
  { x: [2, 5, 7, 3], pad: 'same', ties: false }, // odd with 'same': a last window of one row / column
  { x: [1, 1, 1, 8], pad: 'same', ties: false },
  { x: [3, 6, 4, 5], pad: 'valid', ties: true },
  { x: [2, 9, 9, 12], pad: 'same', ties: true },
];

export function poolCases(count: number, seed: number): PoolCase[] {
  const rand = mulberry32(seed);
  const out = FIXED.slice();
  while (out.length < count) {
    const c = rand() < 0.5 ? 4 * (1 + Math.floor(rand() * 8)) : pick(rand, [1, 2, 3, 5, 6, 7, 9, 13]);
    const pad = pick(rand, ['same', 'valid'] as const);
    // 'valid' needs 2 rows and columns for a non-empty output (empty ones are not ours, and stock leaves dx unwritten).
    const lo = pad === 'valid' ? 2 : 1;
    out.push({ x: [1 + Math.floor(rand() * 4), lo + Math.floor(rand() * 12), lo + Math.floor(rand() * 12), c], pad, ties: rand() < 0.4 });
  }
  return out;
}

export async function poolCase(c: PoolCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const size = c.x.reduce((a, b) => a * b, 1);
  // Ties: a ReLU'd coarse grid, so whole windows of zeros and repeated maxima are common.
  const xs = randomArray(rand, size).map((v) => (c.ties ? Math.max(0, Math.round(v * 3) / 3) : v));
  const yShape = tf.backend_util.computePool2DInfo(c.x, 2, 2, 1, c.pad).outShape;
  const dys = randomArray(rand, yShape.reduce((a, b) => a * b, 1));
  const vec = c.x[3] % 4 === 0 ? 'v4' : 'scalar';
  return check(`maxPool 2×2/2 x=${c.x} ${c.pad}${c.ties ? ' ties' : ''}`, [vec, c.pad, ...(c.ties ? ['ties'] : [])], () => {
    const x = tf.tensor4d(xs, c.x);
    const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, c.pad);
    const [dx] = tf.grads(f)([x], tf.tensor(dys, yShape));
    return { y: f(x), dx };
  });
}
