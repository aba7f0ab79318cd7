// Conformance cases: each runs one op (and its gradients, tf.grads) on the CPU backend and on webgpu with our
// kernels, from the same seeded random inputs, with every output our kernels allocate poisoned with NaN.
// Each case also reports which of our programs ran (shader variants), so the suite can show it exercised
// every variant, not only every kernel name.
import * as tf from '@tensorflow/tfjs';
import * as kernels from '../gpu';
import { DenseBlock } from '../nn/blocks/dense';
import { compare } from './compare';
import { kernelSize, type ConcatCase, type ConvCase, type DenseCase, type SliceCase } from './cases';
import { conditioningOffset, mulberry32, randomArray } from './rng';

export interface OutputCheck { label: string; relError: number; nan: boolean; maxAbsRef: number }
export interface CaseResult {
  name: string;
  /** Case family tags, e.g. the kernel size "3x3" of a conv case. */
  tags: string[];
  outputs: OutputCheck[];
  calls: Record<string, number>;
  fallbacks: Record<string, number>;
  /** Why each kernel in `fallbacks` handed the shape to the stock kernel (its last reason). */
  fallbackReasons: Record<string, string>;
  /** Our program variants (base shader keys) that ran for this case on webgpu. */
  programs: string[];
}

type Arrays = Record<string, Float32Array>;
type Computation = () => Record<string, tf.Tensor>;

let recording: Set<string> | null = null;

/**
 * Notes the base shader key of every ConvLab program the webgpu backend runs while a case is recorded
 * (read before tfjs appends its shape-dependent suffix). Installed once per page.
 */
export function recordPrograms(backend: tf.KernelBackend): void {
  const b = backend as unknown as { runWebGPUProgram: (p: { shaderKey: string }, ...rest: unknown[]) => unknown };
  const original = b.runWebGPUProgram.bind(b);
  b.runWebGPUProgram = (program, ...rest) => {
    if (recording && program.shaderKey.startsWith('convlab_')) recording.add(program.shaderKey);
    return original(program, ...rest);
  };
}

async function runOn(backend: 'cpu' | 'webgpu', make: Computation): Promise<Arrays> {
  await tf.setBackend(backend);
  const outs = tf.tidy(make);
  const keys = Object.keys(outs);
  // All readbacks in flight together: one wait for the GPU instead of one per output.
  const values = await Promise.all(keys.map((k) => outs[k].data()));
  keys.forEach((k) => outs[k].dispose());
  return Object.fromEntries(keys.map((k, i) => [k, values[i] as Float32Array]));
}

/** Runs `f` while noting which of our programs run (base shader keys, sorted). */
export async function withPrograms<T>(f: () => Promise<T>): Promise<{ value: T; programs: string[] }> {
  const seen = new Set<string>();
  recording = seen;
  try {
    return { value: await f(), programs: [...seen].sort() };
  } finally {
    recording = null;
  }
}

export async function check(name: string, tags: string[], make: Computation): Promise<CaseResult> {
  const expected = await runOn('cpu', make);
  const before = kernels.stats('convlab').kernels;
  kernels.setPoisonOutputs(true);
  let run: { value: Arrays; programs: string[] };
  try {
    run = await withPrograms(() => runOn('webgpu', make));
  } finally {
    kernels.setPoisonOutputs(false);
  }
  const actual = run.value;
  const after = kernels.stats('convlab').kernels;
  const calls: Record<string, number> = {};
  const fallbacks: Record<string, number> = {};
  const fallbackReasons: Record<string, string> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v.calls - (before[k]?.calls ?? 0);
    const f = v.fallbacks - (before[k]?.fallbacks ?? 0);
    if (d) calls[k] = d;
    if (f) { fallbacks[k] = f; fallbackReasons[k] = v.lastFallback ?? ''; }
  }
  const outputs = Object.keys(expected).map((label) => {
    const { relError, nan, maxAbsRef } = compare(actual[label], expected[label]);
    return { label, relError, nan, maxAbsRef };
  });
  return { name, tags, outputs, calls, fallbacks, fallbackReasons, programs: run.programs };
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function convOutShape(c: ConvCase): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.f, c.stride, 1, c.pad).outShape;
}

