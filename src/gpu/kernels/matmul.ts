// kernelFuncs for BatchMatMul and _FusedMatMul (bias, linear or ReLU) on programs/matmul.ts: the dense layers'
// products and their gradients. Other activations, PReLU weights, other bias shapes and batch shapes that
// broadcast other than one side being a single matrix go to the stock kernels.
import type { TensorInfo } from '@tensorflow/tfjs';
import { MatMulProgram, matMulInvocations, matMulUniformData, type MatMulDims } from '../programs/matmul';
import { allocOutput, run, type Backend } from './common';
import type { Outcome } from './conv';

type Attrs = Record<string, unknown>;
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** The product's dimensions and strides, with the output shape, or why it is not ours. */
export function matMulDims(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): { d: MatMulDims; outShape: number[] } | string {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return 'dtype';
  const ra = a.shape.length, rb = b.shape.length;
  if (ra < 2 || rb < 2) return 'rank';
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const n = transposeB ? br : bc;
  if ((transposeB ? bc : br) !== k) return 'inner dimensions differ';
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = size(outerA), batchB = size(outerB);
  let outer: number[];
  if (batchA === batchB && outerA.length === outerB.length && outerA.every((v, i) => v === outerB[i])) outer = outerA;
  else if (batchA === 1 && outerA.length <= outerB.length) outer = outerB;
  else if (batchB === 1 && outerB.length <= outerA.length) outer = outerA;
  else return 'batch broadcast';
  const batch = Math.max(batchA, batchB);
  if (batch * m * n === 0) return 'empty';
  const d: MatMulDims = {
    batch, m, n, k,
    aBatch: batchA === 1 ? 0 : ar * ac, aRow: transposeA ? 1 : ac, aK: transposeA ? ac : 1,
    bBatch: batchB === 1 ? 0 : br * bc, bK: transposeB ? 1 : bc, bCol: transposeB ? bc : 1,
  };
  return { d, outShape: [...outer, m, n] };
}

function runMatMul(backend: Backend, a: TensorInfo, b: TensorInfo, bias: TensorInfo | undefined, d: MatMulDims, outShape: number[], epilogue: number): TensorInfo {
  const out = allocOutput(backend, outShape);
  return run(backend, new MatMulProgram(outShape, matMulInvocations(d)), [a, b, bias ?? b], matMulUniformData(d, epilogue), out);
}

export function batchMatMul(inputs: { a: TensorInfo; b: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const r = matMulDims(inputs.a, inputs.b, !!attrs.transposeA, !!attrs.transposeB);
  if (typeof r === 'string') return { fallback: r };
  return { out: runMatMul(backend, inputs.a, inputs.b, undefined, r.d, r.outShape, 0) };
}

export function fusedMatMul(inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  const { a, b, bias, preluActivationWeights } = inputs;
  const activation = (attrs.activation as string) ?? 'linear';
  if (preluActivationWeights) return { fallback: 'prelu weights' };
  if (activation !== 'linear' && activation !== 'relu') return { fallback: `activation ${activation}` };
  const r = matMulDims(a, b, !!attrs.transposeA, !!attrs.transposeB);
  if (typeof r === 'string') return { fallback: r };
  // A bias per column only ([N] or [1, N]); tfjs also broadcasts others.
  if (bias && (bias.dtype !== 'float32' || size(bias.shape) !== r.d.n || bias.shape[bias.shape.length - 1] !== r.d.n)) return { fallback: 'bias shape' };
  const epilogue = (bias ? 1 : 0) | (activation === 'relu' ? 2 : 0);
  return { out: runMatMul(backend, a, b, bias, r.d, r.outShape, epilogue) };
}
