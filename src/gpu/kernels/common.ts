// Helpers every kernelFunc shares: the backend type, output allocation (optionally poisoned with NaN for the
// conformance suite), and the translation of tfjs's conv info into our uniform layout.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FillNaNProgram } from '../programs/fill';
import { SumSplitsProgram } from '../programs/sum-splits';
import type { ConvDims } from '../programs/conv-gemm';

export type Backend = WebGPUBackend;
export type Uniform = { type: string; data: number[] };

let poison = false;

/** When on, every output our kernels allocate is first filled with NaN (tests only: it costs a pass). */
export function setPoisonOutputs(on: boolean): void { poison = on; }

export function allocOutput(backend: Backend, shape: number[], dtype: 'float32' = 'float32'): TensorInfo {
  const info = backend.makeTensorInfo(shape, dtype);
  if (poison) {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count > 0) run(backend, new FillNaNProgram(shape, count), [], [{ type: 'int32', data: [count] }], info);
  }
  return info;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Runs one of our programs into `output` (already allocated) and returns `output`.
 *
 * tfjs caches pipelines under a key that includes each binding's rank, its broadcast pattern against the
 * output shape and whether it equals the output shape, none of which our shaders read (they index flat
 * buffers through our own uniforms). Left alone, batch 1 vs 8 or Cin == Cout vs not would each compile the
 * same WGSL again: seconds per GEMM variant on SwiftShader. So the program sees shape-independent views:
 * every input as rank 1 and the output as [size, 1], which never broadcast and never compare equal. The
 * views share the tensors' dataIds, so bindings and reference counts are the real tensors'.
 */
export function run(backend: Backend, program: object, inputs: TensorInfo[], uniforms: Uniform[], output: TensorInfo): TensorInfo {
  const views = inputs.map((t) => ({ dataId: t.dataId, dtype: t.dtype, shape: [size(t.shape)] }));
  const outView = { dataId: output.dataId, dtype: output.dtype, shape: [size(output.shape), 1] };
  // The program classes implement WebGPUProgram; the cast keeps the public type import-free of backend internals.
  backend.runWebGPUProgram(program as Parameters<Backend['runWebGPUProgram']>[0], views, output.dtype, uniforms, outView);
  return output;
}

/**
 * Runs a program that may split its reduction: with one split, `makeProgram(outShape)` writes a fresh output;
 * with more, it writes `partialShape` ([splits, …], one slice per split) and SumSplitsProgram adds the slices
 * in a fixed order (deterministic, no float atomics). The partials are poisoned like any output in the
 * conformance suite, so a split that skipped an element cannot pass.
 */
export function runSplits(backend: Backend, makeProgram: (shape: number[]) => object, inputs: TensorInfo[], uniforms: Uniform[], outShape: number[], partialShape: number[]): TensorInfo {
  const splits = partialShape[0];
  if (splits === 1) return run(backend, makeProgram(outShape), inputs, uniforms, allocOutput(backend, outShape));
  const count = size(partialShape) / splits;
  const partial = allocOutput(backend, partialShape);
  run(backend, makeProgram(partialShape), inputs, uniforms, partial);
  const out = allocOutput(backend, outShape);
  run(backend, new SumSplitsProgram(outShape, count), [partial], [{ type: 'int32', data: [count] }, { type: 'int32', data: [splits] }], out);
  backend.disposeData(partial.dataId);
  return out;
}

export function convDims(info: backend_util.Conv2DInfo): ConvDims {
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels,
    outH: info.outHeight, outW: info.outWidth, outC: info.outChannels,
    kH: info.filterHeight, kW: info.filterWidth, strideH: info.strideHeight, strideW: info.strideWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

/** Why a conv cannot run on our kernels, or null when it can. */
export function convUnsupported(info: backend_util.Conv2DInfo, dtypes: string[]): string | null {
  if (info.dataFormat !== 'channelsLast') return 'NCHW';
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return 'dilation';
  if (dtypes.some((d) => d !== 'float32')) return 'dtype';
  if (info.batchSize * info.outHeight * info.outWidth * info.outChannels === 0) return 'empty';
  return null;
}

/**
 * Whether t is float32 in its buffer too: tfjs's Cast from int32 or bool to float32 only relabels the tensor
 * and keeps the integer buffer, which our shaders would bind as array<i32>. The registry
 * hands every call with such an input to stock (registry.ts); ops outside it (batch-norm) check for themselves.
 */
export function storedAsFloat32(backend: Backend, t: TensorInfo): boolean {
  return t.dtype === 'float32' && backend.tensorMap.get(t.dataId)?.dtype === 'float32';
}
