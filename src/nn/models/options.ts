// Options every builder accepts, and the pieces the ImageNet-style builders share.
import * as tf from '@tensorflow/tfjs';
import { batchNorm, conv } from '../core/layers';

export interface ModelOptions {
  /** Output units of the classifier. */
  classes?: number;
  /** [H, W, C], NHWC without the batch. */
  inputShape?: [number, number, number];
  /** Model name (shown in summaries). */
  name?: string;
}

/** conv 7×7/2 → BN → ReLU → max-pool 3×3/2: the ImageNet stem of ResNet and DenseNet. */
export function imagenetStem(
  names: { conv: string; norm: string; relu: string; pool: string },
  filters: number,
  inputShape: number[],
  useBias = false,
): tf.layers.Layer[] {
  return [
    conv(names.conv, filters, 7, { strides: 2, useBias, inputShape }),
    batchNorm(names.norm),
    tf.layers.reLU({ name: names.relu }),
    tf.layers.maxPooling2d({ name: names.pool, poolSize: 3, strides: 2, padding: 'same' }),
  ];
}

/** Global average pool → dense: the classifier head of every builder here. */
export function classifierHead(names: { pool: string; fc: string }, classes: number): tf.layers.Layer[] {
  return [tf.layers.globalAveragePooling2d({ name: names.pool }), tf.layers.dense({ name: names.fc, units: classes })];
}
