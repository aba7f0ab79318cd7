// Counting parameters without allocating weights (a dry build) gives exactly the counts of the built model.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParams } from '../../src/nn/count-params';
import * as R from '../../src/nn/models/resnet';
import * as D from '../../src/nn/models/densenet';
import * as F from '../../src/nn/models/fractalnet';
import * as d2l from '../../src/nn/models/d2l';
import { cpu } from './setup';

beforeAll(cpu);

describe('countParams of a builder', () => {
  const builders: Array<[string, () => tf.LayersModel]> = [
    ['resnet18 v2', () => R.resnet18({ preact: true, inputShape: [64, 64, 3] })],
    ['se_resnext50_32x4d', () => R.se_resnext50_32x4d({ inputShape: [64, 64, 3] })],
    ['densenet121', () => D.densenet121({ inputShape: [64, 64, 3] })],
    ['d2l densenet', () => d2l.densenet()],
    ['fractalnet (3 blocks, 4 columns)', () => F.fractalnet({ blocks: 3, columns: 4, channels: [16, 32, 64] })],
  ];
  for (const [name, build] of builders) {
    it(`${name}: the same trainable and non-trainable counts as the built model, without a tensor`, () => {
      const before = tf.memory().numTensors;
      const dry = countParams(build);
      expect(tf.memory().numTensors).toBe(before);
      const model = build();
      try {
        expect(dry).toEqual(countParams(model));
      } finally {
        model.dispose();
      }
    });
  }

  it('leaves layers working afterwards (weights are real again)', () => {
    countParams(() => d2l.densenet());
    const layer = tf.layers.dense({ units: 2, inputShape: [3] });
    const model = tf.sequential({ layers: [layer] });
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[3, 2], [2]]);
    model.dispose();
  });
});
