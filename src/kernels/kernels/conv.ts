// kernelFuncs for Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter on our implicit GEMMs.
// Each returns null when the shape is not ours; the registry then calls the stock kernel and counts it.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { gemmGrid, TILE_K } from '../tiling';
import { ConvGemmProgram, convGemmSize, gemmDispatch, convUniformData, type ConvGemmKind, type Epilogue } from '../programs/conv-gemm';
import { SumSplitsProgram } from '../programs/sum-splits';
import { allocOutput, convDims, convUnsupported, run, type Backend } from './common';

type Attrs = Record<string, unknown>;
export type Outcome = { out: TensorInfo } | { fallback: string };

function runConvGemm(backend: Backend, kind: ConvGemmKind, info: tf.backend_util.Conv2DInfo, inputs: TensorInfo[], outShape: number[], epilogue: Epilogue = 'none'): TensorInfo {
  const d = convDims(info);
  const { m, n, k } = convGemmSize(kind, d);
  // Only the filter gradient has a small output with a long reduction worth splitting.
  const grid = kind === 'backpropFilter' ? gemmGrid(m, n, k) : { dispatch: gemmDispatch(m, n, 1), splits: 1, kChunk: Math.ceil(k / TILE_K) * TILE_K };
  const uniforms = convUniformData(d, m, n, k, grid.kChunk);
  if (grid.splits === 1) {
    const out = allocOutput(backend, outShape);
    return run(backend, new ConvGemmProgram(kind, d, outShape, grid.dispatch, epilogue), inputs, uniforms, out);
  }
  const partialShape = [grid.splits, m, n];
  const partial = backend.makeTensorInfo(partialShape, 'float32');
  run(backend, new ConvGemmProgram(kind, d, partialShape, grid.dispatch, epilogue), inputs, uniforms, partial);
  const out = allocOutput(backend, outShape);
  run(backend, new SumSplitsProgram(outShape, m * n), [partial], [{ type: 'int32', data: [m * n] }, { type: 'int32', data: [grid.splits] }], out);
  backend.disposeData(partial.dataId);
  return out;
}

export function conv2d(inputs: { x: TensorInfo; filter: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { x, filter } = inputs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    attrs.strides as number, attrs.dilations as number, attrs.pad as 'same', (attrs.dimRoundingMode as 'floor') ?? undefined, false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC'));
  const why = convUnsupported(info, [x.dtype, filter.dtype]);
  if (why) return { fallback: why };
  return { out: runConvGemm(backend, 'forward', info, [x, filter], info.outShape) };
}

export function fusedConv2d(inputs: { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { x, filter, bias, preluActivationWeights } = inputs;
  const activation = (attrs.activation as string) ?? 'linear';
  if (preluActivationWeights) return { fallback: 'prelu weights' };
  if (activation !== 'linear' && activation !== 'relu') return { fallback: `activation ${activation}` };
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    attrs.strides as number, attrs.dilations as number, attrs.pad as 'same', (attrs.dimRoundingMode as 'floor') ?? undefined, false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC'));
  const why = convUnsupported(info, [x.dtype, filter.dtype]);
  if (why) return { fallback: why };
  if (bias && (bias.dtype !== 'float32' || bias.shape.reduce((a, b) => a * b, 1) !== info.outChannels)) return { fallback: 'bias shape' };
  const epilogue: Epilogue = bias ? (activation === 'relu' ? 'biasRelu' : 'bias') : activation === 'relu' ? 'relu' : 'none';
  const ins = bias ? [x, filter, bias] : [x, filter];
  return { out: runConvGemm(backend, 'forward', info, ins, info.outShape, epilogue) };
}

export function conv2dBackpropInput(inputs: { dy: TensorInfo; filter: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { dy, filter } = inputs;
  const inputShape = attrs.inputShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], attrs.strides as number, 1, attrs.pad as 'same',
    (attrs.dimRoundingMode as 'floor') ?? undefined, false, tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC'));
  const why = convUnsupported(info, [dy.dtype, filter.dtype]);
  if (why) return { fallback: why };
  return { out: runConvGemm(backend, 'backpropInput', info, [dy, filter], info.inShape) };
}

export function conv2dBackpropFilter(inputs: { x: TensorInfo; dy: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { x, dy } = inputs;
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, attrs.strides as number, 1, attrs.pad as 'same',
    (attrs.dimRoundingMode as 'floor') ?? undefined, false, tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC'));
  const why = convUnsupported(info, [x.dtype, dy.dtype]);
  if (why) return { fallback: why };
  return { out: runConvGemm(backend, 'backpropFilter', info, [x, dy], filterShape) };
}
