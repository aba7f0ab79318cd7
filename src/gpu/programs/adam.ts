// Adam's update of one variable in three passes instead of tfjs's fourteen element-wise ops:
//   first moment   m' = m·β₁ + g·(1 − β₁)
//   second moment  v' = v·β₂ + g²·(1 − β₂)
//   value          x' = (m'/(1 − β₁ᵗ)) / (√(v'/(1 − β₂ᵗ)) + ε) · (−lr) + x
// each in tfjs-core's order of operations (adam_optimizer.ts), so the results round as stock's do. β₁ᵗ and β₂ᵗ stay
// on the GPU (the optimizer's accBeta variables, read as one-element inputs): reading them back would stall every
// step. Three programs and not one because a tfjs program writes one output. Four elements per invocation (vec4)
// when the size allows, else one.
import { ConvLabProgram, gridDispatch } from './base';

/** Which moment a moment pass writes. */
export type AdamMoment = 'first' | 'second';

/** Uniforms of both programs, in this order: count, β, 1 − β (moments) or ε, −lr (value). */
export const ADAM_UNIFORMS = 'count : i32, a : f32, b : f32,';

export class AdamMomentProgram extends ConvLabProgram {
  private readonly moment: AdamMoment;
  private readonly vec4: boolean;

  /** Inputs: the moment and the gradient. `count`: vec4s (vec4) or scalars to write. */
  constructor(moment: AdamMoment, outputShape: number[], count: number, vec4: boolean) {
    super({
      outputShape,
      shaderKey: `convlab_adam_${moment}_${vec4 ? 'v4' : 's'}`,
      variableNames: ['M', 'G'],
      dispatch: gridDispatch(count),
      workgroupSize: [64, 1, 1],
      uniforms: ADAM_UNIFORMS,
      flat: true,
      variableComponents: vec4 ? [4, 4] : [1, 1],
      outputComponent: vec4 ? 4 : 1,
    });
    this.moment = moment;
    this.vec4 = vec4;
  }

  getUserCode(): string {
    // tfjs: add(mul(m, β), mul(g, 1 − β)), with square(g) first for the second moment.
    const g = this.moment === 'first' ? 'G[index]' : '(G[index] * G[index])';
    return `
  fn main(index : i32) {
    if (index >= uniforms.count) { return; }
    let kept = M[index] * uniforms.a;
    let added = ${g} * uniforms.b;
    result[index] = kept + added;
  }
`;
  }
}

export class AdamValueProgram extends ConvLabProgram {
  /** Inputs: the value, the new moments and β₁ᵗ, β₂ᵗ (one element each). */
  constructor(outputShape: number[], count: number, vec4: boolean) {
    super({
      outputShape,
      shaderKey: `convlab_adam_value_${vec4 ? 'v4' : 's'}`,
      variableNames: ['X', 'M', 'V', 'AccBeta1', 'AccBeta2'],
      dispatch: gridDispatch(count),
      workgroupSize: [64, 1, 1],
      uniforms: ADAM_UNIFORMS,
      flat: true,
      variableComponents: vec4 ? [4, 4, 4, 1, 1] : [1, 1, 1, 1, 1],
      outputComponent: vec4 ? 4 : 1,
    });
  }

  getUserCode(): string {
    // tfjs: add(mul(div(div(m, 1 − β₁ᵗ), add(sqrt(div(v, 1 − β₂ᵗ)), ε)), −lr), x); 1 − βᵗ is itself a float32 op.
    return `
  fn main(index : i32) {
    if (index >= uniforms.count) { return; }
    let oneMinusAcc1 = 1.0 - AccBeta1[0];
    let oneMinusAcc2 = 1.0 - AccBeta2[0];
    let mHat = M[index] / oneMinusAcc1;
    let vHat = V[index] / oneMinusAcc2;
    let step = mHat / (sqrt(vHat) + uniforms.a);
    result[index] = step * uniforms.b + X[index];
  }
`;
  }
}
