// Runs the thin-channel conv programs (programs/conv-thin.ts): forward and filter gradient of convolutions whose
// input or output channel count is not a multiple of 4. conv.ts picks them before the shared-memory GEMM.
import type { TensorInfo } from '@tensorflow/tfjs';
import { ConvThinProgram, thinConvPlan, thinUniformData, type ThinKind } from '../programs/conv-thin';
import type { ConvDims } from '../programs/conv-gemm';
import { runSplits, type Backend } from './common';

export { thinConvApplies } from '../programs/conv-thin';

/** `epilogue` is conv-gemm's epilogueFlags; only the forward program reads it. */
export function runConvThin(backend: Backend, kind: ThinKind, d: ConvDims, inputs: TensorInfo[], outShape: number[], epilogue: number): TensorInfo {
  const plan = thinConvPlan(kind, d);
  const uniforms = thinUniformData(d, plan, epilogue);
  // As the other forward programs: Bias is always bound; without one, the filter stands in (never used).
  const ins = kind === 'forward' && inputs.length === 2 ? [...inputs, inputs[1]] : inputs;
  return runSplits(backend, (shape) => new ConvThinProgram(kind, shape, plan), ins, uniforms, outShape, [plan.splits, plan.m, d.outC]);
}
