// How fast this adapter trains a given model, so a lesson can say how long its default run will take before it
// starts one: the same network trains in minutes on a laptop GPU and in hours where WebGPU is emulated on the CPU.
import type * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/dataset';
import { systemClock, type Clock } from '../plots/sink';
import { fit, optimizerOf } from './fit';
import type { OptimizerName } from './optimizers';

export interface ImagesPerSecondOptions {
  /** The batch size the real run will use (throughput depends on it). Default 64, as train.fit. */
  batchSize?: number;
  /** Batches timed after the untimed first one. More is steadier, fewer is quicker. Default 3. */
  timedBatches?: number;
  /** The real run's optimizer: Adam's extra state costs time too. Default 'adam'. */
  optimizer?: OptimizerName;
  /** Milliseconds now; tests pass a fake. */
  clock?: Clock;
}

/**
 * Training images per second on this adapter, measured on a throwaway model from `makeModel` (so the model you then
 * train starts from scratch): one batch first, untimed, because it compiles the GPU programs, then `timedBatches`
 * timed ones. The throwaway model and its optimizer are disposed before it returns.
 */
export async function imagesPerSecond(
  makeModel: () => tf.LayersModel,
  dataset: ImageDataset,
  opts: ImagesPerSecondOptions = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 64;
  const timedBatches = opts.timedBatches ?? 3;
  if (!Number.isInteger(timedBatches) || timedBatches < 1) {
    throw new Error(`train.imagesPerSecond: timedBatches must be a whole number ≥ 1, got ${String(timedBatches)}`);
  }
  const clock = opts.clock ?? systemClock;
  const quiet = { batchSize, optimizer: opts.optimizer ?? 'adam', plot: false, evaluateEachEpoch: false, sink: null, seed: 99 } as const;
  const copy = makeModel();
  try {
    await fit(copy, dataset, { ...quiet, maxSteps: 1 });
    const started = clock();
    const history = await fit(copy, dataset, { ...quiet, maxSteps: timedBatches });
    // One epoch at most: a training split smaller than the timed batches ends them early, with a partial last batch.
    const images = Math.min(history.losses.length * batchSize, dataset.train.count);
    return images / Math.max((clock() - started) / 1000, 1e-9);
  } finally {
    optimizerOf(copy)?.dispose();
    copy.dispose();
  }
}

/** Seconds as a person reads them: "45 s", "12 min", "2.5 h". */
export function readableTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
