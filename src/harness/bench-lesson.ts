// The Fashion-MNIST lesson's CNN (models.fashionCnn: the lesson's layers, Adam lr 0.002, loss from logits), one
// train step at a time, on our kernels and on stock interleaved in one page: two copies of the model with the same
// seeded weights, each with its own optimizer, and the kernels switched before each step. Interleaving spreads
// the noise of this shared machine evenly over both sides. Wall time around the awaited loss, per step.
import * as tf from '@tensorflow/tfjs';
import * as kernels from '../gpu';
import { fashionCnn } from './models';
import { mulberry32, randomArray } from './rng';
import { fmaCeiling } from './bench-sweep';
import { fashionMnist } from '../data';
import { evaluate, fit, optimizerOf } from '../train';

/** Multiply-adds ×2 of one train step at `batch`: forward and both gradients of each conv and the dense layer (the first conv's input gradient is not computed). */
export function fashionStepFlops(batch: number): number {
  const conv1 = 2 * batch * 28 * 28 * 9 * 1 * 16;
  const conv2 = 2 * batch * 14 * 14 * 9 * 16 * 32;
  const dense = 2 * batch * 1568 * 10;
  return 2 * conv1 + 3 * conv2 + 3 * dense;
}

export interface LessonStepResult { oursMs: number[]; stockMs: number[]; flops: number; fmaGflops: number }

export async function fashionStepPair(batch: number, reps: number): Promise<LessonStepResult> {
  await tf.setBackend('webgpu');
  const x = tf.tensor4d(randomArray(mulberry32(5), batch * 28 * 28).map((v) => Math.abs(v)), [batch, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10);
  const sides = (['convlab', 'stock'] as const).map((mode) => ({ mode, net: fashionCnn(), opt: tf.train.adam(0.002) }));
  const step = async (s: (typeof sides)[number]) => {
    kernels.use(s.mode);
    const t0 = performance.now();
    const loss = s.opt.minimize(() => tf.losses.softmaxCrossEntropy(y, s.net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true);
    await loss!.data();
    loss!.dispose();
    return performance.now() - t0;
  };
  try {
    // Warm-up: one real step per side compiles its pipelines (this model's steps are short enough).
    for (const s of sides) await step(s);
    const oursMs: number[] = [], stockMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      oursMs.push(await step(sides[0]));
      stockMs.push(await step(sides[1]));
    }
    const fmaGflops = await fmaCeiling();
    return { oursMs, stockMs, flops: fashionStepFlops(batch), fmaGflops };
  } finally {
    kernels.use('convlab');
    x.dispose(); y.dispose();
    for (const s of sides) { s.net.dispose(); s.opt.dispose(); }
  }
}

export interface LessonEpochResult { trainCount: number; steps: number; trainSeconds: number; imagesPerSecond: number; lastLoss: number; trainAccuracy: number; testAccuracy: number; testCount: number; mode: string }

/**
 * One epoch of the Fashion-MNIST lesson's full run as a learner gets it: train.fit with the lesson's settings
 * (batch 64, Adam lr 0.002, 60,000 images, the live plot off) on the kernels now installed, then
 * train.evaluate on all 10,000 test images. `limit` shortens it for a smoke run.
 */
export async function fashionEpoch(opts: { limit?: number; mode?: kernels.KernelMode; noReadAhead?: boolean } = {}): Promise<LessonEpochResult> {
  await tf.setBackend('webgpu');
  const mode = opts.mode ?? 'convlab';
  kernels.use(mode);
  const ds = await fashionMnist({ baseUrl: '/data/fashion-mnist/', cache: false, sink: null, limit: opts.limit });
  const model = fashionCnn();
  try {
    const t0 = performance.now();
    // noReadAhead: a no-op onBatch, which makes train.fit read every step before queuing the next (to measure the read-ahead).
    const onBatch = opts.noReadAhead ? () => {} : undefined;
    const h = await fit(model, ds, { epochs: 1, batchSize: 64, optimizer: 'adam', lr: 0.002, sink: null, evaluateEachEpoch: false, seed: 0, onBatch });
    const trainSeconds = (performance.now() - t0) / 1000;
    const ev = await evaluate(model, ds, { batchSize: 256, sink: null });
    return {
      trainCount: ds.train.count, steps: h.losses.length, trainSeconds, imagesPerSecond: ds.train.count / trainSeconds, lastLoss: h.losses[h.losses.length - 1],
      trainAccuracy: h.epochs[0]?.trainAccuracy ?? NaN, testAccuracy: ev.accuracy, testCount: ev.count, mode,
    };
  } finally {
    optimizerOf(model)?.dispose();
    model.dispose();
    kernels.use('convlab');
  }
}
