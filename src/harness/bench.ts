// Measurements driven by scripts/bench.mjs. Kernel times come from WebGPU timestamp queries through tf.time
// (kernelMs, summed over the op's dispatches); wall times are taken around an awaited read of the result.
import * as tf from '@tensorflow/tfjs';
import * as kernels from '../gpu';
import { d2lDenseNet, d2lResNet18, fashionCnn } from './models';
import { groupedConv2d } from '../nn/ops/grouped-conv2d';
import { mulberry32, randomArray } from './rng';
import { fashionEpoch, fashionStepPair } from './bench-lesson';

type Mode = kernels.KernelMode;
export interface Timing { kernelMs: number[]; wallMs: number[] }

function rnd(shape: number[], seed = 7): tf.Tensor {
  return tf.tensor(randomArray(mulberry32(seed), shape.reduce((a, b) => a * b, 1)), shape);
}

async function timeIt(f: () => tf.Tensor | tf.Tensor[], reps: number): Promise<Timing> {
  const once = async () => {
    const t0 = performance.now();
    let out: tf.Tensor | tf.Tensor[] = [];
    const info = await tf.time(() => { out = f(); });
    const list = Array.isArray(out) ? out : [out];
    await Promise.all(list.map((t) => t.data()));
    const wall = performance.now() - t0;
    list.forEach((t) => t.dispose());
    const k = typeof info.kernelMs === 'number' ? info.kernelMs : NaN;
    return { k, wall };
  };
  await once(); // warm-up: compiles the pipelines
  const r: Timing = { kernelMs: [], wallMs: [] };
  for (let i = 0; i < reps; i++) {
    const { k, wall } = await once();
    r.kernelMs.push(k);
    r.wallMs.push(wall);
  }
  return r;
}

export interface OpSpec { bytes: number; flops: number; run: () => tf.Tensor | tf.Tensor[]; inputs: tf.Tensor[] }

