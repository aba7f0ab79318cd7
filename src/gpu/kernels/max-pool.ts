// kernelFuncs for MaxPool and MaxPoolGrad on programs/max-pool.ts: 2×2 windows at stride 2 starting at the
// top-left corner (what tf.layers.maxPooling2d({poolSize: 2}) runs). Other pools go to the stock kernels.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { MaxPoolGradProgram, MaxPoolProgram, poolInvocations, poolUniformData, type PoolDims } from '../programs/max-pool';
import { allocOutput, run, type Backend } from './common';
import type { Outcome } from './conv';

type Attrs = Record<string, unknown>;

/** The pool's dimensions when it is one our programs run, else why not. */
function poolDims(x: TensorInfo, attrs: Attrs): PoolDims | string {
  if (x.dtype !== 'float32') return 'dtype';
  if (x.shape.length !== 4) return 'rank';
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], attrs.filterSize as number, attrs.strides as number, 1,
    attrs.pad as 'valid', (attrs.dimRoundingMode as 'floor') ?? undefined);
  if (info.filterHeight !== 2 || info.filterWidth !== 2 || info.strideHeight !== 2 || info.strideWidth !== 2) return 'not a 2×2 stride-2 pool';
  if (info.padInfo.top !== 0 || info.padInfo.left !== 0) return 'padding at the top or left';
  if (info.batchSize * info.outHeight * info.outWidth * info.inChannels === 0) return 'empty';
  return { batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, channels: info.inChannels, outH: info.outHeight, outW: info.outWidth };
}

export function maxPool(inputs: { x: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const d = poolDims(inputs.x, attrs);
  if (typeof d === 'string') return { fallback: d };
  const vec4 = d.channels % 4 === 0;
  const out = allocOutput(backend, [d.batch, d.outH, d.outW, d.channels]);
  return { out: run(backend, new MaxPoolProgram(out.shape, poolInvocations(d, vec4, false), vec4), [inputs.x], poolUniformData(d, vec4, false), out) };
}

export function maxPoolGrad(inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { dy, input } = inputs;
  const d = poolDims(input, attrs);
  if (typeof d === 'string') return { fallback: d };
  if (dy.dtype !== 'float32') return { fallback: 'dtype' };
  const [, h, w, c] = dy.shape;
  if (h !== d.outH || w !== d.outW || c !== d.channels) return { fallback: 'dy shape does not match the pool' };
  const vec4 = d.channels % 4 === 0;
  const dx = allocOutput(backend, input.shape);
  return { out: run(backend, new MaxPoolGradProgram(dx.shape, poolInvocations(d, vec4, true), vec4), [input, dy], poolUniformData(d, vec4, true), dx) };
}
