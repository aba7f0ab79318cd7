import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockDiagonalKernel, groupedConv2d } from '../../../src/nn/ops/grouped-conv2d';
import { cpu } from '../setup';

beforeAll(cpu);

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe('groupedConv2d', () => {
  const groups = 4;
  const x = () => tf.randomNormal([2, 6, 6, 8]) as tf.Tensor4D;
  const k = () => tf.randomNormal([3, 3, 8 / groups, 12]) as tf.Tensor4D;

  for (const [strides, padding] of [[1, 'same'], [2, 'same'], [1, 'valid']] as const) {
    it(`equals a dense conv with the block-diagonal kernel (stride ${strides}, ${padding})`, () => {
      const xs = x();
      const ks = k();
      const y = groupedConv2d(xs, ks, { strides, padding, groups });
      const ref = tf.conv2d(xs, blockDiagonalKernel(ks, groups), strides, padding);
      expect(y.shape).toEqual(ref.shape);
      expect(maxDiff(y, ref)).toBeLessThan(1e-4);
    });
  }

  it('gradients for input and kernel match the block-diagonal reference', () => {
    const xs = x();
    const ks = k();
    const dy = tf.randomNormal([2, 3, 3, 12]);
    const loss = (f: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), dy)) as tf.Scalar;
    const [gx, gk] = tf.grads(loss((a, b) => groupedConv2d(a, b, { strides: 2, padding: 'same', groups })))([xs, ks]);
    const [rx, rk] = tf.grads(loss((a, b) => tf.conv2d(a, blockDiagonalKernel(b, groups), 2, 'same')))([xs, ks]);
    expect(maxDiff(gx, rx)).toBeLessThan(1e-4);
    expect(maxDiff(gk, rk)).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(gk)).dataSync()[0]).toBeGreaterThan(0);
  });

  it('group g only sees input channels of group g', () => {
    const xs = tf.concat([tf.zeros([1, 4, 4, 2]), tf.ones([1, 4, 4, 2])], 3) as tf.Tensor4D;
    const y = groupedConv2d(xs, tf.ones([1, 1, 2, 4]) as tf.Tensor4D, { strides: 1, padding: 'same', groups: 2 });
    expect(Array.from(y.slice([0, 0, 0, 0], [1, 1, 1, 4]).dataSync())).toEqual([0, 0, 2, 2]);
  });

  it('rejects channel counts that do not divide into the groups', () => {
    expect(() => groupedConv2d(tf.zeros([1, 4, 4, 6]) as tf.Tensor4D, tf.zeros([3, 3, 1, 8]) as tf.Tensor4D, { strides: 1, padding: 'same', groups: 4 })).toThrow(/groups/);
  });
});
