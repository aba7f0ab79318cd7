// Options every builder accepts, and the pieces the ImageNet-style builders share.
import * as tf from '@tensorflow/tfjs';
import { batchNorm, conv, torchConv, torchMaxPool } from '../core/layers';

export interface ModelOptions {
  /** Output units of the classifier. */
  classes?: number;
  /** [H, W, C], NHWC without the batch. */
  inputShape?: [number, number, number];
  /** Model name (shown in summaries). */
  name?: string;
}

/**
 * conv 7×7/2 (padding 3) → BN → ReLU → max-pool 3×3/2 (padding 1): the ImageNet stem of ResNet and
 * DenseNet. Both strided steps pad symmetrically as PyTorch does, through explicit ZeroPadding2D layers
 * (`conv.pad`, `pool.pad`) before a 'valid' conv and pool; the pool's zero padding equals PyTorch's −inf
 * because it follows the ReLU (torchMaxPool checks).
 */
export function imagenetStem(
  names: { conv: string; norm: string; relu: string; pool: string },
  filters: number,
  inputShape: number[],
  useBias = false,
): tf.layers.Layer[] {
  const relu = tf.layers.reLU({ name: names.relu });
  return [
    ...torchConv(names.conv, filters, 7, { strides: 2, useBias, inputShape }),
    batchNorm(names.norm),
    relu,
    ...torchMaxPool(names.pool, 3, 2, relu),
  ];
}

/**
 * conv 3×3/1 → BN → ReLU, no pooling: the stem of He et al.'s (2015) CIFAR ResNets, for small images
 * (32 px CIFAR, 28 px Fashion-MNIST) that the ImageNet stem would shrink fourfold before the first block.
 */
export function cifarStem(
  names: { conv: string; norm: string; relu: string },
  filters: number,
  inputShape: number[],
  useBias = false,
): tf.layers.Layer[] {
  return [conv(names.conv, filters, 3, { inputShape, useBias }), batchNorm(names.norm), tf.layers.reLU({ name: names.relu })];
}

/** Global average pool → dense: the classifier head of every builder here. */
export function classifierHead(names: { pool: string; fc: string }, classes: number): tf.layers.Layer[] {
  return [tf.layers.globalAveragePooling2d({ name: names.pool }), tf.layers.dense({ name: names.fc, units: classes })];
}
