// Conformance cases for the BatchNorm statistics and gradient kernels (Sum, Mean over contiguous axes;
// Add / Sub / Multiply / RealDiv with full, per-channel and scalar operands): each op alone with its gradients
// (tf.grads), tf.moments + tf.batchNorm, and a tf.layers.batchNormalization training step, against the CPU
// (that step runs the fused training BatchNorm through its layer hook on webgpu: conformance-fused-bn.ts).
// Every webgpu input is uploaded first: tfjs computes ops whose inputs are all small CPU-resident tensors on
// the CPU (our binary kernels hand those to the stock kernel on purpose), and a case must run our kernel.
import * as tf from '@tensorflow/tfjs';
import { check, initialWeight, type CaseResult } from './conformance';
import { conditioningOffset, mulberry32, pick, randomArray } from './rng';

export type BinaryName = 'Add' | 'Sub' | 'Multiply' | 'RealDiv';
export type BnCase =
  | { kind: 'Sum' | 'Mean'; shape: number[]; axes: number[]; keepDims: boolean; offset?: number }
  | { kind: BinaryName; a: number[]; b: number[] }
  | { kind: 'moments' | 'layer'; shape: number[] }
  | { kind: 'cast'; shape: number[] }
  | { kind: 'FusedBatchNorm'; shape: number[]; stats: number[] };

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Moves a tensor's data to the GPU when webgpu is active (no-op on the CPU backend). */
function onDevice<T extends tf.Tensor>(t: T): T {
  if (tf.getBackend() === 'webgpu') (tf.backend() as unknown as { uploadToGPU(id: object): void }).uploadToGPU(t.dataId);
  return t;
}

function input(values: Float32Array, shape: number[]): tf.Tensor {
  return onDevice(tf.tensor(values, shape));
}

/** Channels: half multiples of 4 (vec4 programs), half not. */
function channels(rand: () => number): number {
  return rand() < 0.5 ? 4 * (1 + Math.floor(rand() * 5)) : pick(rand, [1, 2, 3, 5, 6, 7, 9, 11, 13]);
}

function nhwc(rand: () => number): number[] {
  return [1 + Math.floor(rand() * 3), 1 + Math.floor(rand() * 9), 1 + Math.floor(rand() * 9), channels(rand)];
}

const AXES = [[0, 1, 2], [0, 1, 2], [1, 2], [0], [3], [2, 3], [0, 1, 2, 3]];

/** Reductions: fixed edge cases (large, scalar, keepDims, batch 1, odd sizes) then random ones. */
function reduceCases(kind: 'Sum' | 'Mean', count: number, rand: () => number): BnCase[] {
  const fixed: BnCase[] = [
    { kind, shape: [1, 5, 7, 3], axes: [0, 1, 2], keepDims: false },
    { kind, shape: [2, 3, 3, 8], axes: [0, 1, 2], keepDims: true },
    { kind, shape: [8, 28, 28, 16], axes: [0, 1, 2], keepDims: false, offset: 3 }, // 6272 rows, two passes, vec4
    { kind, shape: [4, 28, 28, 6], axes: [0, 1, 2], keepDims: true, offset: 3 }, // 3136 rows, two passes, scalar
    { kind, shape: [1, 100, 100, 1], axes: [0, 1, 2, 3], keepDims: false, offset: 3 }, // 10000 values to a scalar
    { kind, shape: [4, 3, 3, 248], axes: [1, 2], keepDims: false }, // global average pooling
    { kind, shape: [3, 7, 5, 9], axes: [3], keepDims: true },
    { kind, shape: [4, 10], axes: [0], keepDims: false },
    { kind, shape: [37], axes: [0], keepDims: false },
    { kind, shape: [2, 1, 5, 4], axes: [0, 2], keepDims: true }, // size-1 gap: still one block
  ];
  const random = Array.from({ length: count }, (): BnCase => ({ kind, shape: nhwc(rand), axes: pick(rand, AXES), keepDims: rand() < 0.5 }));
  return [...fixed, ...random];
}

