import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DenseBlock, DenseLayer, Transition } from '../../../src/nn/blocks/dense';
import { cpu, paramCount } from '../setup';

beforeAll(cpu);

describe('DenseNet blocks (d2l shapes, NHWC)', () => {
  it('a dense block of 2 conv blocks with 10 channels maps [4,8,8,3] to [4,8,8,23]; transition(10) to [4,4,4,10]', () => {
    const block = new DenseBlock({ name: 'dense', numLayers: 2, growthRate: 10, useBias: true });
    const x = tf.randomNormal([4, 8, 8, 3]);
    const y = block.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([4, 8, 8, 23]);
    const t = new Transition({ name: 'trans', filters: 10, useBias: true });
    expect((t.apply(y) as tf.Tensor).shape).toEqual([4, 4, 4, 10]);
    // NCHW, as d2l's PyTorch edition prints it: (4, 23, 8, 8).
    expect(tf.transpose(y, [0, 3, 1, 2]).shape).toEqual([4, 23, 8, 8]);
  });

  it('keeps the block input as the first channels of its output (concatenation, not sum)', () => {
    const block = new DenseBlock({ name: 'dense', numLayers: 2, growthRate: 5 });
    const x = tf.randomNormal([2, 4, 4, 3]);
    const y = block.apply(x) as tf.Tensor;
    const head = tf.slice(y, [0, 0, 0, 0], [2, 4, 4, 3]);
    expect(tf.max(tf.abs(tf.sub(head, x))).dataSync()[0]).toBe(0);
  });

  it('the BC bottleneck layer goes through 4k channels and has the right parameter count', () => {
    const layer = new DenseLayer({ name: 'l', growthRate: 8, bottleneck: true });
    const y = layer.apply(tf.zeros([1, 5, 5, 16])) as tf.Tensor;
    expect(y.shape).toEqual([1, 5, 5, 8]);
    // BN(16) γβ + conv1 1×1 16→32 + BN(32) γβ + conv2 3×3 32→8, no biases.
    expect(paramCount(layer.trainableWeights)).toBe(2 * 16 + 16 * 32 + 2 * 32 + 9 * 32 * 8);
    expect(paramCount(layer.nonTrainableWeights)).toBe(2 * 16 + 2 * 32);
    expect(layer.sublayers.map((l) => l.name)).toEqual(['norm1', 'conv1', 'norm2', 'conv2']);
  });

  it('names weights by block path, so they survive save and load', () => {
    const block = new DenseBlock({ name: 'denseblock1', numLayers: 1, growthRate: 4, bottleneck: true });
    block.apply(tf.zeros([1, 4, 4, 2]));
    expect(block.weights.map((w) => w.originalName)).toContain('denseblock1/denselayer1/conv1/kernel');
  });
});
