// Grouped 2-D convolution (ResNeXt) as one op with our own forward and backward programs: one dispatch for y,
// one for dx and one (plus a fixed-order partial-sum pass) for dkernel, instead of split → conv2d per group →
// concat and its gradient's slices, pads and per-group convs. nn's groupedConv2d reaches it through the hook
// that nn-hooks.ts sets while our kernels are on.
import * as tf from '@tensorflow/tfjs';
import type { Backend } from '../kernels/common';
import { groupedBackpropFilter, groupedBackpropInput, groupedDims, groupedForward, type GroupedOptions } from '../kernels/grouped-conv';
import { onOurWebGPU } from '../registry';
import { countCall } from '../stats';

export type { GroupedOptions } from '../kernels/grouped-conv';

/** Same semantics on any backend: split channels, convolve each group with its kernel slice, concatenate. */
function portable(x: tf.Tensor4D, kernel: tf.Tensor4D, { strides, padding, groups }: GroupedOptions): tf.Tensor4D {
  if (groups === 1) return tf.conv2d(x, kernel, strides, padding);
  return tf.tidy(() => {
    const xs = tf.split(x, groups, 3) as tf.Tensor4D[];
    const ks = tf.split(kernel, groups, 3) as tf.Tensor4D[];
    return tf.concat4d(xs.map((xg, g) => tf.conv2d(xg, ks[g], strides, padding)), 3);
  });
}

/** Whether our programs take this problem: float32 tensors on webgpu with our kernels on, nothing empty. */
export function groupedApplies(x: tf.Tensor, kernel: tf.Tensor): boolean {
  return onOurWebGPU() && x.dtype === 'float32' && kernel.dtype === 'float32' && x.size > 0 && kernel.size > 0;
}

/**
 * x [N, H, W, Cin] (NHWC), kernel [kh, kw, Cin/groups, Cout]; output channels of group g are
 * g·Cout/groups … (g+1)·Cout/groups − 1 (nn's GroupedConvOptions). Gradients flow to x and kernel through
 * our programs (deterministic: no float atomics). Off webgpu or with stock kernels, the split/concat composition.
 */
export function groupedConv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, opts: GroupedOptions): tf.Tensor4D {
  const d = groupedDims(x.shape, kernel.shape, opts); // validates channel counts on every path
  if (!groupedApplies(x, kernel)) return portable(x, kernel, opts);
  const op = tf.customGrad(((xIn: tf.Tensor4D, kIn: tf.Tensor4D, save: (t: tf.Tensor[]) => void) => {
    const backend = tf.backend() as unknown as Backend;
    countCall('GroupedConv2D');
    const value = tf.engine().makeTensorFromTensorInfo(groupedForward(backend, d, xIn, kIn)) as tf.Tensor4D;
    save([xIn, kIn]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ks] = saved;
      const b = tf.backend() as unknown as Backend;
      countCall('GroupedConv2DBackpropInput');
      countCall('GroupedConv2DBackpropFilter');
      const dyf = dy.dtype === 'float32' ? dy : tf.cast(dy, 'float32');
      const dx = tf.engine().makeTensorFromTensorInfo(groupedBackpropInput(b, d, dyf, ks));
      const dk = tf.engine().makeTensorFromTensorInfo(groupedBackpropFilter(b, d, xs, dyf));
      return [dx, dk];
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (op as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor4D)(x, kernel);
}
