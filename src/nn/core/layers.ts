// The leaf layers every block uses, with PyTorch's defaults where tfjs's differ, so that
// parameter counts and training behaviour match the torchvision/timm definitions.
import * as tf from '@tensorflow/tfjs';

export interface ConvOptions {
  strides?: number;
  /** torchvision convs before BN have no bias; d2l's keep PyTorch's default bias. */
  useBias?: boolean;
  padding?: 'same' | 'valid';
  /** [H, W, C] when this is the model's first layer. */
  inputShape?: number[];
}

/**
 * 'same' padding gives PyTorch's output sizes for its usual k//2 padding, but for stride 2 TensorFlow
 * pads bottom/right only, PyTorch on both sides: shapes agree, ported weights would shift by a pixel.
 */
export function conv(name: string, filters: number, kernelSize: number, opts: ConvOptions = {}): tf.layers.Layer {
  return tf.layers.conv2d({
    name,
    filters,
    kernelSize,
    strides: opts.strides ?? 1,
    padding: opts.padding ?? 'same',
    useBias: opts.useBias ?? false,
    // He initialisation, as torchvision (kaiming_normal_) uses for ReLU networks.
    kernelInitializer: 'heNormal',
    ...(opts.inputShape ? { inputShape: opts.inputShape } : {}),
  });
}

/** PyTorch BatchNorm2d: eps 1e-5, running-average momentum 0.1 (tfjs counts it the other way: 0.9). */
export function batchNorm(name: string): tf.layers.Layer {
  return tf.layers.batchNormalization({ name, axis: -1, epsilon: 1e-5, momentum: 0.9 });
}

export function dense(name: string, units: number, useBias = true): tf.layers.Layer {
  return tf.layers.dense({ name, units, useBias });
}