/** The per-kernel benchmark problems (NHWC). */
function opSpec(name: string): OpSpec {
  const fwdX = [8, 28, 28, 64];
  const w = [3, 3, 64, 64];
  const convFlops = 2 * 8 * 28 * 28 * 64 * 9 * 64;
  if (name === 'convFwd') {
    const x = rnd(fwdX); const f = rnd(w, 8);
    return { bytes: 4 * (x.size * 2 + f.size), flops: convFlops, inputs: [x, f], run: () => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same') };
  }
  if (name === 'convBackpropInput') {
    const dy = rnd(fwdX); const f = rnd(w, 8);
    return { bytes: 4 * (dy.size * 2 + f.size), flops: convFlops, inputs: [dy, f], run: () => tf.conv2dTranspose(dy as tf.Tensor4D, f as tf.Tensor4D, fwdX as [number, number, number, number], 1, 'same') };
  }
  if (name === 'convBackpropFilter') {
    const x = rnd(fwdX); const dy = rnd(fwdX, 9);
    return {
      bytes: 4 * (x.size + dy.size + 9 * 64 * 64), flops: convFlops, inputs: [x, dy],
      run: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: w }) as tf.Tensor,
    };
  }
  if (name === 'concat') {
    const parts = Array.from({ length: 8 }, (_, i) => rnd([64, 14, 14, 32], i));
    const total = parts.reduce((a, p) => a + p.size, 0);
    return { bytes: 4 * total * 2, flops: 0, inputs: parts, run: () => tf.concat(parts, 3) };
  }
  if (name === 'denseConcat') {
    // The dense-block pattern x = concat([x, y]) repeated 8 times (what a naive block does forward).
    const x0 = rnd([64, 14, 14, 32]);
    const ys = Array.from({ length: 8 }, (_, i) => rnd([64, 14, 14, 32], i + 1));
    let moved = 0; let c = 32;
    for (let i = 0; i < 8; i++) { moved += 2 * (c + 32); c += 32; }
    return {
      bytes: 4 * 64 * 14 * 14 * moved, flops: 0, inputs: [x0, ...ys],
      run: () => tf.tidy(() => { let x = x0; for (const y of ys) x = tf.concat([x, y], 3); return x; }),
    };
  }
  if (name === 'gemm') {
    const x = rnd([1, 32, 32, 512]); const f = rnd([1, 1, 512, 512], 3);
    return { bytes: 4 * (x.size * 2 + f.size), flops: 2 * 1024 * 512 * 512, inputs: [x, f], run: () => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same') };
  }
  if (name === 'bnStats') {
    // BatchNorm statistics as tf.layers computes them in training, tf.moments over [0,1,2], and their gradient
    // (bytes: one pass over x, so GB/s reads as passes-equivalent, not traffic).
    const x = rnd([8, 28, 28, 64]); const dy = rnd([64], 9);
    const f = (t: tf.Tensor) => { const { mean, variance } = tf.moments(t, [0, 1, 2]); return tf.add(mean, variance); };
    return { bytes: 4 * x.size, flops: 0, inputs: [x, dy], run: () => tf.tidy(() => { const { value, grads } = tf.valueAndGrads(f)([x], dy); return [value, ...grads]; }) };
  }
  if (name === 'bnTrain' || name === 'bnTrainComposed') {
    // Training BatchNorm forward + backward (y, dx, dgamma, dbeta) on x=[64,14,14,64] through
    // kernels.batchNormTraining: with 'stock' it is tfjs's composition (tf.moments + tf.batchNorm and tfjs-core's
    // gradients) on tfjs's kernels, with 'convlab' the fused passes (bytes: one pass over x). 'bnTrainComposed'
    // always runs that composition: with 'convlab' on our per-op reduction and binary kernels (for tuning).
    const x = rnd([64, 14, 14, 64]); const g = rnd([64], 8); const b = rnd([64], 9); const dy = rnd([64, 14, 14, 64], 10);
    const composed = (t: tf.Tensor, gt: tf.Tensor, bt: tf.Tensor) => {
      const { mean, variance } = tf.moments(t, [0, 1, 2]);
      return tf.batchNorm(t, mean, variance, bt as tf.Tensor1D, gt as tf.Tensor1D, 1e-3);
    };
    const f = (t: tf.Tensor, gt: tf.Tensor, bt: tf.Tensor) => kernels.batchNormTraining(t, gt, bt).y;
    return { bytes: 4 * x.size, flops: 0, inputs: [x, g, b, dy], run: () => tf.tidy(() => { const { value, grads } = tf.valueAndGrads(name === 'bnTrain' ? f : composed)([x, g, b], dy); return [value, ...grads]; }) };
  }
  if (name === 'groupedConv' || name === 'groupedConvGrads') {
    // ResNeXt-like grouped 3×3: 16 groups of 4 channels. Through nn's op: 'stock' is its split → conv2d per
    // group → concat on tfjs's kernels, 'convlab' our grouped-conv op. 'Grads' adds dx and dkernel (tf.grads).
    const x = rnd([8, 28, 28, 64]); const k = rnd([3, 3, 4, 64], 8);
    const f = (a: tf.Tensor, b: tf.Tensor) => groupedConv2d(a as tf.Tensor4D, b as tf.Tensor4D, { strides: 1, padding: 'same', groups: 16 });
    const flops = 2 * 8 * 28 * 28 * 64 * 9 * 4;
    if (name === 'groupedConv') return { bytes: 4 * (x.size * 2 + k.size), flops, inputs: [x, k], run: () => f(x, k) };
    return { bytes: 4 * (x.size * 4 + k.size * 2), flops: 3 * flops, inputs: [x, k], run: () => tf.tidy(() => { const { value, grads } = tf.valueAndGrads(f)([x, k]); return [value, ...grads]; }) };
  }
  throw new Error(`unknown op ${name}`);
}

async function op(name: string, mode: Mode, reps: number): Promise<Timing & { bytes: number; flops: number }> {
  await tf.setBackend('webgpu');
  kernels.use(mode);
  const spec = opSpec(name);
  const t = await timeIt(spec.run, reps);
  spec.inputs.forEach((x) => x.dispose());
  kernels.use('convlab');
  return { ...t, bytes: spec.bytes, flops: spec.flops };
}

