// Grouped convolution from existing ops (tfjs has none): split channels into groups, convolve each
// group with its slice of the kernel, concatenate. Gradients come from tf.split/conv2d/concat.
// Everything goes through groupedConv2d so the kernel layer can later replace it with one kernel.
import * as tf from '@tensorflow/tfjs';

export interface GroupedConvOptions {
  strides: number | [number, number];
  padding: 'same' | 'valid';
  groups: number;
}

/** A grouped conv implementation; the kernel layer's may return null to decline (then split→conv→concat runs). */
export type GroupedConv2dImpl = (x: tf.Tensor4D, kernel: tf.Tensor4D, opts: GroupedConvOptions) => tf.Tensor4D | null;

/**
 * x: [N,H,W,Cin] (NHWC); kernel: [kh,kw,Cin/groups,Cout], output channels of group g are
 * g·Cout/groups … (g+1)·Cout/groups − 1, as in PyTorch's Conv2d(groups=g) (whose weight is
 * [Cout, Cin/groups, kh, kw] in NCHW terms).
 */
const splitConcat = (x: tf.Tensor4D, kernel: tf.Tensor4D, { strides, padding, groups }: GroupedConvOptions): tf.Tensor4D => {
  const cin = x.shape[3];
  const cout = kernel.shape[3];
  if (cin % groups !== 0 || cout % groups !== 0) {
    throw new Error(`groupedConv2d: ${cin} input and ${cout} output channels must both divide into ${groups} groups`);
  }
  if (kernel.shape[2] !== cin / groups) {
    throw new Error(`groupedConv2d: kernel has ${kernel.shape[2]} input channels per group, expected ${cin / groups}`);
  }
  if (groups === 1) return tf.conv2d(x, kernel, strides, padding);
  return tf.tidy(() => {
    const xs = tf.split(x, groups, 3) as tf.Tensor4D[];
    const ks = tf.split(kernel, groups, 3) as tf.Tensor4D[];
    const ys = xs.map((xg, g) => tf.conv2d(xg, ks[g], strides, padding) as tf.Tensor4D);
    return tf.concat4d(ys, 3);
  });
};

let impl: GroupedConv2dImpl = splitConcat;

export function groupedConv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, opts: GroupedConvOptions): tf.Tensor4D {
  return impl(x, kernel, opts) ?? splitConcat(x, kernel, opts);
}

/**
 * For the kernel layer: route grouped convolutions to a dedicated kernel (which may decline a call by returning
 * null); null restores split→conv→concat.
 */
export function setGroupedConv2dImpl(next: GroupedConv2dImpl | null): void {
  impl = next ?? splitConcat;
}

/** The same convolution as one dense conv with a block-diagonal kernel: a reference for tests and lessons. */
export function blockDiagonalKernel(kernel: tf.Tensor4D, groups: number): tf.Tensor4D {
  return tf.tidy(() => {
    const cinPerGroup = kernel.shape[2];
    const parts = tf.split(kernel, groups, 3).map((k, g) => {
      const before = g * cinPerGroup;
      const after = (groups - 1 - g) * cinPerGroup;
      return tf.pad(k, [[0, 0], [0, 0], [before, after], [0, 0]]) as tf.Tensor4D;
    });
    return tf.concat4d(parts, 3);
  });
}
