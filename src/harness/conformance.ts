// Conformance cases: each runs one op (and its gradients) on the CPU backend and on webgpu with our
// kernels, from the same seeded random inputs, with every output our kernels allocate poisoned with NaN.
import * as tf from '@tensorflow/tfjs';
import * as kernels from '../kernels';
import { compare } from './compare';
import { mulberry32, pick, randomArray } from './rng';

export interface OutputCheck { label: string; relError: number; nan: boolean }
export interface CaseResult { name: string; outputs: OutputCheck[]; calls: Record<string, number>; fallbacks: Record<string, number> }

type Arrays = Record<string, Float32Array | Int32Array | Uint8Array>;
type Computation = () => Record<string, tf.Tensor>;

async function runOn(backend: 'cpu' | 'webgpu', make: Computation): Promise<Arrays> {
  await tf.setBackend(backend);
  const outs = tf.tidy(make);
  const arrays: Arrays = {};
  for (const [k, t] of Object.entries(outs)) {
    arrays[k] = (await t.data()) as Float32Array;
    t.dispose();
  }
  return arrays;
}

async function check(name: string, make: Computation): Promise<CaseResult> {
  const expected = await runOn('cpu', make);
  const before = kernels.stats().kernels;
  kernels.setPoisonOutputs(true);
  let actual: Arrays;
  try { actual = await runOn('webgpu', make); } finally { kernels.setPoisonOutputs(false); }
  const after = kernels.stats().kernels;
  const calls: Record<string, number> = {};
  const fallbacks: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v.calls - (before[k]?.calls ?? 0);
    const f = v.fallbacks - (before[k]?.fallbacks ?? 0);
    if (d) calls[k] = d;
    if (f) fallbacks[k] = f;
  }
  const outputs = Object.keys(expected).map((label) => ({ label, ...compare(actual[label], expected[label]) }));
  return { name, outputs: outputs.map(({ label, relError, nan }) => ({ label, relError, nan })), calls, fallbacks };
}

export interface ConvCase { x: [number, number, number, number]; f: [number, number, number, number]; stride: number; pad: 'same' | 'valid' }

/** Fixed edge cases first (batch 1, odd sizes, 1×1, stride 2, channels not a multiple of 4, long reductions), then random ones. */
export function convCases(count: number, seed: number): ConvCase[] {
  const fixed: ConvCase[] = [
    { x: [1, 5, 5, 3], f: [3, 3, 3, 5], stride: 1, pad: 'same' },
    { x: [1, 7, 9, 4], f: [3, 3, 4, 8], stride: 2, pad: 'same' },
    { x: [2, 6, 6, 8], f: [1, 1, 8, 4], stride: 1, pad: 'valid' },
    { x: [2, 9, 7, 5], f: [1, 1, 5, 3], stride: 2, pad: 'valid' },
    { x: [1, 8, 8, 16], f: [3, 3, 16, 16], stride: 1, pad: 'valid' },
    { x: [3, 11, 11, 6], f: [3, 3, 6, 7], stride: 2, pad: 'valid' },
    { x: [1, 1, 1, 33], f: [1, 1, 33, 35], stride: 1, pad: 'same' },
    { x: [4, 16, 16, 8], f: [3, 3, 8, 4], stride: 1, pad: 'same' },  // K = 1024 for the filter gradient: split-K path
    { x: [8, 14, 14, 3], f: [3, 3, 3, 2], stride: 1, pad: 'same' },  // K = 1568, tiny M·N: many splits
    { x: [2, 10, 10, 12], f: [5, 5, 12, 9], stride: 1, pad: 'same' },
    { x: [1, 6, 6, 2], f: [2, 2, 2, 3], stride: 2, pad: 'same' },
    { x: [2, 4, 4, 40], f: [3, 3, 40, 36], stride: 1, pad: 'same' },
  ];
  const rand = mulberry32(seed);
  const out = fixed.slice(0, count);
  while (out.length < count) {
    const k = pick(rand, [1, 3, 3, 3, 2]);
    const stride = pick(rand, [1, 1, 2]);
    const pad = pick(rand, ['same', 'valid'] as const);
    const h = k + Math.floor(rand() * 9);
    const w = k + Math.floor(rand() * 9);
    out.push({ x: [1 + Math.floor(rand() * 3), h, w, 1 + Math.floor(rand() * 13)], f: [k, k, 0, 1 + Math.floor(rand() * 13)], stride, pad });
    out[out.length - 1].f[2] = out[out.length - 1].x[3];
  }
  return out;
}

function convOutShape(c: ConvCase): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.f, c.stride, 1, c.pad).outShape;
}

export async function convCase(c: ConvCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const xs = randomArray(rand, size(c.x));
  const ws = randomArray(rand, size(c.f));
  const yShape = convOutShape(c);
  const dys = randomArray(rand, size(yShape));
  const name = `conv x=${c.x} f=${c.f} s=${c.stride} ${c.pad}`;
  return check(name, () => {
    const x = tf.tensor4d(xs, c.x);
    const w = tf.tensor4d(ws, c.f);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
    const [dx, dw] = tf.grads(f)([x, w], tf.tensor(dys, yShape));
    return { y: f(x, w), dx, dw };
  });
}

export async function fusedCase(c: ConvCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const xs = randomArray(rand, size(c.x));
  const ws = randomArray(rand, size(c.f));
  const bs = randomArray(rand, c.f[3]);
  const activation = seed % 3 === 0 ? 'linear' : 'relu';
  const withBias = seed % 2 === 0;
  return check(`fused x=${c.x} f=${c.f} s=${c.stride} ${c.pad} ${activation}${withBias ? '+bias' : ''}`, () => {
    const x = tf.tensor4d(xs, c.x);
    const filter = tf.tensor4d(ws, c.f);
    const bias = withBias ? tf.tensor1d(bs) : undefined;
    return { y: tf.fused.conv2d({ x, filter, strides: c.stride, pad: c.pad, bias, activation }) };
  });
}

