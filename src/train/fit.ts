// The training loop behind `await train.fit(model, ds, {...})`.
// One optimizer.minimize per batch (gradients are created and disposed inside it, so tensor counts stay
// flat), a live plot of the loss per batch and accuracies per epoch, a progress bar, and a checkpoint()
// between batches so Interrupt stops within a batch or two and leaves the weights as trained so far.
import * as tf from '@tensorflow/tfjs';
import { checkpoint, InterruptedError } from '../cell/context';
import type { ImageDataset } from '../data/dataset';
import { LivePlot } from '../plots/live-plot';
import { Progress } from '../plots/progress';
import { cellSink, systemClock, type Clock, type DisplaySink } from '../plots/sink';
import { evaluate } from './evaluate';
import { History } from './history';
import { createOptimizer, type OptimizerName } from './optimizers';
import { lossAndLogits, outputsLogits } from './loss';
import { checkDataset, checkModel } from './check-args';
import { assertFiniteLoss } from './nan-guard';
import { gradientNorms, probeGroups, TrainingProbes } from './probes';
import { shapeStripBundle } from './shape-strip';

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  /** Learning rate. Default 0.1 for sgd/momentum (d2l's DenseNet setting), 0.001 for the adaptive ones. */
  lr?: number;
  optimizer?: OptimizerName | tf.Optimizer;
  /** Stop after this many batches in total (quick experiments, tests). */
  maxSteps?: number;
  /** Live loss/accuracy plot (default true). */
  plot?: boolean;
  /** Test accuracy after each epoch (default true). */
  evaluateEachEpoch?: boolean;
  /** Images of the test split used for the per-epoch accuracy (default: all). */
  testLimit?: number;
  /** Shuffling seed; epoch e uses seed + e. */
  seed?: number;
  /** Default: inferred from the last layer (softmax → probabilities, anything else → logits). */
  fromLogits?: boolean;
  /** A Stop button's signal: ends training like Interrupt (InterruptedError, weights kept), without stopping the cell's other work. */
  signal?: AbortSignal;
  /**
   * Training probes: each block's gradient norm (global L2 over its parameters) at every step and, for a model with
   * SE blocks, each one's mean gate per epoch, drawn live under the loss curve and kept as `history.probes`.
   */
  probes?: boolean;
  /** Called after every batch; awaited. */
  onBatch?: (info: { epoch: number; step: number; loss: number }) => void | Promise<void>;
  sink?: DisplaySink | null;
  clock?: Clock;
}

/** Variables a LayersModel trains: LayerVariable.read() is the tf.Variable the optimizer updates. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Optimizer state lives as long as the model, as with Keras' compile(): a second fit() continues Adam's moments. */
const optimizers = new WeakMap<tf.LayersModel, { key: string; optimizer: tf.Optimizer }>();

function optimizerFor(model: tf.LayersModel, opts: FitOptions): tf.Optimizer {
  // tf.Optimizer's instanceof check reads .minimize, so rule out names first.
  if (typeof opts.optimizer === 'object' && opts.optimizer instanceof tf.Optimizer) return opts.optimizer;
  const name = opts.optimizer ?? 'sgd';
  const key = `${name}:${opts.lr ?? ''}`;
  const known = optimizers.get(model);
  if (known && known.key === key) return known.optimizer;
  known?.optimizer.dispose();
  const optimizer = createOptimizer(name, opts.lr);
  optimizers.set(model, { key, optimizer });
  return optimizer;
}

/** The optimizer fit() keeps for this model (e.g. to count its state tensors), if any. */
export function optimizerOf(model: tf.LayersModel): tf.Optimizer | undefined {
  return optimizers.get(model)?.optimizer;
}

let lastHistory: History | null = null;
/** The history of the latest fit(), also when it ended with an interrupt. */
export function latestHistory(): History | null {
  return lastHistory;
}

