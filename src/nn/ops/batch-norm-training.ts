// Training-mode BatchNorm as nn's dense-block path computes it, behind a hook so the kernel layer can run it as
// one fused op (src/gpu/ops/batch-norm.ts) without nn importing the kernel layer. With no hook (or a hook that
// declines) nn uses tf.moments + tf.batchNorm, exactly as tfjs-layers' BatchNormalization does.
import type * as tf from '@tensorflow/tfjs';

/** The BatchNormalization fields its call() reads (tfjs-layers keeps them on the instance; it exports no type). */
export interface BatchNormLayerFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma?: tf.LayerVariable | null;
  beta?: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/** BN over the last axis with the batch's statistics, ReLU applied when asked; gradients to x, gamma and beta. */
export type BatchNormTrainingImpl = (
  x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, relu: boolean,
) => { y: tf.Tensor4D; mean: tf.Tensor1D; variance: tf.Tensor1D } | null;

let impl: BatchNormTrainingImpl | null = null;

/** For the kernel layer: compute training BN through `next`; null restores tfjs's composition. */
export function setBatchNormTrainingImpl(next: BatchNormTrainingImpl | null): void {
  impl = next;
}

export function batchNormTrainingImpl(): BatchNormTrainingImpl | null {
  return impl;
}
