// Conformance cases for our BatchMatMul and _FusedMatMul (kernels/matmul.ts): tf.matMul with every transpose
// combination, batched (equal batches, and one side a single matrix that broadcasts), sizes around the 4×4
// blocks (1–70), forward and both gradients (tf.grads: the gradients are BatchMatMuls with transposes), and
// tf.fused.matMul with bias, linear with gradients as a dense layer trains, ReLU forward only (training never
// fuses it). A broadcast batch is checked forward only: tfjs-core has no gradient for it on any backend.
// The dense layer shapes of the Fashion-MNIST CNN come first.
import * as tf from '@tensorflow/tfjs';
import { check, type CaseResult } from './conformance';
import { conditioningOffset, mulberry32, pick, randomArray } from './rng';

export interface MatMulCase { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean; fused?: 'linear' | 'relu' }

const FIXED: MatMulCase[] = [
  { a: [64, 1568], b: [1568, 10], transposeA: false, transposeB: false, fused: 'linear' }, // the lesson's dense layer
  { a: [64, 1568], b: [64, 10], transposeA: true, transposeB: false }, // … its weight gradient
  { a: [64, 10], b: [1568, 10], transposeA: false, transposeB: true }, // … its input gradient
  { a: [1, 1], b: [1, 1], transposeA: false, transposeB: false },
  { a: [5, 3], b: [5, 7], transposeA: true, transposeB: false },
  { a: [3, 6, 9], b: [3, 9, 2], transposeA: false, transposeB: false },
  { a: [2, 9, 6], b: [2, 5, 9], transposeA: true, transposeB: true },
  { a: [4, 7, 5], b: [5, 3], transposeA: false, transposeB: false }, // B broadcasts over A's batch
  { a: [13, 11], b: [2, 11, 6], transposeA: false, transposeB: false }, // A broadcasts
  { a: [33, 70], b: [70, 5], transposeA: false, transposeB: false, fused: 'relu' },
];

/** The fixed cases, random plain products until `count` of all are plain, then `count` random fused ones (linear / ReLU alternating). */
export function matMulCases(count: number, seed: number): MatMulCase[] {
  const rand = mulberry32(seed);
  const out = FIXED.slice();
  const dim = () => pick(rand, [1, 2, 3, 4, 5, 7, 8, 10, 16, 17, 31, 64, 70]);
  const random = (batched: boolean, fused?: 'linear' | 'relu'): MatMulCase => {
    const [m, n, k] = [dim(), dim(), dim()];
    const transposeA = rand() < 0.5, transposeB = rand() < 0.5;
    const batch = batched && rand() < 0.3 ? 1 + Math.floor(rand() * 3) : 0;
    const mat = (r: number, c: number, t: boolean) => (t ? [c, r] : [r, c]);
    return { a: [...(batch ? [batch] : []), ...mat(m, k, transposeA)], b: [...(batch ? [batch] : []), ...mat(k, n, transposeB)], transposeA, transposeB, fused };
  };
  while (out.filter((c) => !c.fused).length < count) out.push(random(true));
  for (let i = 0; i < count; i++) out.push(random(false, i % 2 ? 'relu' : 'linear'));
  return out;
}

export async function matMulCase(c: MatMulCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const outShape = tf.tidy(() => tf.matMul(tf.zeros(c.a), tf.zeros(c.b), c.transposeA, c.transposeB).shape);
  const n = outShape[outShape.length - 1];
  // A gradient entry sums K·batch products: offsets keep sums landing in fewer than 4 values from cancelling (rng.ts).
  const as = randomArray(rand, size(c.a), conditioningOffset(Math.min(size(c.a), size(c.b))));
  const bs = randomArray(rand, size(c.b), conditioningOffset(Math.min(size(c.a), size(c.b))));
  const biasValues = randomArray(rand, n);
  const dys = randomArray(rand, size(outShape), conditioningOffset(Math.min(size(c.a), size(c.b), n)));
  const name = `${c.fused ? `fused ${c.fused}+bias ` : ''}matMul a=${c.a} b=${c.b}${c.transposeA ? ' tA' : ''}${c.transposeB ? ' tB' : ''}`;
  const tags = [c.fused ? `fused-${c.fused}` : 'plain', ...(c.a.length > 2 || c.b.length > 2 ? ['batched'] : [])];
  return check(name, tags, () => {
    const a = tf.tensor(as, c.a), b = tf.tensor(bs, c.b), bias = tf.tensor1d(biasValues);
    if (c.fused === 'relu') return { y: tf.fused.matMul({ a, b, transposeA: c.transposeA, transposeB: c.transposeB, bias, activation: 'relu' }) };
    // tfjs-core's BatchMatMul gradient does not reduce a broadcast batch (it throws on any backend): forward only.
    if (c.a.length !== c.b.length) return { y: tf.matMul(a, b, c.transposeA, c.transposeB) };
    const f = c.fused
      ? (x: tf.Tensor, w: tf.Tensor, bi: tf.Tensor) => tf.fused.matMul({ a: x, b: w, transposeA: c.transposeA, transposeB: c.transposeB, bias: bi, activation: 'linear' })
      : (x: tf.Tensor, w: tf.Tensor) => tf.matMul(x, w, c.transposeA, c.transposeB);
    const inputs = c.fused ? [a, b, bias] : [a, b];
    const grads = tf.grads((...t: tf.Tensor[]) => f(t[0], t[1], t[2]))(inputs, tf.tensor(dys, outShape));
    const out: Record<string, tf.Tensor> = { y: f(a, b, bias), da: grads[0], db: grads[1] };
    if (c.fused) out.dbias = grads[2];
    return out;
  });
}
