// The dense block's concatenation, kept behind one function so the kernel layer can swap in a
// preallocated-buffer path (memory-efficient DenseNet) without touching the blocks.
import * as tf from '@tensorflow/tfjs';

export type ConcatChannelsImpl = (xs: tf.Tensor4D[]) => tf.Tensor4D;

const stockConcat: ConcatChannelsImpl = (xs) => tf.concat4d(xs, 3);
let impl: ConcatChannelsImpl = stockConcat;

/** Concatenates NHWC tensors on the channel axis. */
export function concatChannels(xs: tf.Tensor4D[]): tf.Tensor4D {
  if (xs.length === 1) return xs[0];
  return impl(xs);
}

/** Lets the kernel layer route the dense block's concatenation elsewhere; null restores tf.concat. */
export function setConcatChannelsImpl(next: ConcatChannelsImpl | null): void {
  impl = next ?? stockConcat;
}
