// ResNet / ResNeXt / SE-ResNet(X)t builders with torchvision's (and timm's, for SE) definitions:
// convs without bias before BN, BN with scale and offset, v1.5 bottleneck (stride on the 3×3),
// projection shortcut (1×1 conv + BN) where the shape changes. Layer names follow torchvision
// (conv1, bn1, layer1.0, …, fc) so a summary reads like print(model) in PyTorch.
import * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../core/layers';
import { ResidualBlock } from '../blocks/residual';
import { cifarStem, classifierHead, imagenetStem, type ModelOptions } from './options';

export interface ResNetOptions extends ModelOptions {
  /** Pre-activation (v2) blocks, plus the final BN → ReLU they need before pooling. */
  preact?: boolean;
  /**
   * Stage widths (torchvision's planes), one per stage of the spec. Default 64, 128, 256, 512; narrower ones make
   * CIFAR-sized or test-sized nets.
   */
  widths?: number[];
  /** Stem conv filters. Default 64. */
  stemWidth?: number;
  /**
   * 'imagenet' (default): 7×7/2 conv → BN → ReLU → 3×3/2 max-pool. 'cifar': 3×3/1 conv → BN → ReLU and no pool,
   * as He et al. (2015) for 32-px images: a 28-px Fashion-MNIST image then reaches the first stage at 28×28, not 7×7.
   */
  stem?: 'imagenet' | 'cifar';
  /** false: every block without its shortcut, the plain network of the same depth (He et al. 2015). Default true. */
  skip?: boolean;
}

export interface ResNetSpec {
  bottleneck: boolean;
  /** Blocks per stage; every stage after the first halves H and W. torchvision's have four, CIFAR ResNets three. */
  layers: number[];
  groups?: number;
  baseWidth?: number;
  seReduction?: number;
}

export function resnetFromSpec(spec: ResNetSpec, defaultName: string, opts: ResNetOptions = {}): tf.Sequential {
  const inputShape = opts.inputShape ?? [224, 224, 3];
  const preact = opts.preact ?? false;
  const widths = opts.widths ?? [64, 128, 256, 512];
  if (widths.length !== spec.layers.length) {
    throw new Error(`${opts.name ?? defaultName}: ${widths.length} widths for ${spec.layers.length} stages; give one width per stage`);
  }
  const stemWidth = opts.stemWidth ?? 64;
  const stem = opts.stem ?? 'imagenet';
  if (stem !== 'imagenet' && stem !== 'cifar') throw new Error(`stem must be 'imagenet' or 'cifar', got ${String(stem)}`);
  const layers: tf.layers.Layer[] = stem === 'cifar'
    ? cifarStem({ conv: 'conv1', norm: 'bn1', relu: 'relu' }, stemWidth, inputShape)
    : imagenetStem({ conv: 'conv1', norm: 'bn1', relu: 'relu', pool: 'maxpool' }, stemWidth, inputShape);
  widths.forEach((planes, stage) => {
    for (let i = 0; i < spec.layers[stage]; i++) {
      layers.push(
        new ResidualBlock({
          name: `layer${stage + 1}.${i}`,
          filters: planes,
          strides: stage > 0 && i === 0 ? 2 : 1,
          bottleneck: spec.bottleneck,
          preact,
          groups: spec.groups ?? 1,
          baseWidth: spec.baseWidth ?? 64,
          seReduction: spec.seReduction ?? 0,
          skip: opts.skip ?? true,
        }),
      );
    }
  });
  if (preact) layers.push(batchNorm('bn_final'), tf.layers.reLU({ name: 'relu_final' }));
  layers.push(...classifierHead({ pool: 'avgpool', fc: 'fc' }, opts.classes ?? 1000));
  return tf.sequential({ name: opts.name ?? (preact ? `${defaultName}_v2` : defaultName), layers });
}

export const resnet18 = (o?: ResNetOptions) => resnetFromSpec({ bottleneck: false, layers: [2, 2, 2, 2] }, 'resnet18', o);
export const resnet34 = (o?: ResNetOptions) => resnetFromSpec({ bottleneck: false, layers: [3, 4, 6, 3] }, 'resnet34', o);
export const resnet50 = (o?: ResNetOptions) => resnetFromSpec({ bottleneck: true, layers: [3, 4, 6, 3] }, 'resnet50', o);
export const resnet101 = (o?: ResNetOptions) => resnetFromSpec({ bottleneck: true, layers: [3, 4, 23, 3] }, 'resnet101', o);
export const resnet152 = (o?: ResNetOptions) => resnetFromSpec({ bottleneck: true, layers: [3, 8, 36, 3] }, 'resnet152', o);

export const resnext50_32x4d = (o?: ResNetOptions) =>
  resnetFromSpec({ bottleneck: true, layers: [3, 4, 6, 3], groups: 32, baseWidth: 4 }, 'resnext50_32x4d', o);
export const resnext101_32x8d = (o?: ResNetOptions) =>
  resnetFromSpec({ bottleneck: true, layers: [3, 4, 23, 3], groups: 32, baseWidth: 8 }, 'resnext101_32x8d', o);

// timm: block_args=dict(attn_layer='se'): SEModule(rd_ratio 1/16, bias) after bn3, before the add.
export const se_resnet50 = (o?: ResNetOptions) =>
  resnetFromSpec({ bottleneck: true, layers: [3, 4, 6, 3], seReduction: 16 }, 'se_resnet50', o);
export const se_resnext50_32x4d = (o?: ResNetOptions) =>
  resnetFromSpec({ bottleneck: true, layers: [3, 4, 6, 3], groups: 32, baseWidth: 4, seReduction: 16 }, 'se_resnext50_32x4d', o);
