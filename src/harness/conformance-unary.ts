// Conformance cases for our Relu and Step (kernels/unary.ts): tf.relu forward and its gradient (tf.grads runs
// Step, then Multiply), and tf.step with a random alpha, against the CPU backend. Sizes with and without a
// multiple of 4 elements (vec4 and scalar programs); inputs with exact zeros, where both ops must pick the
// CPU's side (relu(0) = 0, step(0) = alpha).
import * as tf from '@tensorflow/tfjs';
import { check, type CaseResult } from './conformance';
import { mulberry32, randomArray } from './rng';

export interface UnaryCase { shape: number[]; zeros: boolean }

const FIXED: UnaryCase[] = [
  { shape: [64, 28, 28, 16], zeros: true }, // the Fashion-MNIST CNN's first conv output
  { shape: [64, 14, 14, 32], zeros: false },
  { shape: [1], zeros: false },
  { shape: [3], zeros: true },
  { shape: [2, 5, 7, 3], zeros: true },
  { shape: [4, 4], zeros: false },
];

export function unaryCases(count: number, seed: number): UnaryCase[] {
  const rand = mulberry32(seed);
  const out = FIXED.slice();
  while (out.length < count) {
    const rank = 1 + Math.floor(rand() * 4);
    out.push({ shape: Array.from({ length: rank }, () => 1 + Math.floor(rand() * 9)), zeros: rand() < 0.4 });
  }
  return out;
}

export async function unaryCase(c: UnaryCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const size = c.shape.reduce((a, b) => a * b, 1);
  // With zeros: a coarse grid, so about one value in seven is exactly 0.
  const xs = randomArray(rand, size).map((v) => (c.zeros ? Math.round(v * 3) / 3 : v));
  const dys = randomArray(rand, size);
  const alpha = rand() * 2 - 1;
  return check(`relu/step x=${c.shape}${c.zeros ? ' zeros' : ''} alpha=${alpha.toFixed(3)}`, [size % 4 === 0 ? 'v4' : 'scalar', ...(c.zeros ? ['zeros'] : [])], () => {
    const x = tf.tensor(xs, c.shape);
    const [dx] = tf.grads((t: tf.Tensor) => tf.relu(t))([x], tf.tensor(dys, c.shape));
    return { y: tf.relu(x), dx, step: tf.step(x, alpha) };
  });
}
