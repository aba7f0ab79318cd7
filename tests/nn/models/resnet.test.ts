import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as R from '../../../src/nn/models/resnet';
import { countParams } from '../../../src/nn/count-params';
import { cpu } from '../setup';

beforeAll(cpu);

// Trainable parameter counts of torchvision (resnet*, resnext*) and timm (SE models), i.e.
// sum(p.numel() for p in model.parameters()); BN running statistics are buffers there.
const expected: Array<[string, (o?: R.ResNetOptions) => tf.Sequential, number]> = [
  ['resnet18', R.resnet18, 11_689_512],
  ['resnet34', R.resnet34, 21_797_672],
  ['resnet50', R.resnet50, 25_557_032],
  ['resnet101', R.resnet101, 44_549_160],
  ['resnet152', R.resnet152, 60_192_808],
  ['resnext50_32x4d', R.resnext50_32x4d, 25_028_904],
  ['resnext101_32x8d', R.resnext101_32x8d, 88_791_336],
  ['se_resnet50 (timm seresnet50)', R.se_resnet50, 28_088_024],
  ['se_resnext50_32x4d (timm)', R.se_resnext50_32x4d, 27_559_896],
];

describe('ResNet family parameter counts', () => {
  for (const [name, build, count] of expected) {
    it(`${name}: ${count.toLocaleString('en-US')} trainable parameters`, () => {
      // Built dry: counted from the weights' shapes, no weights allocated (tests/nn/count-params.test.ts).
      expect(countParams(() => build()).trainable).toBe(count);
    });
  }

  it('resnet18 names its layers as torchvision and its output is [N, classes]', () => {
    const model = R.resnet18({ inputShape: [32, 32, 3], classes: 7 });
    // conv1.pad and maxpool.pad: PyTorch's symmetric padding=3 / padding=1 as explicit layers (see torchPadding).
    expect(model.layers.map((l) => l.name)).toEqual([
      'conv1.pad', 'conv1', 'bn1', 'relu', 'maxpool.pad', 'maxpool', 'layer1.0', 'layer1.1', 'layer2.0', 'layer2.1',
      'layer3.0', 'layer3.1', 'layer4.0', 'layer4.1', 'avgpool', 'fc',
    ]);
    expect(model.outputs[0].shape).toEqual([null, 7]);
    // Only the first blocks of stages 2–4 project; BN running stats are the non-trainable weights.
    expect(countParams(model).nonTrainable).toBe(2 * (64 + 4 * 64 + 4 * 128 + 4 * 256 + 4 * 512 + 128 + 256 + 512));
    model.dispose();
  });

  it('the pre-activation variant ends with the BN → ReLU that v2 blocks leave to the network', () => {
    const v2 = R.resnet18({ preact: true });
    expect(v2.layers.map((l) => l.name).slice(-4)).toEqual(['bn_final', 'relu_final', 'avgpool', 'fc']);
    v2.dispose();
  });
});
