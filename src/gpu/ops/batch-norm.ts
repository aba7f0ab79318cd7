// Training-mode BatchNorm over the last axis as one op: batch statistics, normalisation and an optional ReLU
// forward, and dx, dgamma, dbeta backward, on our fused passes (kernels/batch-norm-train.ts) instead of
// tf.moments + tf.batchNorm and tfjs-core's autograd of both (a dozen kernels, most of them full passes).
// tf.layers' BatchNormalization reaches it through the hook in batch-norm-layer.ts while our kernels are on.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { Backend } from '../kernels/common';
import { storedAsFloat32 } from '../kernels/common';
import { bnBackward, bnNormalize, bnStatistics } from '../kernels/batch-norm-train';
import { bnTrainPlan } from '../programs/batch-norm-train';
import { onOurWebGPU } from '../registry';
import { countCall } from '../stats';

export interface BatchNormTrainingOptions {
  /** Added to the variance before the square root (tf.layers' default 1e-3). */
  epsilon?: number;
  /** Apply max(·, 0) to the output (its gradient masks dy). */
  relu?: boolean;
}

export interface BatchNormTrainingResult {
  /** The normalised (and optionally rectified) output; differentiable with respect to x, gamma and beta. */
  y: tf.Tensor;
  /** The batch statistics tf.moments gives over every axis but the last ([C], biased variance). No gradient flows through them. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Why our passes cannot take this problem, or null when they can. */
export function batchNormTrainingUnsupported(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): string | null {
  if (!onOurWebGPU()) return 'not on webgpu with ConvLab kernels';
  const backend = tf.backend() as unknown as Backend;
  // Data still held by another backend (a model built before switching to webgpu) moves on its first stock op.
  if (![x, gamma, beta].every((t) => backend.tensorMap.has(t.dataId))) return 'data on another backend';
  if (![x, gamma, beta].every((t) => storedAsFloat32(backend, t))) return 'dtype';
  const plan = bnTrainPlan(x.shape);
  if (!plan) return x.rank < 2 ? 'rank < 2' : 'empty';
  if (gamma.size !== plan.channels || beta.size !== plan.channels) return 'gamma/beta are not one value per channel';
  return null;
}

/** tf.layers' own composition (normalizeBatchInTraining for the last axis): any backend. */
function portable(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number, relu: boolean): BatchNormTrainingResult {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const normed = tf.batchNorm(x, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, epsilon);
  return { y: relu ? tf.relu(normed) : normed, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/**
 * BatchNorm in training mode over the last axis of x (NHWC's channels; rank ≥ 2): y = (x − mean)/√(variance + ε)
 * · gamma + beta with the batch's mean and biased variance, then ReLU when asked. gamma and beta hold one value
 * per channel. Gradients for x, gamma and beta equal tfjs-core's for tf.moments + tf.batchNorm (+ tf.relu).
 * On webgpu with our kernels: two passes forward, two backward; elsewhere, that tfjs composition.
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, opts: BatchNormTrainingOptions = {}): BatchNormTrainingResult {
  const epsilon = opts.epsilon ?? 1e-3;
  const relu = opts.relu ?? false;
  if (batchNormTrainingUnsupported(x, gamma, beta)) return portable(x, gamma, beta, epsilon, relu);
  const backend = tf.backend() as unknown as Backend;
  const plan = bnTrainPlan(x.shape)!;
  const wrap = (t: TensorInfo) => tf.engine().makeTensorFromTensorInfo(t);
  countCall('BatchNormTraining');
  // The statistics are computed outside the differentiated function: the gradient below already accounts for
  // how they depend on x, so they must not open a second path to it on the tape.
  const stats = bnStatistics(backend, plan, x);
  const packed = wrap(stats.packed);
  const op = tf.customGrad(((xIn: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: (t: tf.Tensor[]) => void) => {
    const value = wrap(bnNormalize(backend, plan, xIn, packed, g, b, epsilon, relu));
    save([xIn, g, b, packed]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, gs, bs, ps] = saved;
      const be = tf.backend() as unknown as Backend;
      countCall('BatchNormTrainingGrad');
      // A float32 dy over an integer buffer (tfjs's Cast only relabels): one stock multiply makes it real float32.
      const dyf = storedAsFloat32(be, dy) ? dy : tf.mul(dy, tf.scalar(1));
      const grads = bnBackward(be, plan, xs, dyf, ps, gs, bs, epsilon, relu);
      // gamma and beta may be [C] or any shape of C values ([1,1,1,C]): their gradients take that shape.
      const like = (info: TensorInfo, t: tf.Tensor) => (t.rank === 1 ? wrap(info) : tf.reshape(wrap(info), t.shape));
      return [wrap(grads.dx), like(grads.dgamma, gs), like(grads.dbeta, bs)];
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = (op as unknown as (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.Tensor)(x, gamma, beta);
  packed.dispose();
  return { y, mean: wrap(stats.mean) as tf.Tensor1D, variance: wrap(stats.variance) as tf.Tensor1D };
}
