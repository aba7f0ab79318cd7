// resnetFromSpec for small images: the CIFAR stem (3×3/1 conv, no pool) and any number of stages, as in
// He et al. (2015)'s CIFAR ResNets, which the course's lessons train on 28-px Fashion-MNIST.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as R from '../../../src/nn/models/resnet';
import { countParams } from '../../../src/nn/count-params';
import { cpu } from '../setup';

beforeAll(cpu);

const resnet20 = (opts: R.ResNetOptions = {}) =>
  R.resnetFromSpec({ bottleneck: false, layers: [3, 3, 3] }, 'resnet20', {
    stem: 'cifar', widths: [16, 32, 64], stemWidth: 16, inputShape: [32, 32, 3], classes: 10, ...opts,
  });

describe('CIFAR-style ResNets from resnetFromSpec', () => {
  it('ResNet-20: 3×3 stem without pooling, three stages at 32, 16 and 8 px', () => {
    const model = resnet20();
    expect(model.layers.map((l) => l.name)).toEqual([
      'conv1', 'bn1', 'relu', 'layer1.0', 'layer1.1', 'layer1.2', 'layer2.0', 'layer2.1', 'layer2.2',
      'layer3.0', 'layer3.1', 'layer3.2', 'avgpool', 'fc',
    ]);
    const shapeOf = (name: string) => model.getLayer(name).outputShape;
    expect(shapeOf('relu')).toEqual([null, 32, 32, 16]);
    expect(shapeOf('layer1.2')).toEqual([null, 32, 32, 16]);
    expect(shapeOf('layer2.2')).toEqual([null, 16, 16, 32]);
    expect(shapeOf('layer3.2')).toEqual([null, 8, 8, 64]);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    model.dispose();
  });

  it('ResNet-20 has the 269,722 parameters of the paper\'s network plus its two projection shortcuts', () => {
    // 269,722: convs 267,696 + BN 1,376 + fc 650, the count of He et al.'s ResNet-20 with zero-padding
    // shortcuts (option A). Here the two stage changes project (option B): a 1×1 conv and a BN each.
    const projections = 16 * 32 + 2 * 32 + 32 * 64 + 2 * 64;
    expect(countParams(() => resnet20()).trainable).toBe(269_722 + projections);
  });

  it('28-px Fashion-MNIST images reach the first stage at 28×28; pre-activation adds the final BN → ReLU', () => {
    const model = resnet20({ inputShape: [28, 28, 1], preact: true });
    expect(model.getLayer('layer1.0').outputShape).toEqual([null, 28, 28, 16]);
    expect(model.getLayer('layer3.2').outputShape).toEqual([null, 7, 7, 64]);
    expect(model.layers.map((l) => l.name).slice(-4)).toEqual(['bn_final', 'relu_final', 'avgpool', 'fc']);
    const y = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    y.dispose();
    model.dispose();
  });

  it('the ImageNet stem stays the default, and widths must match the stages', () => {
    const model = R.resnetFromSpec({ bottleneck: false, layers: [1, 1] }, 'two_stages', { widths: [8, 16], stemWidth: 8, inputShape: [32, 32, 3] });
    expect(model.layers.slice(0, 6).map((l) => l.name)).toEqual(['conv1.pad', 'conv1', 'bn1', 'relu', 'maxpool.pad', 'maxpool']);
    expect(model.getLayer('layer2.0').outputShape).toEqual([null, 4, 4, 16]);
    model.dispose();
    expect(() => R.resnetFromSpec({ bottleneck: false, layers: [1, 1, 1] }, 'bad', { widths: [8, 16] })).toThrow(/2 widths for 3 stages/);
    expect(() => resnet20({ stem: 'tiny' as never })).toThrow(/stem must be 'imagenet' or 'cifar'/);
  });
});
