// Elementwise Add / Sub / Multiply / RealDiv where each operand is either the full output, a trailing block of
// it repeated (a per-channel [C] or [1,1,1,C] against [N,H,W,C]: the BatchNorm statistics and gradients), or a
// scalar. Then operand X's element for flat output index i is X[i mod periodX], with no coordinates at all.
// Each invocation writes a run of consecutive output vectors (vec4 when every period allows it), stepping both
// operand indices and wrapping them with a select, so there is one integer division per run, not per element.
// tfjs's stock program instead decomposes every index into coordinates (a division per dimension) and, for a
// rank-1 operand under 128 elements, stages it in workgroup memory behind a barrier: its slowest path on
// SwiftShader, and exactly the per-channel case BatchNorm produces.
import { ConvLabProgram, gridDispatch } from './base';

export const BINARY_OPS = { Add: 'a + b', Sub: 'a - b', Multiply: 'a * b', RealDiv: 'a / b' } as const;
export type BinaryOp = keyof typeof BINARY_OPS;

/** Output vectors per invocation. */
export const BINARY_VECTORS_PER_INVOCATION = 32;

export interface BinaryPlan {
  outShape: number[];
  total: number;
  /** Elements of A / B before they repeat (size of the operand; the output size when it is full). */
  periodA: number;
  periodB: number;
  /** vec4 loads/stores; in vec4 mode a size-1 operand is bound as a scalar ('s'), others as vec4 ('v'). */
  vec4: boolean;
  kinds: 'vv' | 'vs' | 'sv';
}

/**
 * An operand is periodic in the output when, right-aligned, it is some leading 1s then exactly the output's
 * trailing dims: its flat index is then the output's flat index mod its size.
 */
export function periodic(shape: number[], out: number[]): boolean {
  const padded = [...new Array(out.length - shape.length).fill(1), ...shape];
  const k = padded.findIndex((d) => d !== 1);
  return k < 0 || padded.slice(k).every((d, j) => d === out[k + j]);
}

/** The plan for A op B, or null when either operand broadcasts in another way (stock handles it). */
export function binaryPlan(aShape: number[], bShape: number[], outShape: number[]): BinaryPlan | null {
  if (!periodic(aShape, outShape) || !periodic(bShape, outShape)) return null;
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const total = size(outShape);
  const periodA = size(aShape);
  const periodB = size(bShape);
  const fits = (p: number) => p % 4 === 0 || p === 1;
  const vec4 = total % 4 === 0 && fits(periodA) && fits(periodB) && !(periodA === 1 && periodB === 1);
  const kinds = !vec4 ? 'vv' : periodA === 1 ? 'sv' : periodB === 1 ? 'vs' : 'vv';
  return { outShape, total, periodA, periodB, vec4, kinds };
}

export class BroadcastBinaryProgram extends ConvLabProgram {
  private readonly op: BinaryOp;
  private readonly plan: BinaryPlan;

  constructor(op: BinaryOp, plan: BinaryPlan) {
    const comp = plan.vec4 ? 4 : 1;
    const count = Math.ceil(plan.total / comp / BINARY_VECTORS_PER_INVOCATION);
    super({
      outputShape: plan.outShape,
      shaderKey: `convlab_binary_${op}_${plan.vec4 ? `v4_${plan.kinds}` : 's'}`,
      variableNames: ['A', 'B'],
      dispatch: gridDispatch(count),
      workgroupSize: [64, 1, 1],
      uniforms: 'total : i32, per : i32, periodA : i32, periodB : i32,',
      flat: true,
      variableComponents: plan.vec4 ? [plan.kinds === 'sv' ? 1 : 4, plan.kinds === 'vs' ? 1 : 4] : [1, 1],
      outputComponent: comp,
    });
    this.op = op;
    this.plan = plan;
  }

  /** Uniform data in declaration order (vector units when vec4). */
  uniformData() {
    const d = this.plan.vec4 ? 4 : 1;
    const period = (p: number) => (p === 1 ? 1 : p / d);
    return [this.plan.total / d, BINARY_VECTORS_PER_INVOCATION, period(this.plan.periodA), period(this.plan.periodB)]
      .map((v) => ({ type: 'int32', data: [v] }));
  }

  getUserCode(): string {
    const t = this.plan.vec4 ? 'vec4<f32>' : 'f32';
    const scalarA = this.plan.vec4 && this.plan.kinds === 'sv';
    const scalarB = this.plan.vec4 && this.plan.kinds === 'vs';
    // A scalar operand is read once; a periodic one steps its own index and wraps at its period.
    const setup = (x: string, scalar: boolean) => (scalar ? `let ${x.toLowerCase()} = ${t}(${x}[0]);` : `var j${x} = i0 % uniforms.period${x};`);
    const load = (x: string, scalar: boolean) => (scalar ? '' : `let ${x.toLowerCase()} = ${x}[j${x}];`);
    const step = (x: string, scalar: boolean) => (scalar ? '' : `j${x} = select(j${x} + 1, 0, j${x} + 1 == uniforms.period${x});`);
    return `
  fn main(index : i32) {
    let i0 = index * uniforms.per;
    if (i0 >= uniforms.total) { return; }
    let i1 = min(uniforms.total, i0 + uniforms.per);
    ${setup('A', scalarA)}
    ${setup('B', scalarB)}
    for (var i = i0; i < i1; i = i + 1) {
      ${load('A', scalarA)}
      ${load('B', scalarB)}
      result[i] = ${BINARY_OPS[this.op]};
      ${step('A', scalarA)}
      ${step('B', scalarB)}
    }
  }
`;
  }
}

/**
 * FusedBatchNorm forward, y = (x − mean) · inverseSqrt(variance + ε) · scale + offset, with x full and the four
 * statistics one per-channel block of `period` elements (the same indexing as above, one index for all four).
 */
export class BatchNormApplyProgram extends ConvLabProgram {
  private readonly vec4: boolean;

  constructor(outShape: number[], total: number, period: number) {
    const vec4 = total % 4 === 0 && period % 4 === 0;
    const comp = vec4 ? 4 : 1;
    super({
      outputShape: outShape,
      shaderKey: `convlab_batchnorm_${vec4 ? 'v4' : 's'}`,
      variableNames: ['X', 'M', 'V', 'O', 'S'],
      dispatch: gridDispatch(Math.ceil(total / comp / BINARY_VECTORS_PER_INVOCATION)),
      workgroupSize: [64, 1, 1],
      uniforms: 'total : i32, per : i32, period : i32, eps : f32,',
      flat: true,
      variableComponents: [comp, comp, comp, comp, comp],
      outputComponent: comp,
    });
    this.vec4 = vec4;
  }

  static uniformData(total: number, period: number, eps: number) {
    const d = total % 4 === 0 && period % 4 === 0 ? 4 : 1;
    return [
      ...[total / d, BINARY_VECTORS_PER_INVOCATION, period / d].map((v) => ({ type: 'int32', data: [v] })),
      { type: 'float32', data: [eps] },
    ];
  }

  getUserCode(): string {
    const t = this.vec4 ? 'vec4<f32>' : 'f32';
    return `
  fn main(index : i32) {
    let i0 = index * uniforms.per;
    if (i0 >= uniforms.total) { return; }
    let i1 = min(uniforms.total, i0 + uniforms.per);
    var j = i0 % uniforms.period;
    for (var i = i0; i < i1; i = i + 1) {
      let r = inverseSqrt(V[j] + ${t}(uniforms.eps));
      result[i] = (X[i] - M[j]) * r * S[j] + O[j];
      j = select(j + 1, 0, j + 1 == uniforms.period);
    }
  }
`;
  }
}
