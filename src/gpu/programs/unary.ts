// Element-wise ReLU and Step (ReLU's gradient is dy · step(x)): in a training step of a small CNN tfjs's own
// element-wise programs for them took as long as a max-pool and its gradient together. Four elements per
// invocation (vec4) when the size allows, else one. NaN stays NaN, as on the CPU backend.
import { ConvLabProgram, gridDispatch } from './base';

export type UnaryOp = 'Relu' | 'Step';

export class UnaryProgram extends ConvLabProgram {
  private readonly op: UnaryOp;
  private readonly vec4: boolean;

  /** `count`: vec4s (vec4) or scalars to write. Uniforms: count, alpha (Step's value for x ≤ 0). */
  constructor(op: UnaryOp, outputShape: number[], count: number, vec4: boolean) {
    super({
      outputShape,
      shaderKey: `convlab_unary_${op}_${vec4 ? 'v4' : 's'}`,
      variableNames: ['X'],
      dispatch: gridDispatch(count),
      workgroupSize: [64, 1, 1],
      uniforms: 'count : i32, alpha : f32,',
      flat: true,
      variableComponents: [vec4 ? 4 : 1],
      outputComponent: vec4 ? 4 : 1,
    });
    this.op = op;
    this.vec4 = vec4;
  }

  getUserCode(): string {
    const t = this.vec4 ? 'vec4<f32>' : 'f32';
    // x != x only for NaN: both ops pass it through.
    const value = this.op === 'Relu'
      ? `select(x, ${t}(0.0), x < ${t}(0.0))`
      : `select(select(${t}(uniforms.alpha), ${t}(1.0), x > ${t}(0.0)), x, x != x)`;
    return `
  fn main(index : i32) {
    if (index >= uniforms.count) { return; }
    let x = X[index];
    result[index] = ${value};
  }
`;
  }
}