export interface ConcatCase { shapes: number[][]; axis: number }

export function concatCases(count: number, seed: number): ConcatCase[] {
  const rand = mulberry32(seed);
  const fixed: ConcatCase[] = [
    { shapes: [[1, 3, 5, 4], [1, 3, 5, 8]], axis: 3 },
    { shapes: [[2, 7, 7, 3], [2, 7, 7, 5], [2, 7, 7, 1]], axis: 3 },
    { shapes: Array.from({ length: 12 }, () => [2, 4, 4, 4]), axis: 3 },  // more inputs than one dispatch binds
    { shapes: Array.from({ length: 17 }, (_, i) => [1, 3, 3, 1 + (i % 5)]), axis: 3 },
    { shapes: [[1, 2, 9, 3], [1, 5, 9, 3]], axis: 1 },
    { shapes: [[2, 6], [3, 6]], axis: 0 },
    { shapes: [[4, 5], [4, 7], [4, 1]], axis: 1 },
  ];
  const out = fixed.slice(0, count);
  while (out.length < count) {
    const n = 1 + Math.floor(rand() * 3);
    const h = 1 + Math.floor(rand() * 9);
    const w = 1 + Math.floor(rand() * 9);
    const parts = 2 + Math.floor(rand() * 10);
    const vec = rand() < 0.4;
    out.push({ shapes: Array.from({ length: parts }, () => [n, h, w, vec ? 4 * (1 + Math.floor(rand() * 4)) : 1 + Math.floor(rand() * 9)]), axis: 3 });
  }
  return out;
}

export async function concatCase(c: ConcatCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const inputs = c.shapes.map((s) => randomArray(rand, s.reduce((a, b) => a * b, 1)));
  const outShape = tf.backend_util.computeOutShape(c.shapes, c.axis);
  const dys = randomArray(rand, outShape.reduce((a, b) => a * b, 1));
  return check(`concat ${c.shapes.length}× ${JSON.stringify(c.shapes.slice(0, 3))}… axis ${c.axis}`, () => {
    const xs = inputs.map((a, i) => tf.tensor(a, c.shapes[i]));
    const f = (...ts: tf.Tensor[]) => tf.concat(ts, c.axis);
    const grads = tf.grads(f)(xs, tf.tensor(dys, outShape));
    const out: Record<string, tf.Tensor> = { y: f(...xs) };
    grads.forEach((g, i) => { out[`d${i}`] = g; });
    return out;
  });
}

export interface SliceCase { shape: number[]; begin: number[]; size: number[] }

export function sliceCases(count: number, seed: number): SliceCase[] {
  const rand = mulberry32(seed);
  const out: SliceCase[] = [];
  while (out.length < count) {
    const shape = [1 + Math.floor(rand() * 3), 1 + Math.floor(rand() * 7), 1 + Math.floor(rand() * 7), 2 + Math.floor(rand() * 15)];
    const axis = pick(rand, [3, 3, 1, 0]);
    const begin = [0, 0, 0, 0];
    const size = shape.slice();
    begin[axis] = Math.floor(rand() * shape[axis]);
    size[axis] = 1 + Math.floor(rand() * (shape[axis] - begin[axis]));
    out.push({ shape, begin, size });
  }
  return out;
}

export async function sliceCase(c: SliceCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const xs = randomArray(rand, c.shape.reduce((a, b) => a * b, 1));
  return check(`slice ${c.shape} begin=${c.begin} size=${c.size}`, () => ({ y: tf.slice(tf.tensor(xs, c.shape), c.begin, c.size) }));
}

export interface DenseCase { x: [number, number, number, number]; layers: number; growth: number }

/** Dense block with relu→conv3×3 layers: ours (buffer + recompute) on webgpu vs naive concatenation on CPU. */
export async function denseCase(c: DenseCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const [n, h, w, c0] = c.x;
  const xs = randomArray(rand, n * h * w * c0);
  const ws = Array.from({ length: c.layers }, (_, i) => randomArray(rand, 9 * (c0 + i * c.growth) * c.growth));
  const total = c0 + c.layers * c.growth;
  const dys = randomArray(rand, n * h * w * total);
  return check(`denseBlock x=${c.x} L=${c.layers} k=${c.growth}`, () => {
    const x = tf.tensor4d(xs, c.x);
    const weights = ws.map((a, i) => tf.tensor4d(a, [3, 3, c0 + i * c.growth, c.growth]));
    const apply = (inp: tf.Tensor4D, wt: tf.Tensor) => tf.conv2d(tf.relu(inp), wt as tf.Tensor4D, 1, 'same');
    const onCpu = tf.getBackend() === 'cpu';
    const f = (x0: tf.Tensor, ...wts: tf.Tensor[]) => {
      if (onCpu) {
        let cur = x0 as tf.Tensor4D;
        wts.forEach((wt) => { cur = tf.concat([cur, apply(cur, wt)], 3); });
        return cur;
      }
      return kernels.denseBlock(x0 as tf.Tensor4D, wts.map((wt) => ({ outChannels: c.growth, params: [wt], apply: (inp: tf.Tensor4D, p: tf.Tensor[]) => apply(inp, p[0]) })));
    };
    const grads = tf.grads(f)([x, ...weights], tf.tensor(dys, [n, h, w, total]));
    const out: Record<string, tf.Tensor> = { y: f(x, ...weights), dx: grads[0] };
    grads.slice(1).forEach((g, i) => { out[`dw${i}`] = g; });
    return out;
  });
}
