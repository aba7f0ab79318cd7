// kernelFuncs for Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter on our implicit GEMMs.
// Each returns null when the shape is not ours; the registry then calls the stock kernel and counts it.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { directConvApplies, directConvPlan, gemmGrid, TILE_K } from '../tiling';
import { ConvDirectProgram, directUniformData } from '../programs/conv-direct';
import { ConvGemmProgram, convGemmSize, epilogueFlags, gemmDispatch, convUniformData, type ConvDims, type ConvGemmKind, type Epilogue } from '../programs/conv-gemm';
import { convDims, convUnsupported, runSplits, type Backend } from './common';
import { runConvThin, thinConvApplies } from './conv-thin';

type Attrs = Record<string, unknown>;
export type Outcome = { out: TensorInfo } | { fallback: string };

type Shape4 = [number, number, number, number];

/** tfjs's Conv2DInfo for a kernel's attrs; gradients pass dilations 1, as tfjs's own gradient kernels do. */
function convInfo(xShape: number[], filterShape: number[], attrs: Attrs, dilations = attrs.dilations as number): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4, filterShape as Shape4, attrs.strides as number, dilations, attrs.pad as 'same',
    (attrs.dimRoundingMode as 'floor') ?? undefined, false, tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC'));
}

function runConvGemm(backend: Backend, kind: ConvGemmKind, info: tf.backend_util.Conv2DInfo, inputs: TensorInfo[], outShape: number[], epilogue: Epilogue = 'none'): TensorInfo {
  const d = convDims(info);
  if (directConvApplies({ kind, ...d })) return runConvDirect(backend, kind, d, inputs, outShape, epilogue);
  if (thinConvApplies(kind, d)) return runConvThin(backend, kind as 'forward' | 'backpropFilter', d, inputs, outShape, epilogueFlags(epilogue));
  const { m, n, k } = convGemmSize(kind, d);
  // Only the filter gradient has a small output with a long reduction worth splitting.
  const grid = kind === 'backpropFilter' ? gemmGrid(m, n, k) : { splits: 1, kChunk: Math.ceil(k / TILE_K) * TILE_K };
  const dispatch = gemmDispatch(m, n, grid.splits);
  const uniforms = convUniformData(d, m, n, k, grid.kChunk, epilogueFlags(epilogue));
  // The forward program always binds a bias; without one, the filter stands in (read-only, never read).
  const ins = kind === 'forward' && inputs.length === 2 ? [...inputs, inputs[1]] : inputs;
  return runSplits(backend, (shape) => new ConvGemmProgram(kind, d, shape, dispatch), ins, uniforms, outShape, [grid.splits, m, n]);
}

/** Channel-aligned problems: the register-blocked programs (see programs/conv-direct.ts for why). */
function runConvDirect(backend: Backend, kind: ConvGemmKind, d: ConvDims, inputs: TensorInfo[], outShape: number[], epilogue: Epilogue): TensorInfo {
  const plan = directConvPlan({ kind, ...d });
  const uniforms = directUniformData(d, plan, epilogueFlags(epilogue));
  // As in runConvGemm: the forward program always binds a bias; without one, the filter stands in (never read).
  const ins = kind === 'forward' && inputs.length === 2 ? [...inputs, inputs[1]] : inputs;
  return runSplits(backend, (shape) => new ConvDirectProgram(kind, shape, plan), ins, uniforms, outShape, [plan.splits, plan.m, d.outC]);
}

export function conv2d(inputs: { x: TensorInfo; filter: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { x, filter } = inputs;
  const info = convInfo(x.shape, filter.shape, attrs);
  const why = convUnsupported(info, [x.dtype, filter.dtype]);
  if (why) return { fallback: why };
  return { out: runConvGemm(backend, 'forward', info, [x, filter], info.outShape) };
}

export function fusedConv2d(inputs: { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { x, filter, bias, preluActivationWeights } = inputs;
  const activation = (attrs.activation as string) ?? 'linear';
  if (preluActivationWeights) return { fallback: 'prelu weights' };
  if (activation !== 'linear' && activation !== 'relu') return { fallback: `activation ${activation}` };
  const info = convInfo(x.shape, filter.shape, attrs);
  const why = convUnsupported(info, [x.dtype, filter.dtype]);
  if (why) return { fallback: why };
  if (bias && (bias.dtype !== 'float32' || bias.shape.reduce((a, b) => a * b, 1) !== info.outChannels)) return { fallback: 'bias shape' };
  const epilogue: Epilogue = bias ? (activation === 'relu' ? 'biasRelu' : 'bias') : activation === 'relu' ? 'relu' : 'none';
  return { out: runConvGemm(backend, 'forward', info, bias ? [x, filter, bias] : [x, filter], info.outShape, epilogue) };
}

/** Why Conv2DBackpropInput hands dx with fewer than 4 channels to the stock kernel (see below). */
export const NARROW_DX = 'fewer than 4 input channels: stock is faster';

/**
 * tfjs does not check that dy has the convolution's output size (tfjs-core's conv2dTranspose specs pass an 8×8
 * dy to a 4×4 'same' convolution); stock reads dy by its real layout, our GEMM by the convolution's. Such calls
 * go to stock so both give the same answer.
 */
function dyMismatch(dy: TensorInfo, info: { outHeight: number; outWidth: number; outChannels: number }): string | undefined {
  const [, h, w, c] = dy.shape;
  return h === info.outHeight && w === info.outWidth && c === info.outChannels ? undefined : 'dy shape does not match the convolution';
}

export function conv2dBackpropInput(inputs: { dy: TensorInfo; filter: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { dy, filter } = inputs;
  const info = convInfo(attrs.inputShape as number[], filter.shape, attrs, 1);
  const why = convUnsupported(info, [dy.dtype, filter.dtype]) ?? dyMismatch(dy, info);
  if (why) return { fallback: why };
  // dx with 1–3 channels (a stem conv's input gradient, which tfjs's fused conv computes even for the image):
  // as a GEMM its N is the channel count, so a 64-wide tile is ≥ 94% padding. On the d2l DenseNet at 28 px the
  // 7×7 stem's dx took ~0.9 s per step here, stock's direct loop a few ms.
  if (info.inChannels < 4) return { fallback: NARROW_DX };
  return { out: runConvGemm(backend, 'backpropInput', info, [dy, filter], info.inShape) };
}

export function conv2dBackpropFilter(inputs: { x: TensorInfo; dy: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { x, dy } = inputs;
  const filterShape = attrs.filterShape as number[];
  const info = convInfo(x.shape, filterShape, attrs, 1);
  const why = convUnsupported(info, [x.dtype, dy.dtype]) ?? dyMismatch(dy, info);
  if (why) return { fallback: why };
  return { out: runConvGemm(backend, 'backpropFilter', info, [x, dy], filterShape) };
}