/** Device-to-device copy of `mb` MiB with a plain command encoder: this adapter's memory-bandwidth ceiling. */
async function copyCeiling(mb: number, reps: number): Promise<number[]> {
  await tf.setBackend('webgpu');
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const size = mb * 1024 * 1024;
  const a = device.createBuffer({ size, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const b = device.createBuffer({ size, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const gbps: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const t0 = performance.now();
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(a, 0, b, 0, size);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    const ms = performance.now() - t0;
    if (i > 0) gbps.push((2 * size) / (ms * 1e6)); // read + write bytes
  }
  a.destroy(); b.destroy();
  return gbps;
}

type DenseLayerParams = { w: tf.Variable };

/** Small enough that the stock step finishes in seconds on SwiftShader; memory grows the same way at any size. */
export const DENSE_BENCH = { x0: [2, 14, 14, 16] as [number, number, number, number], growth: 16 };

function denseBlockProblem(layers: number, seed: number) {
  const { x0: shape, growth } = DENSE_BENCH;
  const x0 = rnd(shape, seed);
  const params: DenseLayerParams[] = Array.from({ length: layers }, (_, i) => ({ w: tf.variable(rnd([3, 3, shape[3] + growth * i, growth], seed + i + 1).mul(0.05)) }));
  const apply = (inp: tf.Tensor4D, w: tf.Tensor) => tf.conv2d(tf.relu(inp), w as tf.Tensor4D, 1, 'same');
  return { x0, params, apply };
}

/**
 * One training step (forward + backward + SGD) of a `layers`-deep dense block (relu→conv3×3, DENSE_BENCH sizes); naive
 * concatenation with 'stock', our denseBlock op with 'convlab'. Each step is measured by the GPU layer's memory
 * module (kernels.beginStep/endStep, as train.fit does), which trims the buffer pool at the step's end when `trim`.
 * Returns wall times, the highest step peak of bytes held by tensors (high-water of bufferManager.numBytesUsed), and
 * the pool after the last step (numBytesAllocatedInGPU: without trimming it never shrinks, so each runs in a fresh page).
 */
async function denseBlockStep(mode: Mode, layers: number, reps: number, trim = false): Promise<{ wallMs: number[]; peakBytes: number; peakLiveBytes: number; poolToPeak: number }> {
  await tf.setBackend('webgpu');
  kernels.use(mode);
  kernels.setAutoTrim(trim);
  const { x0, params, apply } = denseBlockProblem(layers, 3);
  const opt = tf.train.sgd(0.01);
  let peakLiveBytes = 0;
  const step = async () => {
    const t0 = performance.now();
    kernels.beginStep();
    const loss = opt.minimize(() => tf.tidy(() => {
      let out: tf.Tensor4D;
      if (mode === 'stock') {
        let x = x0 as tf.Tensor4D;
        for (const p of params) x = tf.concat([x, apply(x, p.w)], 3);
        out = x;
      } else {
        out = kernels.denseBlock(x0 as tf.Tensor4D, params.map((p) => ({ outChannels: DENSE_BENCH.growth, params: [p.w], apply: (inp: tf.Tensor4D, ps: tf.Tensor[]) => apply(inp, ps[0]) })));
      }
      return tf.mean(tf.square(out)) as tf.Scalar;
    }), true);
    await loss!.data();
    loss!.dispose();
    kernels.endStep();
    peakLiveBytes = Math.max(peakLiveBytes, kernels.memory().lastStep?.peakBytes ?? NaN);
    return performance.now() - t0;
  };
  await step();
  const wallMs: number[] = [];
  for (let i = 0; i < reps; i++) wallMs.push(await step());
  const last = kernels.memory().lastStep;
  const peakBytes = (tf.memory() as unknown as { numBytesAllocatedInGPU?: number }).numBytesAllocatedInGPU ?? NaN;
  x0.dispose(); params.forEach((p) => p.w.dispose()); opt.dispose();
  kernels.setAutoTrim(true);
  kernels.use('convlab');
  return { wallMs, peakBytes, peakLiveBytes, poolToPeak: last ? last.poolToPeak : NaN };
}

/**
 * What trimming the pool costs in step time: the same dense block on our kernels, in one page, `rounds` times
 * `steps` steps with trimming off then `steps` with it on (interleaved, so load on the machine hits both alike;
 * each round's first step after switching is not counted). Also the pool ÷ peak each setting leaves.
 */
async function denseBlockTrimCost(layers: number, rounds: number, steps: number): Promise<{ offMs: number[]; onMs: number[]; offPoolToPeak: number; onPoolToPeak: number }> {
  const offMs: number[] = []; const onMs: number[] = [];
  let offPoolToPeak = NaN; let onPoolToPeak = NaN;
  for (let r = 0; r < rounds; r++) {
    for (const trim of [false, true]) {
      const res = await denseBlockStep('convlab', layers, steps, trim);
      (trim ? onMs : offMs).push(...res.wallMs);
      if (trim) onPoolToPeak = res.poolToPeak; else offPoolToPeak = res.poolToPeak;
      // Back to a trimmed pool between settings, so trim-off steps start where trim-on ones would.
      kernels.trimPool();
    }
  }
  return { offMs, onMs, offPoolToPeak, onPoolToPeak };
}

export type BenchModel = 'densenet' | 'resnet18' | 'fashioncnn';

/** A benchmark model with its optimizer: SGD for the d2l models, the Fashion-MNIST lesson's Adam (lr 0.002) for its CNN. */
function modelAndOptimizer(model: BenchModel): { net: tf.LayersModel; opt: tf.Optimizer } {
  if (model === 'fashioncnn') return { net: fashionCnn(), opt: tf.train.adam(0.002) };
  return { net: model === 'densenet' ? d2lDenseNet() : d2lResNet18(), opt: tf.train.sgd(0.01) };
}

/** One train step of a benchmark model at 28 px: wall time around the awaited loss. */
async function trainStep(model: BenchModel, backend: 'webgpu' | 'webgl', mode: Mode, batch: number, reps: number): Promise<number[]> {
  await tf.setBackend(backend);
  if (backend === 'webgpu') kernels.use(mode);
  const { net, opt } = modelAndOptimizer(model);
  const x = rnd([batch, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10);
  const step = async () => {
    const t0 = performance.now();
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true);
    await loss!.data();
    loss!.dispose();
    return performance.now() - t0;
  };
  // Warm-up. On webgpu: one step in tfjs's compile-only mode, which compiles every pipeline the step needs (in
  // parallel) and runs nothing, so it costs seconds where a real batch-64 step costs minutes here; it leaves
  // garbage in the variables, so the weights are restored after it. WebGL has no such mode: one real step.
  if (backend === 'webgpu') {
    const saved = net.getWeights().map((w) => w.clone());
    await kernels.warmUp(() => { opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar); });
    net.setWeights(saved);
    saved.forEach((w) => w.dispose());
  } else {
    await step();
  }
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await step());
  x.dispose(); y.dispose(); net.dispose(); opt.dispose();
  await tf.setBackend('webgpu');
  kernels.use('convlab');
  return times;
}

/**
 * Where a train step's GPU time goes: tf.profile over one step after a warm-up step, kernel time (timestamp
 * queries) and dispatch count summed per kernel name, largest first. For tuning; not part of the report.
 */
async function profileStep(model: BenchModel, mode: Mode, batch: number): Promise<Array<{ kernel: string; ms: number; calls: number }>> {
  await tf.setBackend('webgpu');
  kernels.use(mode);
  const { net, opt } = modelAndOptimizer(model);
  const x = rnd([batch, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10);
  const step = () => { const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true); return l!; };
  const warm = step(); await warm.data(); warm.dispose();
  const info = await tf.profile(() => step());
  const totals = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const t = totals.get(k.name) ?? { ms: 0, calls: 0 };
    totals.set(k.name, { ms: t.ms + ms, calls: t.calls + 1 });
  }
  if (info.result instanceof tf.Tensor) info.result.dispose();
  x.dispose(); y.dispose(); net.dispose(); opt.dispose();
  kernels.use('convlab');
  return [...totals.entries()].map(([kernel, t]) => ({ kernel, ...t })).sort((a, b) => b.ms - a.ms);
}

export const benchApi = { op, copyCeiling, denseBlockStep, denseBlockTrimCost, trainStep, profileStep, fashionStepPair, fashionEpoch };
