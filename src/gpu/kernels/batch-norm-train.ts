// The passes of the fused training BatchNorm (programs/batch-norm-train.ts) on TensorInfos: what ops/batch-norm.ts
// calls forward and from its gradient. Callers check the plan (channels-last float32, no empty axis) first.
import type { TensorInfo } from '@tensorflow/tfjs';
import {
  applyUniforms, BnGradCombineProgram, BnGradPartialsProgram, BnInputGradProgram, BnNormalizeProgram, BnStatsCombineProgram,
  BnStatsPartialsProgram, combineUniforms, partialsUniforms, type BnTrainPlan,
} from '../programs/batch-norm-train';
import { allocOutput, run, type Backend } from './common';

export interface BnStatistics {
  /** [C] each: what tf.moments over every axis but the last returns (biased variance). */
  mean: TensorInfo;
  variance: TensorInfo;
  /** [2, C]: mean and variance packed, what the normalise and gradient passes read. */
  packed: TensorInfo;
}

/** One read of x: per-chunk partials, then the per-channel merge written three ways (mean, variance, packed). */
export function bnStatistics(backend: Backend, plan: BnTrainPlan, x: TensorInfo): BnStatistics {
  const partials = allocOutput(backend, [plan.splits * 2 * plan.channels]);
  run(backend, new BnStatsPartialsProgram(plan), [x], partialsUniforms(plan), partials);
  const combine = (target: 'first' | 'second' | 'packed') =>
    run(backend, new BnStatsCombineProgram(plan, target), [partials], combineUniforms(plan, target), allocOutput(backend, target === 'packed' ? [2, plan.channels] : [plan.channels]));
  const out = { mean: combine('first'), variance: combine('second'), packed: combine('packed') };
  backend.disposeData(partials.dataId);
  return out;
}

/** y = (x − mean)·gamma/√(variance + ε) + beta, optionally max(·, 0), from the packed statistics. */
export function bnNormalize(backend: Backend, plan: BnTrainPlan, x: TensorInfo, stats: TensorInfo, gamma: TensorInfo, beta: TensorInfo, eps: number, relu: boolean): TensorInfo {
  return run(backend, new BnNormalizeProgram(plan, x.shape), [x, stats, gamma, beta], applyUniforms(plan, eps, relu), allocOutput(backend, x.shape));
}

/** dx, dgamma and dbeta: one reduction pass over x and dy (plus the per-channel merges) and one elementwise pass. */
export function bnBackward(backend: Backend, plan: BnTrainPlan, x: TensorInfo, dy: TensorInfo, stats: TensorInfo, gamma: TensorInfo, beta: TensorInfo, eps: number, relu: boolean): { dx: TensorInfo; dgamma: TensorInfo; dbeta: TensorInfo } {
  const partials = allocOutput(backend, [plan.splits * 2 * plan.channels]);
  run(backend, new BnGradPartialsProgram(plan), [x, dy, stats, gamma, beta], partialsUniforms(plan, eps, relu), partials);
  const combine = (target: 'first' | 'second' | 'packed') =>
    run(backend, new BnGradCombineProgram(plan, target), [partials], combineUniforms(plan, target), allocOutput(backend, target === 'packed' ? [2, plan.channels] : [plan.channels]));
  const dbeta = combine('first');
  const dgamma = combine('second');
  const sums = combine('packed');
  backend.disposeData(partials.dataId);
  const dx = run(backend, new BnInputGradProgram(plan, x.shape), [x, dy, stats, gamma, beta, sums], applyUniforms(plan, eps, relu), allocOutput(backend, x.shape));
  backend.disposeData(sums.dataId);
  return { dx, dgamma, dbeta };
}