/** Conv2D forward and both gradients (Conv2DBackpropInput, Conv2DBackpropFilter) through tf.grads. */
export async function convCase(c: ConvCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  // dw is a sum over every x·dy: with fewer than 4 filter values it must not cancel (rng.ts).
  const offset = conditioningOffset(size(c.f));
  const xs = randomArray(rand, size(c.x), offset);
  const ws = randomArray(rand, size(c.f));
  const yShape = convOutShape(c);
  const dys = randomArray(rand, size(yShape), offset);
  // dx with fewer than 4 channels is documented to go to the stock kernel (kernels/conv.ts, NARROW_DX).
  const tags = [kernelSize(c), ...(c.x[3] < 4 ? ['narrow-dx'] : [])];
  return check(`conv x=${c.x} f=${c.f} s=${c.stride} ${c.pad}`, tags, () => {
    const x = tf.tensor4d(xs, c.x);
    const w = tf.tensor4d(ws, c.f);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
    const [dx, dw] = tf.grads(f)([x, w], tf.tensor(dys, yShape));
    return { y: f(x, w), dx, dw };
  });
}

const EPILOGUES = [['linear', false], ['linear', true], ['relu', false], ['relu', true]] as const;

/** FusedConv2D with each epilogue (index-chosen, so every one is covered), forward and gradients. */
export async function fusedCase(c: ConvCase, seed: number, index: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const [activation, withBias] = EPILOGUES[index % EPILOGUES.length];
  // dw sums x·dy per filter value and db sums dy per output channel: neither may cancel when few (rng.ts).
  const dwOffset = conditioningOffset(size(c.f));
  const dyOffset = withBias ? conditioningOffset(c.f[3]) : dwOffset;
  const xs = randomArray(rand, size(c.x), dwOffset);
  const ws = randomArray(rand, size(c.f));
  const bs = randomArray(rand, c.f[3]);
  const yShape = convOutShape(c);
  const dys = randomArray(rand, size(yShape), dyOffset);
  const tags = [kernelSize(c), `${activation}${withBias ? '+bias' : ''}`, ...(c.x[3] < 4 ? ['narrow-dx'] : [])];
  return check(`fused x=${c.x} f=${c.f} s=${c.stride} ${c.pad} ${activation}${withBias ? '+bias' : ''}`, tags, () => {
    const x = tf.tensor4d(xs, c.x);
    const filter = tf.tensor4d(ws, c.f);
    const bias = tf.tensor1d(bs);
    const f = (a: tf.Tensor, b: tf.Tensor, bi: tf.Tensor) =>
      tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: c.stride, pad: c.pad, bias: withBias ? bi : undefined, activation });
    const xsIn = withBias ? [x, filter, bias] : [x, filter];
    const grads = tf.grads((...t: tf.Tensor[]) => f(t[0], t[1], t[2] ?? bias))(xsIn, tf.tensor(dys, yShape));
    const out: Record<string, tf.Tensor> = { y: f(x, filter, bias), dx: grads[0], dw: grads[1] };
    if (withBias) out.db = grads[2];
    return out;
  });
}

/** Concat forward and its gradient (SplitV). */
export async function concatCase(c: ConcatCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const inputs = c.shapes.map((s) => randomArray(rand, size(s)));
  const outShape = tf.backend_util.computeOutShape(c.shapes, c.axis);
  const dys = randomArray(rand, size(outShape));
  return check(`concat ${c.shapes.length}× ${JSON.stringify(c.shapes.slice(0, 3))}… axis ${c.axis}`, [], () => {
    const xs = inputs.map((a, i) => tf.tensor(a, c.shapes[i]));
    const f = (...ts: tf.Tensor[]) => tf.concat(ts, c.axis);
    const grads = tf.grads(f)(xs, tf.tensor(dys, outShape));
    const out: Record<string, tf.Tensor> = { y: f(...xs) };
    grads.forEach((g, i) => { out[`d${i}`] = g; });
    return out;
  });
}

