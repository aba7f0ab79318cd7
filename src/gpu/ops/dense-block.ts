// Memory-efficient dense block (Pleiss et al. 2017, "Memory-Efficient Implementation of DenseNets"), NHWC.
// Forward allocates the block's final [N,H,W,C0+Σk] buffer once; each layer reads the prefix it needs and
// writes its k new channels straight into its slice, and nothing but that buffer survives the forward.
// Backward recomputes each layer from the buffer in reverse (tf.customGrad), so memory grows linearly with
// depth instead of keeping every intermediate concatenation alive; the price is one extra forward per layer.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { allocOutput, type Backend } from '../kernels/common';
import { copyColumnsInto } from '../kernels/copy';
import { onOurWebGPU } from '../registry';
import { countCall } from '../stats';
import type { DenseLayerFn } from '../../nn/ops/dense-block';

/**
 * A layer of the block: its added channels, its params, and apply(input, params, recompute), a pure function
 * of its arguments that runs once forward (recompute false) and again during backward (recompute true, when
 * it must not update state such as BN moving averages). The same contract as nn's dense-block hook.
 */
export type DenseLayer = DenseLayerFn;

/** Channel offsets at which each layer's output starts, and the total. */
export function denseOffsets(c0: number, layers: Array<{ outChannels: number }>): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let c = c0;
  for (const l of layers) { offsets.push(c); c += l.outChannels; }
  return { offsets, total: c };
}

function channelSlice(t: tf.Tensor4D, from: number, width: number): tf.Tensor4D {
  return tf.slice(t, [0, 0, 0, from], [-1, -1, -1, width]);
}

function forwardWebGPU(x0: tf.Tensor4D, layers: DenseLayer[], params: tf.Tensor[][], total: number, offsets: number[]): tf.Tensor4D {
  const backend = tf.backend() as unknown as Backend;
  const [n, h, w, c0] = x0.shape;
  const rows = n * h * w;
  // Allocated through allocOutput so the conformance suite's NaN poison also covers a slice nobody wrote.
  const bufInfo: TensorInfo = allocOutput(backend, [n, h, w, total]);
  copyColumnsInto(backend, [x0], [{ srcCols: c0, srcOffset: 0, width: c0, dstOffset: 0 }], rows, total, bufInfo);
  layers.forEach((layer, i) => {
    const width = offsets[i];
    tf.tidy(() => {
      let input: tf.Tensor4D = x0;
      if (i > 0) {
        const info = allocOutput(backend, [n, h, w, width]);
        copyColumnsInto(backend, [bufInfo], [{ srcCols: total, srcOffset: 0, width, dstOffset: 0 }], rows, width, info);
        input = tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor4D;
      }
      const y = layer.apply(input, params[i], false);
      if (y.shape[3] !== layer.outChannels) throw new Error(`dense layer ${i} returned ${y.shape[3]} channels, declared ${layer.outChannels}`);
      copyColumnsInto(backend, [y], [{ srcCols: layer.outChannels, srcOffset: 0, width: layer.outChannels, dstOffset: width }], rows, total, bufInfo);
    });
  });
  return tf.engine().makeTensorFromTensorInfo(bufInfo) as tf.Tensor4D;
}

function forwardPortable(x0: tf.Tensor4D, layers: DenseLayer[], params: tf.Tensor[][]): tf.Tensor4D {
  // Same semantics on any backend; keeps only the k-channel outputs, not every concatenation.
  const pieces: tf.Tensor4D[] = [x0];
  layers.forEach((layer, i) => {
    const input = pieces.length === 1 ? x0 : tf.concat(pieces, 3);
    pieces.push(layer.apply(input, params[i], false));
    if (input !== x0) input.dispose();
  });
  const out = tf.concat(pieces, 3);
  pieces.slice(1).forEach((p) => p.dispose());
  return out;
}

/**
 * tf.grads called from inside a gradient function: tfjs 4.22's engine keeps one tape, which an inner
 * gradients() call replaces and finally sets to null, breaking the outer backward pass. Save and restore it.
 */
function nestedGrads(f: (...t: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], dy: tf.Tensor): tf.Tensor[] {
  const state = (tf.engine() as unknown as { state: { activeTape: unknown } }).state;
  const outerTape = state.activeTape;
  try {
    return tf.grads(f)(xs, dy);
  } finally {
    state.activeTape = outerTape;
  }
}

type LayerGrads = (i: number, buf: tf.Tensor4D, dyLayer: tf.Tensor4D) => tf.Tensor[];

