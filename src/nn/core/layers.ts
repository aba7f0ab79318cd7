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
 * A conv with 'same' padding (stride 1, odd kernel: k//2 on every side, as PyTorch's padding=k//2) or,
 * with padding 'valid', none. Strided convs with k > 1 must not use 'same': TensorFlow then pads
 * bottom/right only on even inputs where PyTorch pads both sides, so shapes agree but every output
 * shifts by a pixel. Build those with torchConv below.
 */
export function conv(name: string, filters: number, kernelSize: number, opts: ConvOptions = {}): tf.layers.Layer {
  const strides = opts.strides ?? 1;
  const padding = opts.padding ?? 'same';
  if (padding === 'same' && strides > 1 && kernelSize > 1) {
    throw new Error(`${name}: 'same' padding with stride ${strides} is asymmetric in TensorFlow; use torchConv`);
  }
  return tf.layers.conv2d({
    name,
    filters,
    kernelSize,
    strides,
    padding,
    useBias: opts.useBias ?? false,
    // He initialisation, as torchvision (kaiming_normal_) uses for ReLU networks.
    kernelInitializer: 'heNormal',
    ...(opts.inputShape ? { inputShape: opts.inputShape } : {}),
  });
}

/**
 * The explicit padding PyTorch's Conv2d(k, stride, padding=k//2) / MaxPool2d(k, stride, padding=k//2)
 * applies, as a layer to run before a 'valid' conv or pool, or null where 'same' already pads
 * symmetrically (stride 1 with an odd kernel) or nothing is padded (k = 1). Named `${name}.pad`.
 */
export function torchPadding(name: string, kernelSize: number, strides: number, inputShape?: number[]): tf.layers.Layer | null {
  const pad = Math.floor(kernelSize / 2);
  if (strides === 1 || pad === 0) return null;
  return tf.layers.zeroPadding2d({ name: `${name}.pad`, padding: pad, ...(inputShape ? { inputShape } : {}) });
}

/**
 * PyTorch's Conv2d(k, stride, padding=k//2) as tfjs layers: [conv] where 'same' is symmetric,
 * otherwise [ZeroPadding2D(k//2), conv 'valid']. Same output shape as 'same' either way.
 */
export function torchConv(name: string, filters: number, kernelSize: number, opts: Omit<ConvOptions, 'padding'> = {}): tf.layers.Layer[] {
  const strides = opts.strides ?? 1;
  const pad = torchPadding(name, kernelSize, strides, opts.inputShape);
  if (!pad) return [conv(name, filters, kernelSize, opts)];
  // When this is the model's first layer, the padding comes first and has taken inputShape above.
  return [pad, conv(name, filters, kernelSize, { strides, useBias: opts.useBias, padding: 'valid' })];
}

/**
 * PyTorch's MaxPool2d(k, stride, padding=k//2) pads with −inf. ZeroPadding2D + a 'valid' pool is the
 * same only when the input is ≥ 0 and every window holds at least one real value (true for k//2 < k).
 * We rely on the first: the pool must directly follow a ReLU, checked here when the layers are made.
 */
export function torchMaxPool(name: string, poolSize: number, strides: number, after: tf.layers.Layer): tf.layers.Layer[] {
  if (after.getClassName() !== 'ReLU') {
    throw new Error(`${name}: zero padding equals PyTorch's −inf padding only on inputs ≥ 0; put the pool right after a ReLU`);
  }
  const pad = torchPadding(name, poolSize, strides);
  const pool = tf.layers.maxPooling2d({ name, poolSize, strides, padding: pad ? 'valid' : 'same' });
  return pad ? [pad, pool] : [pool];
}

/** PyTorch BatchNorm2d: eps 1e-5, running-average momentum 0.1 (tfjs counts it the other way: 0.9). */
export function batchNorm(name: string): tf.layers.Layer {
  return tf.layers.batchNormalization({ name, axis: -1, epsilon: 1e-5, momentum: 0.9 });
}

export function dense(name: string, units: number, useBias = true): tf.layers.Layer {
  return tf.layers.dense({ name, units, useBias });
}
