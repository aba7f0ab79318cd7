// Small DenseNet training run used by e2e/kernels-training.spec.ts: nn's own d2l DenseNet builder
// (nn.d2l.densenet: 7×7/2 stem + BN + ReLU + 3×3/2 max-pool, DenseBlocks of BN → ReLU → 3×3 conv, a halving
// Transition, BN, ReLU, global pool, dense 10) for 28×28×1 input. With our kernels on, its DenseBlocks go
// through the kernel layer's dense-block path (shared buffer, recomputation in backward); with 'stock',
// through plain concatenation on tfjs's kernels. Same initial weights (BN moving statistics included) and same
// batches for both; returns every step's loss.
import * as tf from '@tensorflow/tfjs';
import * as kernels from '../gpu';
import { densenet } from '../nn/models/d2l';
import { mulberry32, randomArray } from './rng';

export interface TrainingOptions { steps: number; batch: number; seed: number; blocks?: number; layersPerBlock?: number; growth?: number; stem?: number }

export async function trainingRun(opts: TrainingOptions): Promise<{ convlab: number[]; stock: number[]; stats: Record<string, unknown>; ms: Record<string, number[]>; warmUp: Record<string, unknown> }> {
  await tf.setBackend('webgpu');
  const rand = mulberry32(opts.seed);
  const xs = Array.from({ length: opts.steps }, () => randomArray(rand, opts.batch * 28 * 28));
  const ys = Array.from({ length: opts.steps }, () => Array.from({ length: opts.batch }, () => Math.floor(rand() * 10)));
  const model = densenet({
    inputShape: [28, 28, 1],
    blockConfig: new Array(opts.blocks ?? 2).fill(opts.layersPerBlock ?? 3),
    growthRate: opts.growth ?? 8,
    initFeatures: opts.stem ?? 16,
  });
  const initial = model.getWeights().map((w) => w.clone());
  const ms: Record<string, number[]> = {};
  const step = (optimizer: tf.Optimizer, s: number) => optimizer.minimize(() => tf.tidy(() => {
    const x = tf.tensor4d(xs[s], [opts.batch, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(ys[s], 'int32'), 10);
    return tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
  }), true);
  const warmUp: Record<string, unknown> = {};
  const run = async (mode: kernels.KernelMode) => {
    kernels.use(mode);
    // One step in compile-only mode: every pipeline the step needs (ours and tfjs's) compiles in parallel
    // instead of one by one inside the first step. It leaves garbage in the weights: reset just below.
    warmUp[mode] = await kernels.warmUp(() => { step(tf.train.sgd(0.05), 0)?.dispose(); });
    model.setWeights(initial);
    // Count only the real steps' kernel calls.
    kernels.resetStats();
    const optimizer = tf.train.sgd(0.05);
    const losses: number[] = [];
    ms[mode] = [];
    for (let s = 0; s < opts.steps; s++) {
      const t0 = performance.now();
      const loss = step(optimizer, s);
      losses.push((await loss!.data())[0]);
      loss!.dispose();
      ms[mode].push(Math.round(performance.now() - t0));
    }
    optimizer.dispose();
    return losses;
  };
  // Stock first: its compile-only step compiles the tfjs pipelines both runs share, so the second one's
  // compile time is what our kernels add.
  const stock = await run('stock');
  const convlab = await run('convlab');
  const stats = kernels.stats('convlab').kernels;
  kernels.use('convlab');
  initial.forEach((t) => t.dispose());
  model.dispose();
  return { convlab, stock, stats, ms, warmUp };
}
