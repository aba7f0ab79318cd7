// `skip: false`: the residual block without its shortcut, the "plain" network He et al. (2015) compared ResNets with.
// The block keeps exactly the branch's layers and computes exactly the branch: residual − plain = x in v2.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ResidualBlock } from '../../../src/nn/blocks/residual';
import { countParams } from '../../../src/nn/count-params';
import * as R from '../../../src/nn/models/resnet';
import * as d2l from '../../../src/nn/models/d2l';
import { cpu, paramCount } from '../setup';

beforeAll(cpu);

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

/** A block with the weights of `source` (same layers in the same order, the projection aside). */
function sameBranchWeights(source: ResidualBlock, target: ResidualBlock): void {
  for (const layer of target.sublayers) layer.setWeights(source.findSublayer(layer.name).getWeights());
}

describe('residual blocks with skip: false', () => {
  it('v2: with the same weights, the residual block minus the plain one is exactly the input', () => {
    const x = tf.randomNormal([2, 6, 6, 8], 0, 1, 'float32', 3);
    const residual = new ResidualBlock({ name: 'res', filters: 8, preact: true });
    const plain = new ResidualBlock({ name: 'plain', filters: 8, preact: true, skip: false });
    residual.apply(x);
    plain.apply(x);
    sameBranchWeights(residual, plain);
    const gap = tf.tidy(() => maxAbs(tf.sub(residual.apply(x) as tf.Tensor, plain.apply(x) as tf.Tensor), x));
    expect(gap).toBeLessThan(1e-5);
  });

  it('v1: a silenced branch gives zeros without the shortcut, ReLU(x) with it', () => {
    const x = tf.randomNormal([1, 4, 4, 8], 0, 1, 'float32', 4);
    for (const skip of [true, false]) {
      const block = new ResidualBlock({ name: 'b', filters: 8, skip });
      block.apply(x);
      const bn2 = block.findSublayer('bn2');
      const [gamma, beta, mean, variance] = bn2.getWeights();
      bn2.setWeights([tf.zerosLike(gamma), tf.zerosLike(beta), mean, variance]);
      const y = block.apply(x) as tf.Tensor;
      expect(maxAbs(y, skip ? tf.relu(x) : tf.zerosLike(x)), `skip ${skip}`).toBeLessThan(1e-6);
    }
  });

  for (const bottleneck of [false, true]) {
    it(`${bottleneck ? 'Bottleneck' : 'BasicBlock'}: no projection where the shape changes, and the branch's parameters only`, () => {
      const x = tf.zeros([1, 8, 8, 3]);
      const withSkip = new ResidualBlock({ name: 'b', filters: 8, strides: 2, bottleneck });
      const plain = new ResidualBlock({ name: 'b', filters: 8, strides: 2, bottleneck, skip: false });
      expect((plain.apply(x) as tf.Tensor).shape).toEqual((withSkip.apply(x) as tf.Tensor).shape);
      expect(plain.sublayers.map((l) => l.name).filter((n) => n.startsWith('downsample'))).toEqual([]);
      const out = bottleneck ? 32 : 8;
      // torchvision's downsample: a 1×1 conv 3 → out and a BN (γ, β).
      expect(paramCount(withSkip.trainableWeights) - paramCount(plain.trainableWeights)).toBe(3 * out + 2 * out);
      expect(plain.getConfig()['skip']).toBe(false);
      expect(withSkip.getConfig()['skip']).toBe(true);
    });
  }
});

describe('plain networks from the builders', () => {
  it('resnetFromSpec({ skip: false }): the same layers and shapes, minus the projections', () => {
    const opts: R.ResNetOptions = { stem: 'cifar', widths: [4, 8, 16], stemWidth: 4, inputShape: [28, 28, 1], classes: 10 };
    const spec = { bottleneck: false, layers: [2, 2, 2] };
    const residual = R.resnetFromSpec(spec, 'res', opts);
    const plain = R.resnetFromSpec(spec, 'plain', { ...opts, skip: false });
    expect(plain.layers.map((l) => l.name)).toEqual(residual.layers.map((l) => l.name));
    expect(plain.layers.map((l) => l.outputShape)).toEqual(residual.layers.map((l) => l.outputShape));
    // Two stage changes, each a 1×1 conv and a BN: 4 → 8 and 8 → 16.
    expect(countParams(residual).trainable - countParams(plain).trainable).toBe(4 * 8 + 2 * 8 + 8 * 16 + 2 * 16);
    residual.dispose();
    plain.dispose();
  });

  it('d2l.resnet18({ skip: false }): d2l\'s shortcuts are bare 1×1 convs with bias; nothing else changes', () => {
    const residual = countParams(() => d2l.resnet18({ stem: 'cifar', inputShape: [28, 28, 1] })).trainable;
    const plain = countParams(() => d2l.resnet18({ stem: 'cifar', inputShape: [28, 28, 1], skip: false })).trainable;
    expect(residual - plain).toBe(64 * 128 + 128 + 128 * 256 + 256 + 256 * 512 + 512);
  });

  it('a plain network trains: its loss gradient reaches the first convolution', () => {
    const model = d2l.resnet18({ stem: 'cifar', inputShape: [12, 12, 1], widths: [4, 4, 8, 8], stemWidth: 4, skip: false });
    const x = tf.randomNormal([4, 12, 12, 1], 0, 1, 'float32', 5);
    const first = model.getLayer('b1.conv').trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, [first]);
    expect(tf.tidy(() => tf.sum(tf.abs(grads[first.name])).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose(grads);
    model.dispose();
  });
});
