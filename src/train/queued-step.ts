// One training step queued on the backend, with the read-back of what fit() reports about it already started.
// fit() keeps one such step in flight: it queues step k+1 before it waits for step k's loss, so the GPU works on
// step k+1 while JavaScript records step k and builds the next step's commands. Waiting for each step's loss
// before queuing the next left the GPU idle for the whole of that JavaScript time, every batch.
// The read of step k is started before step k+1 is queued: a WebGPU read-back resolves only after every command
// submitted before it, so a read started later would wait for step k+1 too.
import * as tf from '@tensorflow/tfjs';
import { lossAndLogits } from './loss';
import { gradientNorms } from './probes';

export interface QueuedStep {
  /** 1-based step, and 0-based epoch and batch within it, as fit() counts them. */
  step: number;
  epoch: number;
  batchInEpoch: number;
  labels: Uint8Array;
  /** Tensors alive while the step is in flight (loss, predictions, probe norms): fit() disposes them. */
  tensors: tf.Tensor[];
  /** tf.memory().numTensors right after the step was queued, less the previous step's in-flight tensors. */
  tensorCount: number;
  reading: Promise<{ loss: number; predicted: ArrayLike<number>; norms?: ArrayLike<number> }>;
}

export interface StepInputs {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  varList: tf.Variable[];
  fromLogits: boolean;
  /** Probe groups whose gradient norms to take, or null without probes. */
  probeGroups: Parameters<typeof gradientNorms>[0] | null;
}

/**
 * Runs one optimizer step on (x, y) and starts reading its loss and predicted classes (and probe norms) back.
 * x and y are the caller's; on an exception every tensor the step made is disposed before it propagates.
 */
export function queueStep(s: StepInputs, x: tf.Tensor, y: tf.Tensor, where: Pick<QueuedStep, 'step' | 'epoch' | 'batchInEpoch' | 'labels'>, previousInFlight: number): QueuedStep {
  // The argmax is kept out of minimize's tidy so train accuracy costs no second forward pass.
  const kept: { loss?: tf.Scalar; predicted?: tf.Tensor; norms?: tf.Tensor } = {};
  try {
    const lossOf = () => {
      const { loss, logits } = lossAndLogits(s.model, x, y, s.fromLogits, true);
      kept.predicted = tf.keep(tf.argMax(logits, 1));
      return loss;
    };
    if (s.probeGroups) {
      // minimize() split in two, so the norms are taken from the very gradients the optimizer applies.
      const { value, grads } = s.optimizer.computeGradients(lossOf, s.varList);
      kept.loss = value;
      try {
        kept.norms = gradientNorms(s.probeGroups, grads);
        s.optimizer.applyGradients(s.varList.map((v) => ({ name: v.name, tensor: grads[v.name] })));
      } finally {
        tf.dispose(grads);
      }
    } else {
      kept.loss = s.optimizer.minimize(lossOf, true, s.varList) as tf.Scalar;
    }
  } catch (err) {
    tf.dispose([kept.loss, kept.predicted, kept.norms].filter((t): t is tf.Tensor => t !== undefined));
    throw err;
  }
  const { loss, predicted, norms } = kept as { loss: tf.Scalar; predicted: tf.Tensor; norms?: tf.Tensor };
  const reading = Promise.all([loss.data(), predicted.data(), norms?.data()])
    .then(([l, p, n]) => ({ loss: l[0], predicted: p, norms: n }));
  // A read that is never awaited (the step was dropped by an interrupt) must not report an unhandled rejection.
  reading.catch(() => undefined);
  const tensors = norms ? [loss, predicted, norms] : [loss, predicted];
  return { ...where, tensors, tensorCount: tf.memory().numTensors - previousInFlight, reading };
}
