// The dense block's forward, kept behind a hook so the kernel layer can run it on its memory-efficient
// path (one preallocated [N,H,W,C0+L·k] buffer, each layer recomputed during backward) without nn
// importing the kernel layer or the webgpu backend. With no hook (or a hook that declines), DenseBlock
// concatenates as usual.
import * as tf from '@tensorflow/tfjs';
import { batchNormTrainingImpl, type BatchNormLayerFields } from './batch-norm-training';

/** One dense layer as a pure function of its input and explicit parameter tensors. */
export interface DenseLayerFn {
  /** Channels this layer adds (the growth rate k). */
  outChannels: number;
  /** Every tensor the layer reads (weights, BN scale/offset, and moving statistics in inference), in order. */
  params: tf.Tensor[];
  /**
   * y = layer(input) computed from `params` only (never from the variables), so that a recomputation during
   * backward differentiates with respect to exactly these tensors. Side effects (BN moving averages) happen
   * only when `recompute` is false: the hook calls it once with false per forward pass.
   */
  apply(input: tf.Tensor4D, params: tf.Tensor[], recompute: boolean): tf.Tensor4D;
}

/**
 * Runs x_{l+1} = concat(x_l, layer_l(x_l)) and returns the final concatenation, with gradients to x0 and
 * every layer's params; or null to let DenseBlock use its plain concatenation (e.g. not on WebGPU).
 */
export type DenseBlockImpl = (x0: tf.Tensor4D, layers: DenseLayerFn[]) => tf.Tensor4D | null;

let impl: DenseBlockImpl | null = null;

/** For the kernel layer: route dense blocks through `next`; null restores plain concatenation. */
export function setDenseBlockImpl(next: DenseBlockImpl | null): void {
  impl = next;
}

export function denseBlockImpl(): DenseBlockImpl | null {
  return impl;
}

interface ConvLayer {
  kernel: tf.LayerVariable;
  bias?: tf.LayerVariable | null;
  strides: number[];
  padding: string;
  dilationRate: number[];
  dataFormat: string;
  activation: { getClassName(): string };
}

/** A BN → ReLU → conv step as DenseLayerFn pieces: which params it takes and how it applies them. */
export interface FunctionalStep {
  params: tf.Tensor[];
  apply(x: tf.Tensor4D, params: tf.Tensor[], recompute: boolean): tf.Tensor4D;
}

/**
 * tfjs-layers' BatchNormalization (axis −1) → ReLU → Conv2D (linear activation), computed from explicit
 * params with the same ops the layers use (tf.moments, batchNorm, fused.conv2d), so that both paths give
 * the same numbers; in training the kernel layer may take BN + ReLU as one fused op (batch-norm-training.ts). In training the batch statistics normalise and, unless recomputing, update the moving
 * averages exactly as BatchNormalization.call does: moving ← moving − (moving − batch)·(1 − momentum).
 */
export function functionalBnReluConv(normLayer: tf.layers.Layer, convLayer: tf.layers.Layer, training: boolean): FunctionalStep {
  const bn = normLayer as unknown as BatchNormLayerFields;
  const cv = convLayer as unknown as ConvLayer;
  if (bn.axis !== -1 && bn.axis !== 3) throw new Error(`${normLayer.name}: the dense-block path supports channel-last BN only`);
  if (cv.dataFormat !== 'channelsLast') throw new Error(`${convLayer.name}: the dense-block path supports NHWC convs only`);
  if (cv.activation.getClassName() !== 'linear') throw new Error(`${convLayer.name}: the dense-block path expects a linear conv`);
  const hasGamma = bn.scale && bn.gamma != null;
  const hasBeta = bn.center && bn.beta != null;
  const hasBias = cv.bias != null;
  const params: tf.Tensor[] = [];
  if (hasGamma) params.push(bn.gamma!.read());
  if (hasBeta) params.push(bn.beta!.read());
  if (!training) params.push(bn.movingMean.read(), bn.movingVariance.read());
  params.push(cv.kernel.read());
  if (hasBias) params.push(cv.bias!.read());

  const apply = (x: tf.Tensor4D, ps: tf.Tensor[], recompute: boolean): tf.Tensor4D => {
    let i = 0;
    const gamma = hasGamma ? (ps[i++] as tf.Tensor1D) : undefined;
    const beta = hasBeta ? (ps[i++] as tf.Tensor1D) : undefined;
    let activated: tf.Tensor4D;
    if (training) {
      // The kernel layer's fused BN + ReLU when it takes the call (it needs both gamma and beta), else tfjs's ops.
      const fused = gamma && beta ? batchNormTrainingImpl()?.(x, gamma, beta, bn.epsilon, true) ?? null : null;
      let mean: tf.Tensor, variance: tf.Tensor;
      if (fused) {
        ({ mean, variance } = fused);
        activated = fused.y;
      } else {
        ({ mean, variance } = tf.moments(x, [0, 1, 2]));
        activated = tf.relu(tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, bn.epsilon));
      }
      if (!recompute) {
        const decay = 1 - bn.momentum;
        for (const [v, batch] of [[bn.movingMean, mean], [bn.movingVariance, variance]] as const) {
          tf.tidy(() => {
            const old = v.read();
            v.write(tf.sub(old, tf.mul(tf.sub(old, batch), decay)));
          });
        }
      }
    } else {
      const movingMean = ps[i++] as tf.Tensor1D;
      const movingVariance = ps[i++] as tf.Tensor1D;
      activated = tf.relu(tf.batchNorm4d(x, movingMean, movingVariance, beta, gamma, bn.epsilon));
    }
    const filter = ps[i++] as tf.Tensor4D;
    const bias = hasBias ? ps[i++] : undefined;
    return tf.fused.conv2d({
      x: activated,
      filter,
      strides: cv.strides as [number, number],
      pad: cv.padding === 'same' ? 'same' : 'valid',
      dilations: cv.dilationRate as [number, number],
      dataFormat: 'NHWC',
      bias,
      activation: 'linear',
    });
  };
  return { params, apply };
}
