// DenseNet-BC builders with torchvision's definitions: stem conv0/norm0/relu0/pool0, dense blocks
// of bottleneck layers (bn_size 4), transitions halving the channels, norm5, ReLU, global average
// pool, classifier. No conv biases; BN with scale and offset.
import * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../core/layers';
import { DenseBlock, Transition } from '../blocks/dense';
import { classifierHead, imagenetStem, type ModelOptions } from './options';

export interface DenseNetSpec {
  growthRate: number;
  blockConfig: number[];
  initFeatures: number;
  bnSize?: number;
}

export function densenetFromSpec(spec: DenseNetSpec, defaultName: string, opts: ModelOptions = {}): tf.Sequential {
  const inputShape = opts.inputShape ?? [224, 224, 3];
  const layers = imagenetStem({ conv: 'conv0', norm: 'norm0', relu: 'relu0', pool: 'pool0' }, spec.initFeatures, inputShape);
  let features = spec.initFeatures;
  spec.blockConfig.forEach((numLayers, i) => {
    layers.push(new DenseBlock({ name: `denseblock${i + 1}`, numLayers, growthRate: spec.growthRate, bottleneck: true, bnSize: spec.bnSize ?? 4 }));
    features += numLayers * spec.growthRate;
    if (i < spec.blockConfig.length - 1) {
      features = Math.floor(features / 2);
      layers.push(new Transition({ name: `transition${i + 1}`, filters: features }));
    }
  });
  layers.push(batchNorm('norm5'), tf.layers.reLU({ name: 'relu' }));
  layers.push(...classifierHead({ pool: 'avgpool', fc: 'classifier' }, opts.classes ?? 1000));
  return tf.sequential({ name: opts.name ?? defaultName, layers });
}

export const densenet121 = (o?: ModelOptions) => densenetFromSpec({ growthRate: 32, blockConfig: [6, 12, 24, 16], initFeatures: 64 }, 'densenet121', o);
export const densenet161 = (o?: ModelOptions) => densenetFromSpec({ growthRate: 48, blockConfig: [6, 12, 36, 24], initFeatures: 96 }, 'densenet161', o);
export const densenet169 = (o?: ModelOptions) => densenetFromSpec({ growthRate: 32, blockConfig: [6, 12, 32, 32], initFeatures: 64 }, 'densenet169', o);
export const densenet201 = (o?: ModelOptions) => densenetFromSpec({ growthRate: 32, blockConfig: [6, 12, 48, 32], initFeatures: 64 }, 'densenet201', o);
