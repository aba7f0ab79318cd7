import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GroupedConv2D } from '../../../src/nn/layers/grouped-conv2d';
import { blockDiagonalKernel } from '../../../src/nn/ops/grouped-conv2d';
import { cpu, paramCount } from '../setup';

beforeAll(cpu);

describe('GroupedConv2D layer', () => {
  it('has k·k·Cin/groups·Cout parameters (as PyTorch Conv2d(groups=g, bias=False)) and the right shape', () => {
    const layer = new GroupedConv2D({ name: 'conv2', filters: 128, kernelSize: 3, groups: 32, strides: 2 });
    const y = layer.apply(tf.zeros([1, 8, 8, 128])) as tf.Tensor;
    expect(y.shape).toEqual([1, 4, 4, 128]);
    expect(paramCount(layer.trainableWeights)).toBe(3 * 3 * (128 / 32) * 128);
    expect(layer.computeOutputShape([null, 8, 8, 128])).toEqual([null, 4, 4, 128]);
  });

  it('its kernel gradient equals the dense conv reference, restricted to the diagonal blocks', () => {
    const layer = new GroupedConv2D({ name: 'g', filters: 6, kernelSize: 3, groups: 3 });
    const x = tf.randomNormal([2, 5, 5, 6]);
    layer.apply(x);
    const kernel = layer.trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, [kernel]);
    const g = grads[kernel.name];
    const dense = tf.variable(blockDiagonalKernel(kernel as unknown as tf.Tensor4D, 3));
    const ref = tf.variableGrads(() => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, dense as unknown as tf.Tensor4D, 1, 'same'))) as tf.Scalar, [dense]).grads[dense.name];
    // The grouped kernel's gradient is the reference's gradient on the diagonal blocks.
    const blocks = tf.concat(
      [0, 1, 2].map((gi) => tf.slice(ref, [0, 0, gi * 2, gi * 2], [3, 3, 2, 2])),
      3,
    );
    expect(tf.max(tf.abs(tf.sub(g, blocks))).dataSync()[0]).toBeLessThan(1e-3);
  });
});
