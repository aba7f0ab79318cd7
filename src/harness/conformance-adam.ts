// Conformance cases for the fused Adam update (gpu/ops/adam-optimizer.ts) against the CPU backend, where the same
// calls run tfjs-core's own AdamOptimizer: one to four variables of random shapes (vec4 and scalar sizes), one to
// three steps with fresh gradients each, random learning rate, β₁, β₂ and ε; compared after the last step: every
// variable's value and both of its moments.
import * as tf from '@tensorflow/tfjs';
import { check, type CaseResult } from './conformance';
import { mulberry32, pick, randomArray } from './rng';

export interface AdamCase { shapes: number[][]; steps: number; lr: number; beta1: number; beta2: number; epsilon: number }

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** A lesson model's variables: conv kernels, biases, BN's γ and β, a dense layer, a scalar. */
const FIXED: number[][][] = [
  [[3, 3, 1, 16], [16]],
  [[3, 3, 16, 32], [32], [1568, 10], [10]],
  [[1, 1, 64, 128], [128], [128]],
  [[3, 3, 3, 5]],
  [[1], [2], [3], [5]],
  [[7, 7]],
];

function randomShape(rand: () => number): number[] {
  const rank = 1 + Math.floor(rand() * 4);
  return Array.from({ length: rank }, () => 1 + Math.floor(rand() * 9));
}

/** The FIXED variable sets with tfjs's defaults, then random ones up to `count` cases. */
export function adamCases(count: number, seed: number): AdamCase[] {
  const rand = mulberry32(seed);
  const out: AdamCase[] = FIXED.map((shapes, i) => ({ shapes, steps: 1 + (i % 3), lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }));
  while (out.length < count) {
    out.push({
      shapes: Array.from({ length: 1 + Math.floor(rand() * 4) }, () => randomShape(rand)),
      steps: 1 + Math.floor(rand() * 3),
      lr: pick(rand, [1e-3, 2e-3, 1e-2, 0.1]),
      beta1: pick(rand, [0.9, 0.8, 0.5]),
      beta2: pick(rand, [0.999, 0.99, 0.9]),
      epsilon: pick(rand, [1e-7, 1e-8, 1e-3]),
    });
  }
  return out;
}

export async function adamCase(c: AdamCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const initial = c.shapes.map((s) => randomArray(rand, size(s)));
  const grads = Array.from({ length: c.steps }, () => c.shapes.map((s) => randomArray(rand, size(s))));
  const vec4 = c.shapes.some((s) => size(s) % 4 === 0);
  const scalar = c.shapes.some((s) => size(s) % 4 !== 0);
  const tags = ['adam', ...(vec4 ? ['v4'] : []), ...(scalar ? ['scalar'] : []), ...(c.steps > 1 ? ['steps'] : [])];
  const name = `adam ${c.shapes.map((s) => `[${s}]`).join(' ')} × ${c.steps} step(s) lr=${c.lr} β=${c.beta1},${c.beta2} ε=${c.epsilon}`;
  return check(name, tags, () => {
    const vars = c.shapes.map((s, k) => tf.variable(tf.tensor(initial[k], s)));
    const optimizer = tf.train.adam(c.lr, c.beta1, c.beta2, c.epsilon);
    for (const step of grads) optimizer.applyGradients(vars.map((v, k) => ({ name: v.name, tensor: tf.tensor(step[k], c.shapes[k]) })));
    const state = optimizer as unknown as Record<'accumulatedFirstMoment' | 'accumulatedSecondMoment', Array<{ variable: tf.Variable }>>;
    const out: Record<string, tf.Tensor> = {};
    vars.forEach((v, k) => {
      out[`x${k}`] = v.clone();
      out[`m${k}`] = state.accumulatedFirstMoment[k].variable.clone();
      out[`v${k}`] = state.accumulatedSecondMoment[k].variable.clone();
    });
    optimizer.dispose();
    vars.forEach((v) => v.dispose());
    return out;
  });
}