/** Binaries: every operand kind (full, [C], [1,1,1,C], trailing [W,C], scalar) on each side, vec4 and not. */
function binaryCases(kind: BinaryName, count: number, rand: () => number): BnCase[] {
  const fixed: BnCase[] = [
    { kind, a: [4, 28, 28, 64], b: [64] },
    { kind, a: [64], b: [2, 6, 6, 64] },
    { kind, a: [1, 5, 7, 3], b: [3] },
    { kind, a: [2, 3, 3, 8], b: [1, 1, 1, 8] },
    { kind, a: [1, 1, 1, 5], b: [2, 3, 3, 5] },
    { kind, a: [2, 4, 4, 8], b: [] },
    { kind, a: [], b: [2, 4, 4, 8] },
    { kind, a: [3, 5, 3, 7], b: [] },
    { kind, a: [2, 5, 3, 4], b: [2, 5, 3, 4] },
    { kind, a: [1, 3, 7, 5], b: [1, 3, 7, 5] },
    { kind, a: [2, 3, 5, 4], b: [5, 4] },
    { kind, a: [6], b: [6] },
  ];
  const random = Array.from({ length: count }, (): BnCase => {
    const s = nhwc(rand);
    const c = s[3];
    const other = pick(rand, [[c], [1, 1, 1, c], s, [], [s[2], c]]);
    return rand() < 0.5 ? { kind, a: s, b: other } : { kind, a: other, b: s };
  });
  return [...fixed, ...random];
}

/** Every family: `count` random cases per op on top of the fixed ones, plus compositions. */
export function bnCases(count: number, seed: number): BnCase[] {
  const rand = mulberry32(seed);
  const ops: BinaryName[] = ['Multiply', 'Sub', 'Add', 'RealDiv'];
  // At least 4 values per channel: with one the normalised output is constant and dx is pure rounding noise.
  const compositions: BnCase[] = [[1, 5, 5, 3], [2, 6, 6, 8], [4, 28, 28, 16], [3, 7, 9, 13], [2, 4, 4, 64], [1, 2, 2, 4], ...Array.from({ length: 4 }, () => nhwc(rand).map((d, i) => (i === 1 ? d + 2 : d)))]
    .flatMap((shape) => [{ kind: 'moments', shape }, { kind: 'layer', shape }] as BnCase[]);
  // tf.batchNorm alone with [C] or [1,1,1,C] statistics: batch 1, odd sizes, channels not a multiple of 4.
  const norms: BnCase[] = [[1, 5, 7, 3], [2, 4, 4, 8], [4, 28, 28, 64], [1, 1, 1, 5], ...Array.from({ length: count }, () => nhwc(rand))]
    .map((shape) => ({ kind: 'FusedBatchNorm', shape, stats: rand() < 0.5 ? [shape[3]] : [1, 1, 1, shape[3]] }));
  // tf.cast(int32 → float32) keeps the int32 buffer: our kernels must hand it to the stock ones.
  const casts: BnCase[] = [{ kind: 'cast', shape: [2, 3, 3, 8] }, { kind: 'cast', shape: [40, 30] }];
  return [...reduceCases('Sum', count, rand), ...reduceCases('Mean', count, rand), ...ops.flatMap((op) => binaryCases(op, count, rand)), ...compositions, ...norms, ...casts];
}

const OPS: Record<BinaryName, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = { Add: tf.add, Sub: tf.sub, Multiply: tf.mul, RealDiv: tf.div };

