// The Fashion-MNIST models of "Dive into Deep Learning" (d2l.ai), chapter 8: 96×96 grey input,
// 10 classes, PyTorch's default conv biases kept, d2l's Residual (plain 1×1 conv shortcut, no BN).
import * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../core/layers';
import { ResidualBlock } from '../blocks/residual';
import { DenseBlock, Transition } from '../blocks/dense';
import { classifierHead, imagenetStem, type ModelOptions } from './options';

export interface D2lResNetOptions extends ModelOptions {
  preact?: boolean;
  /** Channels of b2…b5 (d2l's arch). Default 64, 128, 256, 512. */
  widths?: [number, number, number, number];
  /** Channels of b1's 7×7 conv. Default 64, as d2l; narrower only for test-sized nets. */
  stemWidth?: number;
}

/** d2l's ResNet-18: b1 (7×7/2 conv, BN, ReLU, max-pool 3/2), b2…b5 of two residual blocks each. */
export function resnet18(opts: D2lResNetOptions = {}): tf.Sequential {
  const inputShape = opts.inputShape ?? [96, 96, 1];
  const preact = opts.preact ?? false;
  const layers = imagenetStem({ conv: 'b1.conv', norm: 'b1.bn', relu: 'b1.relu', pool: 'b1.pool' }, opts.stemWidth ?? 64, inputShape, true);
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
  const layers = imagenetStem({ conv: 'b1.conv', norm: 'b1.bn', relu: 'b1.relu', pool: 'b1.pool' }, channels, inputShape, true);
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
