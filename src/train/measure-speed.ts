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

export interface SpeedMeasurement {
  /** Training images per second over the timed batches. */
  imagesPerSecond: number;
  /** The untimed first batch, start to end: mostly compiling the model's GPU programs the first time they are met. */
  firstStepSeconds: number;
  batchSize: number;
  timedBatches: number;
}

/**
 * How fast this adapter trains a model from `makeModel`, measured on a throwaway copy (so the model you then train
 * starts from scratch): one batch first, timed on its own because it compiles the GPU programs, then `timedBatches`
 * batches whose images per second are the steady speed. The throwaway model and its optimizer are disposed before it
 * returns. With the system clock, both spans are also recorded as User Timing measures (`train:first-step`,
 * `train:timed-steps`), which `npm run bench:lessons` reads from the kernel worker.
 */
export async function measureSpeed(
  makeModel: () => tf.LayersModel,
  dataset: ImageDataset,
  opts: ImagesPerSecondOptions = {},
): Promise<SpeedMeasurement> {
  const batchSize = opts.batchSize ?? 64;
  const timedBatches = opts.timedBatches ?? 3;
  if (!Number.isInteger(timedBatches) || timedBatches < 1) {
    throw new Error(`train.imagesPerSecond: timedBatches must be a whole number ≥ 1, got ${String(timedBatches)}`);
  }
  const clock = opts.clock ?? systemClock;
  const quiet = { batchSize, optimizer: opts.optimizer ?? 'adam', plot: false, evaluateEachEpoch: false, sink: null, seed: 99 } as const;
  const copy = makeModel();
  try {
    const begun = clock();
    await fit(copy, dataset, { ...quiet, maxSteps: 1 });
    const started = clock();
    const history = await fit(copy, dataset, { ...quiet, maxSteps: timedBatches });
    const ended = clock();
    // One epoch at most: a training split smaller than the timed batches ends them early, with a partial last batch.
    const images = Math.min(history.losses.length * batchSize, dataset.train.count);
    const result = { imagesPerSecond: images / Math.max((ended - started) / 1000, 1e-9), firstStepSeconds: (started - begun) / 1000, batchSize, timedBatches };
    if (clock === systemClock) recordSpans(begun, started, ended, result);
    return result;
  } finally {
    optimizerOf(copy)?.dispose();
    copy.dispose();
  }
}

function recordSpans(begun: number, started: number, ended: number, detail: SpeedMeasurement): void {
  try {
    performance.measure('train:first-step', { start: begun, end: started, detail });
    performance.measure('train:timed-steps', { start: started, end: ended, detail });
  } catch {
    // A clock other than performance.now() underneath, or no User Timing: the numbers are returned either way.
  }
}

/** Training images per second on this adapter: measureSpeed's steady speed, for a lesson's time estimate. */
export async function imagesPerSecond(
  makeModel: () => tf.LayersModel,
  dataset: ImageDataset,
  opts: ImagesPerSecondOptions = {},
): Promise<number> {
  return (await measureSpeed(makeModel, dataset, opts)).imagesPerSecond;
}

/** Seconds as a person reads them: "45 s", "12 min", "2.5 h". */
export function readableTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
