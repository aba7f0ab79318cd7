// kernelFuncs for Add, Sub, Multiply and RealDiv when each operand is the full output, a repeated trailing
// block of it (per-channel vectors) or a scalar (broadcast-binary.ts). Other broadcasts, non-float32 dtypes,
// int buffers relabelled float32 by Cast, empty tensors and small CPU-resident operands (tfjs computes those on the CPU) go to the stock kernel.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { BatchNormApplyProgram, binaryPlan, BroadcastBinaryProgram, periodic, type BinaryOp } from '../programs/broadcast-binary';
import { allocOutput, run, type Backend } from './common';
import type { Outcome } from './conv';

export function binary(op: BinaryOp, inputs: { a: TensorInfo; b: TensorInfo }, backend: Backend): Outcome {
  const { a, b } = inputs;
  if (backend.shouldExecuteOnCPU([a, b])) return { fallback: 'small inputs on the CPU (stock computes them there)' };
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const plan = binaryPlan(a.shape, b.shape, outShape);
  if (!plan) return { fallback: 'broadcast pattern' };
  if (plan.total === 0) return { fallback: 'empty' };
  const program = new BroadcastBinaryProgram(op, plan);
  const out = allocOutput(backend, outShape);
  run(backend, program, [a, b], program.uniformData(), out);
  return { out };
}

type BatchNormInputs = { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo };

/** FusedBatchNorm forward when mean, variance, offset and scale are all one per-channel block of x. */
export function fusedBatchNorm(inputs: BatchNormInputs, backend: Backend, attrs: { varianceEpsilon: number }): Outcome {
  const { x, mean, variance, offset, scale } = inputs;
  if (!offset || !scale) return { fallback: 'no offset or scale' };
  const stats = [mean, variance, offset, scale];
  if (backend.shouldExecuteOnCPU([x, ...stats])) return { fallback: 'small inputs on the CPU (stock computes them there)' };
  const total = x.shape.reduce((a, b) => a * b, 1);
  const period = mean.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return { fallback: 'empty' };
  if (!stats.every((t) => periodic(t.shape, x.shape) && t.shape.reduce((a, b) => a * b, 1) === period)) return { fallback: 'broadcast pattern' };
  const out = allocOutput(backend, x.shape);
  run(backend, new BatchNormApplyProgram(x.shape, total, period), [x, ...stats], BatchNormApplyProgram.uniformData(total, period, attrs.varianceEpsilon), out);
  return { out };
}
