import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FractalBlock, fractalJoins } from '../../../src/nn/blocks/fractal';
import { cpu, paramCount } from '../setup';

beforeAll(cpu);

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe('fractal block', () => {
  it('has 2^C − 1 conv units, column c being 2^c deep', () => {
    const block = new FractalBlock({ name: 'f', columns: 3, filters: 4 });
    block.apply(tf.zeros([1, 4, 4, 2]));
    expect(block.sublayers.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(7);
    // conv units: depth-0 of each column reads 2 channels, the others 4; BN γβ per unit.
    expect(paramCount(block.trainableWeights)).toBe(3 * 9 * 2 * 4 + 4 * 9 * 4 * 4 + 7 * 2 * 4);
  });

  it('joins: C=3 has one inner join of columns 1,2 and a last join of all three', () => {
    expect(fractalJoins(1)).toEqual([]);
    expect(fractalJoins(2)).toEqual([[0, 1]]);
    expect(fractalJoins(3)).toEqual([[1, 2], [0, 1, 2]]);
    expect(fractalJoins(4).at(-1)).toEqual([0, 1, 2, 3]);
  });

  it('without drop-path its output is the mean of its columns\' outputs (built by hand from its units)', () => {
    const block = new FractalBlock({ name: 'f', columns: 3, filters: 4 });
    const x = tf.randomNormal([2, 5, 5, 3]);
    const y = block.apply(x) as tf.Tensor;
    const u = (c: number, d: number, z: tf.Tensor) => {
      const { conv, norm } = block.unit(c, d);
      return tf.relu(norm.apply(conv.apply(z)) as tf.Tensor);
    };
    // f3(x) = join(f2(f2(x)), conv(x)); f2(z) = join(conv(conv(z)), conv(z)); joins flattened.
    const inner = tf.div(tf.add(u(1, 0, x), u(2, 1, u(2, 0, x))), 2);
    const columns = [u(0, 0, x), u(1, 1, inner), u(2, 3, u(2, 2, inner))];
    const expected = tf.div(tf.addN(columns), 3);
    expect(maxDiff(y, expected)).toBeLessThan(1e-5);
    // Not trivially equal to any single column.
    expect(maxDiff(y, columns[0])).toBeGreaterThan(1e-3);
  });

  it('onlyColumn runs a single column as a plain chain of convs', () => {
    const block = new FractalBlock({ name: 'f', columns: 2, filters: 4 });
    const x = tf.randomNormal([1, 4, 4, 2]);
    block.apply(x);
    const { conv: c0, norm: n0 } = block.unit(1, 0);
    const { conv: c1, norm: n1 } = block.unit(1, 1);
    block.onlyColumn = 1;
    const y = block.apply(x) as tf.Tensor;
    const deep = tf.relu(n1.apply(c1.apply(tf.relu(n0.apply(c0.apply(x)) as tf.Tensor))) as tf.Tensor);
    expect(maxDiff(y, deep)).toBeLessThan(1e-5);
    expect(block.lastJoins).toEqual([{ inputs: 2, kept: 1 }]);
  });
});
