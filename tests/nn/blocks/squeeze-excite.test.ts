import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqueezeExcite } from '../../../src/nn/blocks/squeeze-excite';
import { ResidualBlock } from '../../../src/nn/blocks/residual';
import { cpu, paramCount } from '../setup';

beforeAll(cpu);

describe('Squeeze-and-Excitation', () => {
  it('keeps the shape and has 2·C·C/r + C/r + C parameters', () => {
    for (const [c, r] of [[64, 16], [32, 4], [256, 16]]) {
      const se = new SqueezeExcite({ name: 'se', reduction: r });
      const x = tf.randomNormal([2, 5, 5, c]);
      expect((se.apply(x) as tf.Tensor).shape).toEqual([2, 5, 5, c]);
      expect(paramCount(se.trainableWeights)).toBe((2 * c * c) / r + c / r + c);
    }
  });

  it('scales each channel by sigmoid(fc2(relu(fc1(mean over H, W))))', () => {
    const se = new SqueezeExcite({ name: 'se', reduction: 2 });
    const x = tf.randomNormal([1, 3, 3, 4]);
    const y = se.apply(x) as tf.Tensor;
    const [w1, b1, w2, b2] = se.getWeights();
    const s = tf.mean(x, [1, 2]);
    const gate = tf.sigmoid(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(s, w1), b1)), w2), b2));
    const expected = tf.mul(x, tf.reshape(gate, [1, 1, 1, 4]));
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('an SE residual block adds exactly the SE parameters to the plain block, and keeps the shape', () => {
    for (const bottleneck of [false, true]) {
      const plain = new ResidualBlock({ name: 'p', filters: 16, bottleneck });
      const withSe = new ResidualBlock({ name: 's', filters: 16, bottleneck, seReduction: 16 });
      const c = bottleneck ? 64 : 16;
      const x = tf.randomNormal([1, 4, 4, c]);
      expect((plain.apply(x) as tf.Tensor).shape).toEqual([1, 4, 4, c]);
      expect((withSe.apply(x) as tf.Tensor).shape).toEqual([1, 4, 4, c]);
      const extra = paramCount(withSe.trainableWeights) - paramCount(plain.trainableWeights);
      expect(extra).toBe((2 * c * c) / 16 + c / 16 + c);
    }
  });
});
