// Helpers every kernelFunc shares: the backend type, output allocation (optionally poisoned with NaN for the
// conformance suite), and the translation of tfjs's conv info into our uniform layout.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FillNaNProgram } from '../programs/fill';
import type { ConvDims } from '../programs/conv-gemm';

export type Backend = WebGPUBackend;
export type Uniform = { type: string; data: number[] };

let poison = false;

/** When on, every output our kernels allocate is first filled with NaN (tests only: it costs a pass). */
export function setPoisonOutputs(on: boolean): void { poison = on; }
export function poisonOutputs(): boolean { return poison; }

export function allocOutput(backend: Backend, shape: number[], dtype: 'float32' = 'float32'): TensorInfo {
  const info = backend.makeTensorInfo(shape, dtype);
  if (poison) {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count > 0) backend.runWebGPUProgram(new FillNaNProgram(shape, count), [], dtype, [{ type: 'int32', data: [count] }], info);
  }
  return info;
}

export function run(backend: Backend, program: object, inputs: TensorInfo[], uniforms: Uniform[], output: TensorInfo): TensorInfo {
  // The program classes implement WebGPUProgram; the cast keeps the public type import-free of backend internals.
  return backend.runWebGPUProgram(program as Parameters<Backend['runWebGPUProgram']>[0], inputs, output.dtype, uniforms, output);
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
