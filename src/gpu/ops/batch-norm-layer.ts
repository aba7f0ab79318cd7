// Routes tf.layers' BatchNormalization in training onto the fused op (batch-norm.ts) while our kernels are on.
//
// Why a patch of the layer class's call: the layer computes its batch statistics with tf.moments and
// normalises with tf.batchNorm, and tfjs-core differentiates that composition op by op; no registered kernel
// sees "training BatchNorm" as one thing, so replacing kernels (as the registry does for convolutions) cannot
// fuse it. Wrapping BatchNormalization.prototype.call reaches every instance (nn's blocks, lesson models,
// a learner's own tf.layers code) without any of them importing the kernel layer, and restoring the original
// function on kernels.use('stock') makes stock behaviour literally tfjs's again.
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining, batchNormTrainingUnsupported } from './batch-norm';
import { onOurWebGPU } from '../registry';
import { countFallback } from '../stats';
import type { BatchNormLayerFields as BatchNormLayer } from '../../nn/ops/batch-norm-training';

type Kwargs = Record<string, unknown> | undefined;
type Call = (this: BatchNormLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];

const COUNTER = 'BatchNormTraining';

/**
 * Why this call stays on tfjs-layers' own path, or null when the fused op takes it. Inference and anything not
 * on our webgpu kernels decline silently (nothing of ours applies); the rest is counted as a fallback.
 */
function decline(layer: BatchNormLayer, x: tf.Tensor | undefined, training: boolean): { why: string; counted: boolean } | null {
  if (!training || !onOurWebGPU()) return { why: '', counted: false };
  if (!(x instanceof tf.Tensor)) return { why: 'not exactly one input tensor', counted: true };
  if (x.rank < 2 || x.rank > 4) return { why: `rank ${x.rank} (tf.layers normalises ranks 2 to 4)`, counted: true };
  const axis = layer.axis >= 0 ? layer.axis : layer.axis + x.rank;
  if (axis !== x.rank - 1) return { why: `axis ${layer.axis} is not the last`, counted: true };
  // tfjs-layers' training path reads gamma and beta unconditionally (it throws without them): keep that.
  if (!layer.scale || !layer.center || !layer.gamma || !layer.beta) return { why: 'center or scale off', counted: true };
  const why = batchNormTrainingUnsupported(x, layer.gamma.read(), layer.beta.read());
  return why ? { why, counted: true } : null;
}

/** BatchNormalization.call for training on the fused op; moving averages updated exactly as tfjs-layers does. */
function fusedCall(layer: BatchNormLayer, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { y, mean, variance } = batchNormTraining(x, layer.gamma!.read(), layer.beta!.read(), { epsilon: layer.epsilon });
    // tfjs-layers' doMovingAverage, op for op: moving ← moving − (moving − batch)·(1 − momentum).
    for (const [variable, value] of [[layer.movingMean, mean], [layer.movingVariance, variance]] as const) {
      tf.tidy(() => {
        const decay = 1 - layer.momentum;
        const orig = variable.read();
        variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
      });
    }
    return y;
  });
}

let original: Call | null = null;

/**
 * BatchNormalization.prototype, from the class tfjs-layers registers for deserialisation (it does not export
 * it). Not from a throwaway instance: an unnamed layer would take a name ("batch_normalization_N") from the
 * counter that names the learner's next layer.
 */
function prototypeOfBatchNormalization(): { call: Call } {
  const registered = tf.serialization.SerializationMap.getMap().classNameMap['BatchNormalization']?.[0];
  const proto = (registered?.prototype ?? Object.getPrototypeOf(tf.layers.batchNormalization({ name: 'convlab_bn_prototype' }))) as { call?: Call };
  if (typeof proto.call !== 'function') throw new Error('tfjs-layers\' BatchNormalization has no call method to wrap');
  return proto as { call: Call };
}

/** Installs (on) or removes (off) the wrapper around BatchNormalization.prototype.call. Idempotent. */
export function connectBatchNormLayer(on: boolean): void {
  const proto = prototypeOfBatchNormalization();
  if (on && !original) {
    const stock = proto.call;
    original = stock;
    proto.call = function (this: BatchNormLayer, inputs, kwargs) {
      const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : undefined) : inputs;
      const no = decline(this, x, Boolean(kwargs?.['training']));
      if (!no) return fusedCall(this, x!);
      if (no.counted) countFallback(COUNTER, no.why);
      return stock.call(this, inputs, kwargs);
    };
  } else if (!on && original) {
    proto.call = original;
    original = null;
  }
}

/** Whether the wrapper is installed (for tests). */
export function batchNormLayerConnected(): boolean {
  return original !== null;
}