const fmtTime = (s: number) => (isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}` : '?');

export async function fit(model: tf.LayersModel, ds: ImageDataset, opts: FitOptions = {}): Promise<History> {
  checkModel('train.fit', model);
  checkDataset('train.fit', ds);
  const epochs = opts.epochs ?? 1;
  const batchSize = opts.batchSize ?? 64;
  const fromLogits = opts.fromLogits ?? outputsLogits(model);
  const clock = opts.clock ?? systemClock;
  const sink = opts.sink === undefined ? cellSink() : opts.sink;
  const tensorsBefore = tf.memory().numTensors;
  const optimizer = optimizerFor(model, opts);
  const varList = trainableVariables(model);
  const stepsPerEpoch = ds.numBatches('train', batchSize);
  const totalSteps = Math.min(epochs * stepsPerEpoch, opts.maxSteps ?? Infinity);

  const history = new History(ds.classNames.length);
  history.tensorsBefore = tensorsBefore;
  lastHistory = history;
  const plot = opts.plot === false ? null : new LivePlot({
    title: 'Training', xLabel: 'batch', yLabel: 'loss', y2Label: 'accuracy', sink, clock,
    series: [{ label: 'train loss' }, { label: 'train acc', axis: 'y2' }, { label: 'test acc', axis: 'y2' }],
  });
  history.plot = plot;
  plot?.show();
  // Beside the loss curve, the model's channels along depth (only where the curve is shown).
  const strip = plot && sink ? shapeStripBundle(model, [ds.imageSize, ds.imageSize, 1]) : null;
  if (strip) sink?.display(strip);
  const probes = opts.probes ? new TrainingProbes(model, probeGroups(model), { plot: opts.plot !== false, sink, clock }) : null;
  history.probes = probes;
  probes?.show();
  const progress = new Progress('Training', totalSteps, { sink, clock });
  const started = clock();
  let lastResources = -Infinity;
  let step = 0;

  try {
    for (let epoch = 0; epoch < epochs && step < totalSteps; epoch++) {
      let correct = 0, seen = 0;
      const batches = ds.batches('train', batchSize, { shuffle: true, seed: (opts.seed ?? 0) + epoch });
      for (let batchInEpoch = 0; step < totalSteps; batchInEpoch++) {
        await checkpoint();
        if (opts.signal?.aborted) throw new InterruptedError('Training stopped');
        const next = batches.next();
        if (next.done) break;
        const { x, y, labels } = next.value;
        // The argmax is kept out of minimize's tidy so train accuracy costs no second forward pass.
        const kept: { loss?: tf.Scalar; predicted?: tf.Tensor; norms?: tf.Tensor } = {};
        try {
          const lossOf = () => {
            const { loss, logits } = lossAndLogits(model, x, y, fromLogits, true);
            kept.predicted = tf.keep(tf.argMax(logits, 1));
            return loss;
          };
          if (probes) {
            // minimize() split in two, so the norms are taken from the very gradients the optimizer applies.
            const { value, grads } = optimizer.computeGradients(lossOf, varList);
            kept.loss = value;
            try {
              kept.norms = gradientNorms(probes.probeGroupList, grads);
              optimizer.applyGradients(varList.map((v) => ({ name: v.name, tensor: grads[v.name] })));
            } finally {
              tf.dispose(grads);
            }
          } else {
            kept.loss = optimizer.minimize(lossOf, true, varList) as tf.Scalar;
          }
          const [lossValue, preds, norms] = await Promise.all([kept.loss.data(), kept.predicted!.data(), kept.norms?.data()]);
          assertFiniteLoss(lossValue[0], { step: step + 1, epoch: epoch + 1, batch: batchInEpoch + 1 });
          for (let i = 0; i < labels.length; i++) if (preds[i] === labels[i]) correct++;
          seen += labels.length;
          step++;
          history.recordBatch(step, epoch, lossValue[0], tf.memory().numTensors);
          plot?.add([step, lossValue[0], null, null]);
          if (norms) probes?.recordStep(step, norms);
        } finally {
          tf.dispose([x, y, kept.loss, kept.predicted, kept.norms].filter((t): t is tf.Tensor => t !== undefined));
        }
        const elapsed = (clock() - started) / 1000;
        const perSec = (step * batchSize) / Math.max(elapsed, 1e-9);
        progress.update(step, `epoch ${epoch + 1}/${epochs} · batch ${batchInEpoch + 1}/${stepsPerEpoch} · ${perSec.toFixed(1)} img/s · ETA ${fmtTime(((totalSteps - step) * batchSize) / perSec)}`);
        if (clock() - lastResources > 500) { sink?.reportResources?.(); lastResources = clock(); }
        await opts.onBatch?.({ epoch, step, loss: history.losses[history.losses.length - 1] });
      }
      const trainAcc = seen ? correct / seen : NaN;
      let testAcc: number | null = null;
      if (opts.evaluateEachEpoch !== false) {
        const ev = await evaluate(model, ds, { split: 'test', limit: opts.testLimit, batchSize: Math.max(batchSize, 64), fromLogits, sink: null });
        testAcc = ev.accuracy;
      }
      history.recordEpoch(epoch, step, trainAcc, testAcc);
      plot?.add([step, null, trainAcc, testAcc]);
      await probes?.recordEpoch(model, ds, epoch);
    }
  } catch (err) {
    if (err instanceof InterruptedError) {
      history.interrupted = true;
      (err as InterruptedError & { history?: History }).history = history;
    }
    throw err;
  } finally {
    plot?.flush();
    probes?.flush();
    history.tensorsAfter = tf.memory().numTensors;
    history.seconds = (clock() - started) / 1000;
    const last = history.epochs[history.epochs.length - 1];
    progress.done(history.interrupted
      ? `interrupted after ${step} batches; the weights keep what was learned so far`
      : `${step} batches in ${fmtTime(history.seconds)}${last ? ` · train acc ${last.trainAccuracy.toFixed(3)}${last.testAccuracy !== null ? ` · test acc ${last.testAccuracy.toFixed(3)}` : ''}` : ''}`,
    { value: step });
    sink?.reportResources?.();
  }
  return history;
}
