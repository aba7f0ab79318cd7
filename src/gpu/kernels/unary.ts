// kernelFuncs for Relu and Step on programs/unary.ts (float32; other dtypes go to the stock kernels).
import type { TensorInfo } from '@tensorflow/tfjs';
import { UnaryProgram, type UnaryOp } from '../programs/unary';
import { allocOutput, run, type Backend } from './common';
import type { Outcome } from './conv';

export function unary(op: UnaryOp, inputs: { x: TensorInfo }, backend: Backend, attrs: Record<string, unknown>): Outcome {
  const { x } = inputs;
  if (x.dtype !== 'float32') return { fallback: 'dtype' };
  const size = x.shape.reduce((a, b) => a * b, 1);
  if (size === 0) return { fallback: 'empty' };
  const vec4 = size % 4 === 0;
  const count = vec4 ? size / 4 : size;
  const alpha = op === 'Step' ? Number(attrs.alpha ?? 0) : 0;
  const out = allocOutput(backend, x.shape);
  return { out: run(backend, new UnaryProgram(op, x.shape, count, vec4), [x], [{ type: 'int32', data: [count] }, { type: 'float32', data: [alpha] }], out) };
}
