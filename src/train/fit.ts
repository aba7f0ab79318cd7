// The training loop behind `await train.fit(model, ds, {...})`.
// One optimizer.minimize per batch (gradients are created and disposed inside it, so tensor counts stay
// flat), one step in flight while the previous one's loss is read back (queued-step.ts), a live plot of the
// loss per batch and accuracies per epoch, a progress bar, and a checkpoint() between batches so Interrupt
// stops within a batch or two and leaves the weights as trained so far.
import * as tf from '@tensorflow/tfjs';
import { checkpoint, InterruptedError } from '../cell/context';
import type { ImageDataset } from '../data/dataset';
import { LivePlot } from '../plots/live-plot';
import { Progress } from '../plots/progress';
import { cellSink, systemClock, type Clock, type DisplaySink } from '../plots/sink';
import { evaluate } from './evaluate';
import { History } from './history';
import { createOptimizer, type OptimizerName } from './optimizers';
import { outputsLogits } from './loss';
import { checkDataset, checkModel } from './check-args';
import { assertFiniteLoss } from './nan-guard';
import { probeGroups, TrainingProbes } from './probes';
import { queueStep, type QueuedStep } from './queued-step';
import { shapeStripBundle } from './shape-strip';
import { stepEnded, stepStarted } from './step-hooks';

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
  /** Called after every batch; awaited. Training then reads each step's loss before queuing the next (no read-ahead). */
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

/**
 * Waits one timer turn, so timers already due run (the notebook kernel sends printed output, e.g. onBatch's, on a
 * timer). With a step in flight the loop rarely waits for the GPU, and checkpoint()'s message-channel turn alone
 * let output reach the page several batches late, which made an Interrupt look slow.
 */
const timersDue = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

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

  // Without an onBatch one step stays in flight (queued-step.ts): step k+1 is queued before step k's loss is
  // awaited and recorded. An interrupt drops the step in flight unread; its update is already in the weights.
  let inFlight: QueuedStep | null = null;
  // With an onBatch callback every step is read before the next is queued: the callback sees the model as its
  // step left it (weights, memory), as a callback after each batch is expected to, and nothing runs ahead of it.
  const readAhead = !opts.onBatch;
  const stepInputs = { model, optimizer, varList, fromLogits, probeGroups: probes ? probes.probeGroupList : null };
  let correct = 0, seen = 0;
  /** Waits for a queued step's values, releases its tensors (then calls `released`), records and reports it. */
  const settle = async (q: QueuedStep, released: () => void = () => {}) => {
    let values: Awaited<QueuedStep['reading']>;
    try {
      values = await q.reading;
    } finally {
      tf.dispose(q.tensors);
      released();
    }
    assertFiniteLoss(values.loss, { step: q.step, epoch: q.epoch + 1, batch: q.batchInEpoch + 1 });
    for (let i = 0; i < q.labels.length; i++) if (values.predicted[i] === q.labels[i]) correct++;
    seen += q.labels.length;
    history.recordBatch(q.step, q.epoch, values.loss, q.tensorCount);
    plot?.add([q.step, values.loss, null, null]);
    if (values.norms) probes?.recordStep(q.step, values.norms as Float32Array);
    const elapsed = (clock() - started) / 1000;
    const perSec = (q.step * batchSize) / Math.max(elapsed, 1e-9);
    progress.update(q.step, `epoch ${q.epoch + 1}/${epochs} · batch ${q.batchInEpoch + 1}/${stepsPerEpoch} · ${perSec.toFixed(1)} img/s · ETA ${fmtTime(((totalSteps - q.step) * batchSize) / perSec)}`);
    if (clock() - lastResources > 500) { sink?.reportResources?.(); lastResources = clock(); }
    await opts.onBatch?.({ epoch: q.epoch, step: q.step, loss: values.loss });
  };
  /** Settles the step in flight, if any (before an epoch's accuracies, and at the end). */
  const drain = async () => {
    const q = inFlight;
    inFlight = null;
    if (q) await settle(q);
  };

  try {
    for (let epoch = 0; epoch < epochs && step < totalSteps; epoch++) {
      correct = 0; seen = 0;
      const batches = ds.batches('train', batchSize, { shuffle: true, seed: (opts.seed ?? 0) + epoch });
      for (let batchInEpoch = 0; step < totalSteps; batchInEpoch++) {
        await checkpoint();
        if (opts.signal?.aborted) throw new InterruptedError('Training stopped');
        const next = batches.next();
        if (next.done) break;
        const { x, y, labels } = next.value;
        stepStarted();
        const previous = inFlight;
        try {
          inFlight = queueStep(stepInputs, x, y, { step: step + 1, epoch, batchInEpoch, labels }, previous?.tensors.length ?? 0);
        } finally {
          tf.dispose([x, y]);
        }
        step++;
        // The step boundary for the hooks: this batch and the previous step's tensors are released here.
        if (readAhead) {
          if (previous) await settle(previous, stepEnded);
          else stepEnded();
          await timersDue();
        } else {
          const q = inFlight;
          inFlight = null;
          await settle(q, stepEnded);
        }
      }
      await drain();
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
    // The step in flight when training stops (interrupt, error) is not read: its loss never reaches the history.
    if (inFlight) tf.dispose((inFlight as QueuedStep).tensors);
    inFlight = null;
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