/** Slice forward, and its gradient (tfjs pads dy back: a stock kernel, checked as part of the composition). */
export async function sliceCase(c: SliceCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const xs = randomArray(rand, size(c.shape));
  const dys = randomArray(rand, size(c.size));
  return check(`slice ${c.shape} begin=${c.begin} size=${c.size}`, [], () => {
    const x = tf.tensor(xs, c.shape);
    const f = (t: tf.Tensor) => tf.slice(t, c.begin, c.size);
    const [dx] = tf.grads(f)([x], tf.tensor(dys, c.size));
    return { y: f(x), dx };
  });
}

/** kernels.denseBlock (shared buffer + recomputation) with relu→conv3×3 layers vs naive concatenation on CPU. */
export async function denseCase(c: DenseCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const [n, h, w, c0] = c.x;
  const xs = randomArray(rand, n * h * w * c0);
  const ws = Array.from({ length: c.layers }, (_, i) => randomArray(rand, 9 * (c0 + i * c.growth) * c.growth));
  const total = c0 + c.layers * c.growth;
  const dys = randomArray(rand, n * h * w * total);
  return check(`denseBlock x=${c.x} L=${c.layers} k=${c.growth}`, c0 < 4 ? ['narrow-dx'] : [], () => {
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

/**
 * A BN weight as a trained network has it: gamma near 1, beta within ±0.5, variance positive. Not uniform in
 * [−1, 1]: a channel with gamma ≈ 0.05 and beta ≈ 0.9 is positive everywhere, its ReLU is the identity, and
 * then beta's gradient is mathematically 0 (BN's next backward removes every per-channel mean) and both
 * backends return rounding noise — seen: a "relative error" of 2.6 against the CPU's largest value, 6e-6.
 */
export function initialWeight(name: string, uniform: number): number {
  if (/moving_variance/.test(name)) return 1 + Math.abs(uniform);
  if (/gamma/.test(name)) return 1 + 0.5 * uniform;
  if (/beta/.test(name)) return 0.5 * uniform;
  return uniform;
}

/**
 * nn's DenseBlock (BN → ReLU → conv layers, training mode) on webgpu, where the kernel layer routes it
 * through the dense-block path, against the same block concatenating on the CPU: output, gradients for the
 * input and every weight, and the BN moving statistics after the step (updated once, not on recompute).
 */
export async function nnDenseCase(c: DenseCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const [n, h, w, c0] = c.x;
  const total = c0 + c.layers * c.growth;
  const xs = randomArray(rand, n * h * w * c0);
  // A conv bias sums the block's dy over every pixel of its growth channels, and the first BN's gradients sum
  // over c0 channels: with fewer than 4 of either, dy is drawn around +2 so those sums cannot cancel (rng.ts).
  const dys = randomArray(rand, n * h * w * total, conditioningOffset(Math.min(c0, c.growth)));
  await tf.setBackend('cpu');
  const block = new DenseBlock({ name: `nn_dense_${seed}`, numLayers: c.layers, growthRate: c.growth, bottleneck: c.bottleneck, bnSize: 2, useBias: !c.bottleneck });
  block.apply(tf.zeros(c.x));
  const initial = block.weights.map((v) => randomArray(rand, size(v.shape as number[])).map((a) => initialWeight(v.name, a)));
  const result = await check(`nn.DenseBlock x=${c.x} L=${c.layers} k=${c.growth}${c.bottleneck ? ' BC' : ''}`, c0 < 4 ? ['narrow-dx'] : [], () => {
    block.setWeights(block.weights.map((v, i) => tf.tensor(initial[i], v.shape as number[])));
    const x = tf.tensor4d(xs, c.x);
    const vars = block.trainableWeights.map((v) => v.read());
    const f = (x0: tf.Tensor, ..._weights: tf.Tensor[]) => block.apply(x0, { training: true }) as tf.Tensor;
    // One forward (valueAndGrads): a second apply in training mode would update the moving statistics again.
    const { value, grads } = tf.valueAndGrads(f)([x, ...vars], tf.tensor(dys, [n, h, w, total]));
    const out: Record<string, tf.Tensor> = { y: value, dx: grads[0] };
    block.trainableWeights.forEach((v, i) => { out[`d ${v.name}`] = grads[i + 1]; });
    block.nonTrainableWeights.forEach((v) => { out[v.name] = v.read().clone(); });
    return out;
  });
  block.weights.forEach((v) => v.dispose());
  return result;
}
