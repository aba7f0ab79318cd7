// The Fashion-MNIST models of "Dive into Deep Learning" (d2l.ai), chapter 8: 96×96 grey input (28×28 with the
// 'cifar' stem), 10 classes, PyTorch's default conv biases kept, d2l's Residual (plain 1×1 conv shortcut, no BN).
import * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../core/layers';
import { ResidualBlock } from '../blocks/residual';
import { DenseBlock, Transition } from '../blocks/dense';
import { cifarStem, classifierHead, imagenetStem, type ModelOptions } from './options';

/**
 * 'imagenet' (default, as d2l): b1 is a 7×7/2 conv, BN, ReLU and a 3×3/2 max-pool, for 96-px inputs. 'cifar': b1 is
 * one 3×3/1 conv, BN and ReLU, no pool, for 28-px Fashion-MNIST, which the ImageNet stem would shrink to 7×7 at once.
 */
export type D2lStem = 'imagenet' | 'cifar';

/** d2l's b1 with the chosen stem (conv biases kept, as d2l). */
function d2lStem(stem: D2lStem | undefined, filters: number, inputShape: number[]): tf.layers.Layer[] {
  const names = { conv: 'b1.conv', norm: 'b1.bn', relu: 'b1.relu', pool: 'b1.pool' };
  if (stem === undefined || stem === 'imagenet') return imagenetStem(names, filters, inputShape, true);
  if (stem === 'cifar') return cifarStem(names, filters, inputShape, true);
  throw new Error(`stem must be 'imagenet' or 'cifar', got ${String(stem)}`);
}

export interface D2lResNetOptions extends ModelOptions {
  preact?: boolean;
  /** Channels of b2…b5 (d2l's arch). Default 64, 128, 256, 512. */
  widths?: [number, number, number, number];
  /** Channels of b1's conv. Default 64, as d2l. */
  stemWidth?: number;
  /** b1: 'imagenet' (default, for 96 px) or 'cifar' (3×3/1, no pool, for 28-px Fashion-MNIST). */
  stem?: D2lStem;
  /** false: the blocks without their shortcuts, a plain 18-layer network to compare with (He et al. 2015). Default true. */
  skip?: boolean;
}

/** d2l's ResNet-18: b1 (7×7/2 conv, BN, ReLU, max-pool 3/2), b2…b5 of two residual blocks each. */
export function resnet18(opts: D2lResNetOptions = {}): tf.Sequential {
  const inputShape = opts.inputShape ?? [96, 96, 1];
  const preact = opts.preact ?? false;
  const layers = d2lStem(opts.stem, opts.stemWidth ?? 64, inputShape);
  (opts.widths ?? [64, 128, 256, 512]).forEach((channels, stage) => {
    for (let i = 0; i < 2; i++) {
      layers.push(
        new ResidualBlock({
          name: `b${stage + 2}.${i}`,
          filters: channels,
          strides: stage > 0 && i === 0 ? 2 : 1,
          preact,
          useBias: true,
          shortcutNorm: false,
          skip: opts.skip ?? true,
        }),
      );
    }
  });
  if (preact) layers.push(batchNorm('bn_final'), tf.layers.reLU({ name: 'relu_final' }));
  layers.push(...classifierHead({ pool: 'gap', fc: 'fc' }, opts.classes ?? 10));
  return tf.sequential({ name: opts.name ?? 'd2l_resnet18', layers });
}

export interface D2lDenseNetOptions extends ModelOptions {
  growthRate?: number;
  blockConfig?: number[];
  initFeatures?: number;
  /** b1: 'imagenet' (default, for 96 px) or 'cifar' (3×3/1, no pool, for 28-px Fashion-MNIST). */
  stem?: D2lStem;
}

/**
 * d2l's DenseNet: stem 7×7/2 (64) + BN + ReLU + max-pool 3/2, dense blocks [4,4,4,4] of conv blocks
 * (BN → ReLU → 3×3 conv, growth 32), transitions halving the channels, BN, ReLU, global average pool,
 * dense 10. 64 → 192 → 96 → 224 → 112 → 240 → 120 → 248 channels.
 */
export function densenet(opts: D2lDenseNetOptions = {}): tf.Sequential {
  const inputShape = opts.inputShape ?? [96, 96, 1];
  const growthRate = opts.growthRate ?? 32;
  const blockConfig = opts.blockConfig ?? [4, 4, 4, 4];
  let channels = opts.initFeatures ?? 64;
  const layers = d2lStem(opts.stem, channels, inputShape);
  blockConfig.forEach((numConvs, i) => {
    layers.push(new DenseBlock({ name: `dense${i + 1}`, numLayers: numConvs, growthRate, useBias: true }));
    channels += numConvs * growthRate;
    if (i < blockConfig.length - 1) {
      channels = Math.floor(channels / 2);
      layers.push(new Transition({ name: `trans${i + 1}`, filters: channels, useBias: true }));
    }
  });
  layers.push(batchNorm('bn'), tf.layers.reLU({ name: 'relu' }));
  layers.push(...classifierHead({ pool: 'gap', fc: 'fc' }, opts.classes ?? 10));
  return tf.sequential({ name: opts.name ?? 'd2l_densenet', layers });
}
