// FLOPs counted as 2 × multiply-adds of convolutions and dense layers (the convention of fvcore /
// ptflops ×2); BN, activations, pooling, adds and concatenations count 0. For a batch of N.
import type * as tf from '@tensorflow/tfjs';
import type { Shape } from '../core/flow';
import { sizeOf } from '../count-params';

function kernelArea(config: tf.serialization.ConfigDict): number {
  const k = config['kernelSize'] as number | number[];
  return Array.isArray(k) ? k[0] * k[1] : k * k;
}

export function leafFlops(layer: tf.layers.Layer, input: Shape, output: Shape): number {
  const cls = layer.getClassName();
  const cin = (input[input.length - 1] ?? 0) as number;
  if (cls === 'Conv2D' || cls === 'GroupedConv2D') {
    const config = layer.getConfig();
    const groups = cls === 'GroupedConv2D' ? (config['groups'] as number) : 1;
    return 2 * sizeOf(output) * kernelArea(config) * (cin / groups);
  }
  if (cls === 'Dense') return 2 * sizeOf(output) * cin;
  return 0;
}
