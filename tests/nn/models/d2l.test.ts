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

  it("ResNet-18 with stem 'cifar' for 28 px: one 3×3 conv with bias, no pool; stages at 28, 14, 7 and 4 px", () => {
    const model = d2l.resnet18({ stem: 'cifar', inputShape: [28, 28, 1] });
    expect(model.layers.slice(0, 4).map((l) => l.name)).toEqual(['b1.conv', 'b1.bn', 'b1.relu', 'b2.0']);
    const byName = Object.fromEntries(model.layers.map((l) => [l.name, l.outputShape as number[]]));
    expect(byName['b2.1']).toEqual([null, 28, 28, 64]);
    expect(byName['b3.1']).toEqual([null, 14, 14, 128]);
    expect(byName['b4.1']).toEqual([null, 7, 7, 256]);
    expect(byName['b5.1']).toEqual([null, 4, 4, 512]);
    expect(model.getLayer('b1.conv').getWeights().map((w) => w.shape)).toEqual([[3, 3, 1, 64], [64]]);
    model.dispose();
    // Only b1's kernel differs from the 96-px model: 7×7 vs 3×3 on one channel.
    const imagenet = countParams(() => d2l.resnet18()).trainable;
    expect(imagenet - countParams(() => d2l.resnet18({ stem: 'cifar', inputShape: [28, 28, 1] })).trainable).toBe(64 * (49 - 9));
  });

  it("DenseNet with stem 'cifar' at 28 px is the kernel layer's 28-px baseline: 762,274 parameters, 248 channels at 3×3", () => {
    const model = d2l.densenet({ stem: 'cifar', inputShape: [28, 28, 1] });
    const byName = Object.fromEntries(model.layers.map((l) => [l.name, l.outputShape as number[]]));
    expect(byName['b1.relu']).toEqual([null, 28, 28, 64]);
    expect(byName['dense4']).toEqual([null, 3, 3, 248]);
    const { trainable, nonTrainable } = countParams(model);
    expect(trainable + nonTrainable).toBe(762_274);
    model.dispose();
    expect(() => d2l.densenet({ stem: 'tiny' as never })).toThrow(/stem must be 'imagenet' or 'cifar'/);
  });

  it('predicts [N, 10] on a batch', () => {
    const model = d2l.densenet({ inputShape: [32, 32, 1] });
    const y = model.predict(tf.zeros([2, 32, 32, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    model.dispose();
  });
});
