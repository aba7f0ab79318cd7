import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as d2l from '../../../src/nn/models/d2l';
import { countParams } from '../../../src/nn/count-params';
import { cpu } from '../setup';

beforeAll(cpu);

describe('d2l Fashion-MNIST models', () => {
  it('ResNet-18: stage outputs 64×24×24, 64×24×24, 128×12×12, 256×6×6, 512×3×3 (NCHW), then 10', () => {
    const model = d2l.resnet18();
    const byName = Object.fromEntries(model.layers.map((l) => [l.name, l.outputShape as number[]]));
    expect(byName['b1.pool']).toEqual([null, 24, 24, 64]);
    expect(byName['b2.1']).toEqual([null, 24, 24, 64]);
    expect(byName['b3.1']).toEqual([null, 12, 12, 128]);
    expect(byName['b4.1']).toEqual([null, 6, 6, 256]);
    expect(byName['b5.1']).toEqual([null, 3, 3, 512]);
    expect(byName['fc']).toEqual([null, 10]);
    model.dispose();
  });

  it('DenseNet: 248 channels at 3×3 after the last dense block; conv biases as PyTorch\'s default', () => {
    const model = d2l.densenet();
    const byName = Object.fromEntries(model.layers.map((l) => [l.name, l.outputShape as number[]]));
    expect(byName['dense4']).toEqual([null, 3, 3, 248]);
    // Trainable + BN running statistics; with a 3×3 stem on 28 px this model has 762,274 (the kernel
    // layer's training baseline): 7×7 vs 3×3 on one channel is 64·(49 − 9) = 2,560 more weights.
    const { trainable, nonTrainable } = countParams(model);
    expect(trainable + nonTrainable).toBe(762_274 + 2_560);
    model.dispose();
  });

  it('predicts [N, 10] on a batch', () => {
    const model = d2l.densenet({ inputShape: [32, 32, 1] });
    const y = model.predict(tf.zeros([2, 32, 32, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    model.dispose();
  });
});