export async function bnCase(c: BnCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  if (c.kind === 'Sum' || c.kind === 'Mean') {
    const op = c.kind === 'Sum' ? tf.sum : tf.mean;
    const yShape = op(tf.zeros(c.shape), c.axes, c.keepDims).shape;
    const offset = c.offset ?? conditioningOffset(size(yShape));
    const xs = randomArray(rand, size(c.shape), offset);
    const dys = randomArray(rand, size(yShape));
    return check(`${c.kind} x=[${c.shape}] axes=[${c.axes}] keepDims=${c.keepDims}${offset ? ` +${offset}` : ''}`, [c.kind], () => {
      const x = input(xs, c.shape);
      const f = (t: tf.Tensor) => op(t, c.axes, c.keepDims);
      const [dx] = tf.grads(f)([x], input(dys, yShape));
      return { y: f(x), dx };
    });
  }
  if (c.kind === 'cast') return castCase(c.shape, rand);
  if (c.kind === 'FusedBatchNorm') return batchNormCase(c.shape, c.stats, rand);
  if (c.kind === 'moments' || c.kind === 'layer') return c.kind === 'moments' ? momentsCase(c.shape, rand) : layerCase(c.shape, rand);
  return binaryCase(c as Extract<BnCase, { a: number[] }>, rand);
}

function binaryCase(c: { kind: BinaryName; a: number[]; b: number[] }, rand: () => number): Promise<CaseResult> {
  // The smaller operand's gradient sums dy (times the other operand) over the broadcast: with fewer than 4
  // values it must not cancel (rng.ts), so then every input is drawn around +2.
  const offset = conditioningOffset(Math.min(size(c.a), size(c.b)));
  const as = randomArray(rand, size(c.a), offset);
  // Denominators kept away from 0 so the quotient and its gradients stay well conditioned.
  const bs = randomArray(rand, size(c.b), offset).map((v) => (c.kind === 'RealDiv' && !offset ? Math.sign(v || 1) * (0.5 + Math.abs(v)) : v));
  const outShape = tf.broadcast_util.assertAndGetBroadcastShape(c.a, c.b);
  const dys = randomArray(rand, size(outShape), offset);
  return check(`${c.kind} a=[${c.a}] b=[${c.b}]`, [c.kind], () => {
    const a = input(as, c.a);
    const b = input(bs, c.b);
    const f = OPS[c.kind];
    const [da, db] = tf.grads(f)([a, b], input(dys, outShape));
    return { y: f(a, b), da, db };
  });
}

/**
 * dy for a batch-statistics case. The scale gradient sums dy·x̂ per channel, and x̂ has zero mean per channel,
 * so an offset on dy alone cancels out of it: with fewer than 4 channels (rng.ts) dy is made to follow x
 * (dy = x + noise), which keeps that sum, the offset gradient and the moving mean away from zero.
 */
export function statisticsGradient(rand: () => number, xs: Float32Array, channels: number): Float32Array {
  const noise = randomArray(rand, xs.length);
  return conditioningOffset(channels) ? noise.map((v, i) => v + xs[i]) : noise;
}

/** tf.moments over [0,1,2] + tf.batchNorm: output and gradients for x, scale and offset. */
function momentsCase(shape: number[], rand: () => number): Promise<CaseResult> {
  const ch = shape[3];
  const xs = randomArray(rand, size(shape), conditioningOffset(ch));
  const gs = randomArray(rand, ch).map((v) => 1 + 0.5 * v);
  const bs = randomArray(rand, ch);
  const dys = statisticsGradient(rand, xs, ch);
  return check(`moments+batchNorm x=[${shape}]`, ['moments'], () => {
    const x = input(xs, shape);
    const f = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(t, [0, 1, 2]);
      return tf.batchNorm(t, mean, variance, b, g, 1e-3);
    };
    const { value, grads } = tf.valueAndGrads(f)([x, input(gs, [ch]), input(bs, [ch])], input(dys, shape));
    return { y: value, dx: grads[0], dscale: grads[1], doffset: grads[2] };
  });
}

