import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ResidualBlock } from '../../../src/nn/blocks/residual';
import { cpu, paramCount } from '../setup';

beforeAll(cpu);

const names = (b: ResidualBlock) => b.sublayers.map((l) => l.name);

describe('residual blocks (NHWC)', () => {
  const cases = [
    { preact: false, bottleneck: false },
    { preact: true, bottleneck: false },
    { preact: false, bottleneck: true },
    { preact: true, bottleneck: true },
  ];
  for (const { preact, bottleneck } of cases) {
    const kind = `${bottleneck ? 'Bottleneck' : 'BasicBlock'} ${preact ? 'v2' : 'v1'}`;

    it(`${kind}: identity shortcut keeps [2,8,8,C]`, () => {
      const channels = bottleneck ? 16 : 8;
      const block = new ResidualBlock({ name: 'b', filters: bottleneck ? 4 : 8, preact, bottleneck });
      const y = block.apply(tf.randomNormal([2, 8, 8, channels])) as tf.Tensor;
      expect(y.shape).toEqual([2, 8, 8, channels]);
      expect(names(block).some((n) => n.startsWith('downsample'))).toBe(false);
    });

    it(`${kind}: projection at stride 2 halves H, W and maps to the new width`, () => {
      const block = new ResidualBlock({ name: 'b', filters: 8, strides: 2, preact, bottleneck });
      const out = bottleneck ? 32 : 8;
      const y = block.apply(tf.randomNormal([2, 8, 8, 3]), { training: true }) as tf.Tensor;
      expect(y.shape).toEqual([2, 4, 4, out]);
      // v1 projects with 1×1 conv + BN (torchvision); v2 with a 1×1 conv on the pre-activated input.
      expect(names(block).filter((n) => n.startsWith('downsample'))).toEqual(preact ? ['downsample.conv'] : ['downsample.conv', 'downsample.bn']);
    });

    it(`${kind}: projection at stride 1 when only the width changes`, () => {
      const block = new ResidualBlock({ name: 'b', filters: 8, preact, bottleneck });
      const y = block.apply(tf.randomNormal([1, 6, 6, 5])) as tf.Tensor;
      expect(y.shape).toEqual([1, 6, 6, bottleneck ? 32 : 8]);
      expect(names(block)).toContain('downsample.conv');
    });
  }

  it('v1.5 bottleneck puts the stride on the 3×3 conv and has torchvision\'s parameter count', () => {
    const block = new ResidualBlock({ name: 'layer2.0', filters: 128, strides: 2, bottleneck: true });
    block.apply(tf.zeros([1, 8, 8, 256]));
    const strides = (n: string) => (block.findSublayer(n).getConfig()['strides'] as number[])[0];
    expect([strides('conv1'), strides('conv2'), strides('conv3')]).toEqual([1, 2, 1]);
    // torchvision resnet50 layer2[0]: 1×1 256→128, 3×3 128→128, 1×1 128→512, downsample 1×1 256→512, BN γβ.
    const expected = 256 * 128 + 9 * 128 * 128 + 128 * 512 + 256 * 512 + 2 * (128 + 128 + 512 + 512);
    expect(paramCount(block.trainableWeights)).toBe(expected);
  });

  it('v1 ends with ReLU (no negative outputs); v2 adds without a final activation', () => {
    const x = tf.randomNormal([2, 4, 4, 8]);
    const v1 = new ResidualBlock({ name: 'v1', filters: 8 }).apply(x) as tf.Tensor;
    const v2 = new ResidualBlock({ name: 'v2', filters: 8, preact: true }).apply(x) as tf.Tensor;
    expect(tf.min(v1).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.min(v2).dataSync()[0]).toBeLessThan(0);
  });

  it('the identity shortcut really adds the input: zeroing the last BN scale gives relu(x)', () => {
    const block = new ResidualBlock({ name: 'b', filters: 8 });
    const x = tf.randomNormal([1, 4, 4, 8]);
    block.apply(x);
    const bn2 = block.findSublayer('bn2');
    const [gamma, beta, mean, variance] = bn2.getWeights();
    bn2.setWeights([tf.zerosLike(gamma), tf.zerosLike(beta), mean, variance]);
    const y = block.apply(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(y, tf.relu(x)))).dataSync()[0]).toBeLessThan(1e-6);
  });
});
