// The passes of the fused Adam update (programs/adam.ts) on TensorInfos, for ops/adam-optimizer.ts. Callers check
// that every input is float32 on this backend first.
import type { TensorInfo } from '@tensorflow/tfjs';
import { AdamMomentProgram, AdamValueProgram, type AdamMoment } from '../programs/adam';
import { allocOutput, run, type Backend } from './common';

const f32 = (v: number) => ({ type: 'float32', data: [v] });

function layout(t: TensorInfo): { count: number; vec4: boolean } {
  const size = t.shape.reduce((a, b) => a * b, 1);
  const vec4 = size % 4 === 0;
  return { count: vec4 ? size / 4 : size, vec4 };
}

/** m·β + g·(1 − β) ('first'), or v·β + g²·(1 − β) ('second'); `beta` as the optimizer holds it (a JS number). */
export function adamMoment(backend: Backend, moment: AdamMoment, previous: TensorInfo, gradient: TensorInfo, beta: number): TensorInfo {
  const { count, vec4 } = layout(previous);
  const uniforms = [{ type: 'int32', data: [count] }, f32(beta), f32(1 - beta)];
  return run(backend, new AdamMomentProgram(moment, previous.shape, count, vec4), [previous, gradient], uniforms, allocOutput(backend, previous.shape));
}

/** The variable's next value from its new moments and the optimizer's β₁ᵗ and β₂ᵗ (one-element tensors). */
export function adamValue(backend: Backend, value: TensorInfo, m: TensorInfo, v: TensorInfo, accBeta1: TensorInfo, accBeta2: TensorInfo, epsilon: number, learningRate: number): TensorInfo {
  const { count, vec4 } = layout(value);
  const uniforms = [{ type: 'int32', data: [count] }, f32(epsilon), f32(-learningRate)];
  return run(backend, new AdamValueProgram(value.shape, count, vec4), [value, m, v, accBeta1, accBeta2], uniforms, allocOutput(backend, value.shape));
}