/** One tf.layers.batchNormalization training step: output, gradients (x, gamma, beta), moving statistics after. */
async function layerCase(shape: number[], rand: () => number): Promise<CaseResult> {
  const ch = shape[3];
  const xs = randomArray(rand, size(shape), conditioningOffset(ch));
  const dys = statisticsGradient(rand, xs, ch);
  await tf.setBackend('cpu');
  const layer = tf.layers.batchNormalization({ momentum: 0.9 });
  layer.apply(tf.zeros(shape));
  const init = layer.weights.map((v) => randomArray(rand, ch).map((a) => initialWeight(v.name, a)));
  const result = await check(`layers.batchNormalization step x=[${shape}]`, ['layer'], () => {
    layer.setWeights(init.map((v) => input(v, [ch])));
    const x = input(xs, shape);
    const vars = layer.trainableWeights.map((v) => v.read());
    const f = (t: tf.Tensor, ..._w: tf.Tensor[]) => layer.apply(t, { training: true }) as tf.Tensor;
    const { value, grads } = tf.valueAndGrads(f)([x, ...vars], input(dys, shape));
    const out: Record<string, tf.Tensor> = { y: value, dx: grads[0] };
    layer.trainableWeights.forEach((v, i) => { out[`d ${v.name}`] = grads[i + 1]; });
    layer.nonTrainableWeights.forEach((v) => { out[v.name] = v.read().clone(); });
    return out;
  });
  layer.weights.forEach((v) => v.dispose());
  return result;
}

/**
 * Float ops on int32 data cast to float32 (same buffer, int32 inside): values checked, stock kernels expected.
 * Full reductions only: tfjs's own Sum over a leading axis transposes first, and its transpose of such a
 * tensor records an invalid command buffer (a stock bug, seen here with our kernels off too).
 */
function castCase(shape: number[], rand: () => number): Promise<CaseResult> {
  // Positive integers: a sum of ±integers can be exactly 0, where the metric's 1e-6 floor turns one rounding
  // of the mean into a relative error of 1e-3 (seen).
  const ints = Int32Array.from(randomArray(rand, size(shape)), (v) => 12 + Math.round(10 * v));
  const fs = randomArray(rand, size(shape));
  return check(`cast int32→float32 x=[${shape}]`, ['cast'], () => {
    const xi = onDevice(tf.tensor(ints, shape, 'int32'));
    const x = tf.cast(xi, 'float32');
    const y = input(fs, shape);
    return { sum: tf.sum(x), mean: tf.mean(x), mul: tf.mul(x, y), add: tf.add(y, x), sub: tf.sub(x, y), div: tf.div(y, tf.add(x, 100)) };
  });
}

/** tf.batchNorm (FusedBatchNorm) with given statistics: output and gradients for all five inputs. */
function batchNormCase(shape: number[], stats: number[], rand: () => number): Promise<CaseResult> {
  const ch = shape[3];
  // The statistics' gradients sum dy and dy·(x − mean) per channel: with fewer than 4 channels x sits above
  // every mean (which is in [−1, 1]) and dy is positive, so those sums cannot cancel (rng.ts).
  const offset = conditioningOffset(ch);
  const xs = randomArray(rand, size(shape), offset);
  const [ms, os, ss] = [randomArray(rand, ch), randomArray(rand, ch), randomArray(rand, ch)];
  const vs = randomArray(rand, ch).map((v) => 0.5 + Math.abs(v));
  const dys = randomArray(rand, size(shape), offset);
  return check(`batchNorm x=[${shape}] stats=[${stats}]`, ['FusedBatchNorm'], (): Record<string, tf.Tensor> => {
    const f = (x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, s: tf.Tensor) => tf.batchNorm(x, m, v, o, s, 1e-3);
    const ins = [input(xs, shape), input(ms, stats), input(vs, stats), input(os, stats), input(ss, stats)];
    const dy = input(dys, shape);
    if (stats.length > 1) {
      // tfjs-core's FusedBatchNorm gradient only reduces rank-1 statistics: with [1,1,1,C] only dx is defined.
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => f(x, ins[1], ins[2], ins[3], ins[4]))(ins[0], dy);
      return { y: value, dx: grad };
    }
    const { value, grads } = tf.valueAndGrads((...t: tf.Tensor[]) => f(t[0], t[1], t[2], t[3], t[4]))(ins, dy);
    return { y: value, dx: grads[0], dmean: grads[1], dvariance: grads[2], doffset: grads[3], dscale: grads[4] };
  });
}