/** Gradients in reverse layer order with slices and adds: any backend. Returns [dx0, ...every layer's param grads]. */
function backwardPortable(dy: tf.Tensor4D, layers: DenseLayer[], offsets: number[], layerGrads: LayerGrads, buf: tf.Tensor4D): tf.Tensor[] {
  let g = dy;
  const paramGrads: tf.Tensor[][] = new Array(layers.length);
  for (let i = layers.length - 1; i >= 0; i--) {
    const width = offsets[i];
    const [nextG, grads] = tf.tidy(() => {
      const all = layerGrads(i, buf, channelSlice(g, width, layers[i].outChannels));
      return [tf.add(channelSlice(g, 0, width), all[0]) as tf.Tensor4D, all.slice(1)] as [tf.Tensor4D, tf.Tensor[]];
    });
    if (g !== dy) g.dispose();
    g = nextG;
    paramGrads[i] = grads;
  }
  return [g, ...paramGrads.flat()];
}

/**
 * The same on the shared buffers: one gradient buffer G (a copy of dy, never dy itself, which the tape may
 * still hold) into whose first columns each layer's input gradient is added in place, so the running
 * gradient of the prefix is never re-sliced and re-added at every layer (two prefix-sized tensors per layer
 * less at the backward's peak). Layer i reads its output's gradient from columns [offset, offset+k) of G:
 * by then every later layer has added its share there.
 */
function backwardWebGPU(buf: tf.Tensor4D, dy: tf.Tensor4D, layers: DenseLayer[], offsets: number[], layerGrads: LayerGrads): tf.Tensor[] {
  const backend = tf.backend() as unknown as Backend;
  const [n, h, w, total] = dy.shape;
  const rows = n * h * w;
  const columns = (from: TensorInfo, srcCols: number, srcOffset: number, width: number): tf.Tensor4D => {
    const info = allocOutput(backend, [n, h, w, width]);
    copyColumnsInto(backend, [from], [{ srcCols, srcOffset, width, dstOffset: 0 }], rows, width, info);
    return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor4D;
  };
  const G: TensorInfo = allocOutput(backend, [n, h, w, total]);
  copyColumnsInto(backend, [dy], [{ srcCols: total, srcOffset: 0, width: total, dstOffset: 0 }], rows, total, G);
  const paramGrads: tf.Tensor[][] = new Array(layers.length);
  try {
    for (let i = layers.length - 1; i >= 0; i--) {
      const width = offsets[i];
      paramGrads[i] = tf.tidy(() => {
        const all = layerGrads(i, buf, columns(G, total, width, layers[i].outChannels));
        copyColumnsInto(backend, [all[0]], [{ srcCols: width, srcOffset: 0, width, dstOffset: 0 }], rows, total, G, true);
        return all.slice(1);
      });
    }
    return [columns(G, total, 0, offsets[0] ?? total), ...paramGrads.flat()];
  } finally {
    backend.disposeData(G.dataId);
  }
}

/**
 * Runs a dense block: x_{l+1} = concat(x_l, layer_l(x_l)), returning the final concatenation
 * [N,H,W,C0+Σk]. Gradients flow to x0 and to every layer's params.
 */
export function denseBlock(x0: tf.Tensor4D, layers: DenseLayer[]): tf.Tensor4D {
  const counts = layers.map((l) => l.params.length);
  const { offsets, total } = denseOffsets(x0.shape[3], layers);
  const split = (flat: tf.Tensor[]) => {
    const out: tf.Tensor[][] = [];
    let p = 0;
    for (const c of counts) { out.push(flat.slice(p, p + c)); p += c; }
    return out;
  };
  const run = tf.customGrad(((...args: unknown[]) => {
    const save = args[args.length - 1] as (t: tf.Tensor[]) => void;
    const x = args[0] as tf.Tensor4D;
    const flat = args.slice(1, -1) as tf.Tensor[];
    const params = split(flat);
    const buffered = onOurWebGPU();
    // Counted like a kernel, so kernels.stats() shows that dense blocks took the buffer path.
    if (buffered) countCall('denseBlock');
    const value = tf.tidy(() => (buffered ? forwardWebGPU(x, layers, params, total, offsets) : forwardPortable(x, layers, params)));
    save([value]);
    const layerGrads = (i: number, buf: tf.Tensor4D, dyLayer: tf.Tensor4D) => {
      const input = channelSlice(buf, 0, offsets[i]);
      const f = (inp: tf.Tensor, ...ps: tf.Tensor[]) => layers[i].apply(inp as tf.Tensor4D, ps, true);
      return nestedGrads(f, [input, ...params[i]], dyLayer);
    };
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const buf = saved[0] as tf.Tensor4D;
      return buffered ? backwardWebGPU(buf, dy as tf.Tensor4D, layers, offsets, layerGrads) : backwardPortable(dy as tf.Tensor4D, layers, offsets, layerGrads, buf);
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (run as unknown as (...t: tf.Tensor[]) => tf.Tensor4D)(x0, ...layers.flatMap((l) => l.params));
}
