// Small DenseNet training run used by e2e/kernels-training.spec.ts: same initial weights and batches with our
// kernels and with the stock ones, returning the loss of every step.
import * as tf from '@tensorflow/tfjs';
import * as kernels from '../kernels';
import { buildDenseNet } from './models';
import { mulberry32, randomArray } from './rng';

export async function trainingRun(opts: { steps: number; batch: number; seed: number }): Promise<{ convlab: number[]; stock: number[]; stats: unknown; ms: Record<string, number[]> }> {
  await tf.setBackend('webgpu');
  const rand = mulberry32(opts.seed);
  const xs = Array.from({ length: opts.steps }, () => randomArray(rand, opts.batch * 28 * 28));
  const ys = Array.from({ length: opts.steps }, () => Array.from({ length: opts.batch }, () => Math.floor(rand() * 10)));
  const model = buildDenseNet({ blocks: 2, layersPerBlock: 3, growth: 8, stem: 16, seed: opts.seed });
  const initial = model.getWeights().map((w) => w.clone());
  const ms: Record<string, number[]> = {};
  const run = async (mode: kernels.KernelMode) => {
    kernels.use(mode);
    model.setWeights(initial);
    const optimizer = tf.train.sgd(0.05);
    const losses: number[] = [];
    ms[mode] = [];
    for (let s = 0; s < opts.steps; s++) {
      const t0 = performance.now();
      const loss = optimizer.minimize(() => tf.tidy(() => {
        const x = tf.tensor4d(xs[s], [opts.batch, 28, 28, 1]);
        const y = tf.oneHot(tf.tensor1d(ys[s], 'int32'), 10);
        return tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
      }), true);
      losses.push((await loss!.data())[0]);
      loss!.dispose();
      ms[mode].push(Math.round(performance.now() - t0));
    }
    optimizer.dispose();
    return losses;
  };
  kernels.resetStats();
  const convlab = await run('convlab');
  const stats = kernels.stats().kernels;
  const stock = await run('stock');
  kernels.use('convlab');
  initial.forEach((t) => t.dispose());
  model.dispose();
  return { convlab, stock, stats, ms };
}
