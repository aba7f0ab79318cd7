// One forward definition per block, run over different "values": real tensors (call), bare shapes
// (computeOutputShape), shapes while creating weights (build), and shapes while recording summary rows.
// Writing the graph once is what keeps the summary, the shape inference and the real forward in agreement.
import * as tf from '@tensorflow/tfjs';
import { concatChannels } from '../ops/concat-channels';

export type Shape = Array<number | null>;

export interface Flow<T> {
  /** True only for a real forward pass in training mode (BN batch statistics, drop-path). */
  readonly training: boolean;
  layer(layer: tf.layers.Layer, x: T): T;
  relu(x: T): T;
  sigmoid(x: T): T;
  add(a: T, b: T): T;
  /** Concatenation on the channel axis (NHWC: the last one). */
  concat(xs: T[]): T;
  /** Element-wise mean of equally shaped inputs (FractalNet's join). */
  mean(xs: T[]): T;
  /** x · w with w of shape [N,1,1,C]: per-channel scaling (SE). */
  scaleChannels(x: T, w: T): T;
  /** Mean over H and W, keeping them as 1×1: [N,H,W,C] → [N,1,1,C]. */
  globalAvgPool(x: T): T;
}

export function tensorFlow(training: boolean): Flow<tf.Tensor> {
  return {
    training,
    layer: (layer, x) => layer.apply(x, { training }) as tf.Tensor,
    relu: (x) => tf.relu(x),
    sigmoid: (x) => tf.sigmoid(x),
    add: (a, b) => tf.add(a, b),
    concat: (xs) => concatChannels(xs as tf.Tensor4D[]),
    mean: (xs) => (xs.length === 1 ? xs[0] : tf.div(tf.addN(xs), xs.length)),
    scaleChannels: (x, w) => tf.mul(x, w),
    globalAvgPool: (x) => tf.mean(x, [1, 2], true),
  };
}

/** Shape arithmetic shared by the shape-only flows; `layer` is what differs between them. */
function shapeFlow(layer: (l: tf.layers.Layer, s: Shape) => Shape): Flow<Shape> {
  return {
    training: false,
    layer,
    relu: (s) => s,
    sigmoid: (s) => s,
    add: (a) => a,
    concat: (xs) => {
      const out = xs[0].slice();
      const last = out.length - 1;
      out[last] = xs.reduce<number | null>((sum, s) => (sum === null || s[last] === null ? null : sum + (s[last] as number)), 0);
      return out;
    },
    mean: (xs) => xs[0],
    scaleChannels: (x) => x,
    globalAvgPool: (s) => [s[0], 1, 1, s[3]],
  };
}

export const inferShapes: Flow<Shape> = shapeFlow((l, s) => l.computeOutputShape(s) as Shape);

/**
 * Builds each sublayer by applying it to a placeholder symbolic tensor: Layer.apply wraps build in
 * the layer's name scope, so weights are named parent/child/kernel (unique per model, stable across
 * save and load) without reaching into tfjs-layers' unexported nameScope.
 */
export const buildShapes: Flow<Shape> = shapeFlow((l, s) => {
  const placeholder = new tf.SymbolicTensor('float32', s, null as unknown as tf.layers.Layer, [], {});
  return (l.apply(placeholder) as tf.SymbolicTensor).shape as Shape;
});

/** A flow for shapes that lets the caller see every sublayer visit (used by summaries). */
export function visitShapes(visit: (l: tf.layers.Layer, s: Shape) => Shape): Flow<Shape> {
  return shapeFlow(visit);
}
