// Sum / Mean over one contiguous block of axes, without tfjs's transpose: x is viewed as [outer, rows, cols]
// (rows = the reduced axes, cols = the axes after them), e.g. BatchNorm statistics over [0,1,2] of NHWC are
// [1, N·H·W, C], a per-channel column reduction; global average pooling over [1,2] is [N, H·W, C].
// Two levels, deterministic (no atomics): pass 1 gives each invocation one column (a vec4 of 4 channels when
// cols % 4 == 0) of one chunk of ~√rows rows, summed in four named accumulators (the loop written out 4 rows a
// trip); pass 2 adds the chunks' partial sums per column the same way. Each level adds ~√rows values, so
// thousands of floats still sum to ~1e-7 relative, and neighbouring invocations read neighbouring columns.
// With one chunk (short reductions) pass 1 writes the output directly.
import { ConvLabProgram, gridDispatch } from './base';

export interface ReducePlan {
  outer: number;
  rows: number;
  cols: number;
}

/**
 * How `shape` reduced over `axes` maps onto [outer, rows, cols], or null when the reduced axes (ignoring
 * size-1 dims) are not one contiguous block.
 */
export function reducePlan(shape: number[], axes: number[]): ReducePlan | null {
  const dims = shape.map((d, i) => ({ d, reduced: axes.includes(i) })).filter((x) => x.d !== 1);
  const first = dims.findIndex((x) => x.reduced);
  if (first < 0) return { outer: 1, rows: 1, cols: shape.reduce((a, b) => a * b, 1) };
  let last = first;
  while (last + 1 < dims.length && dims[last + 1].reduced) last++;
  if (dims.slice(last + 1).some((x) => x.reduced)) return null;
  const prod = (xs: { d: number }[]) => xs.reduce((a, x) => a * x.d, 1);
  return { outer: prod(dims.slice(0, first)), rows: prod(dims.slice(first, last + 1)), cols: prod(dims.slice(last + 1)) };
}

/** Rows per pass-1 chunk and the number of chunks: one chunk up to 64 rows, else ~√rows (at least 32) each. */
export function reduceSplits(rows: number): { rowsPer: number; splits: number } {
  if (rows <= 64) return { rowsPer: Math.max(1, rows), splits: 1 };
  const rowsPer = Math.max(32, Math.ceil(Math.sqrt(rows)));
  return { rowsPer, splits: Math.ceil(rows / rowsPer) };
}

/** The shared loop: `n` values at X[start + k·stride], k < n, into s = a0+a1+a2+a3 (four rows a trip). */
function sumLoop(v: string, x: string): string {
  return `
    var a0 = ${v}(0.0); var a1 = ${v}(0.0); var a2 = ${v}(0.0); var a3 = ${v}(0.0);
    var p = start;
    let s4 = 4 * stride;
    var k = 0;
    for (; k + 4 <= n; k = k + 4) {
      a0 = a0 + ${x}[p]; a1 = a1 + ${x}[p + stride]; a2 = a2 + ${x}[p + 2 * stride]; a3 = a3 + ${x}[p + 3 * stride];
      p = p + s4;
    }
    for (; k < n; k = k + 1) { a0 = a0 + ${x}[p]; p = p + stride; }
    let s = (a0 + a1) + (a2 + a3);`;
}

/**
 * Pass 1: invocation (o, split, c) sums rows [split·rowsPer, …) of column c of block o into
 * P[(o·splits + split)·cols + c] (= its index), divided by `divisor` (1 unless this is the only pass of a Mean).
 * Columns, counts and the output are in vector units when vec4.
 */
export class ReduceRowsProgram extends ConvLabProgram {
  private readonly vec4: boolean;

  constructor(outputShape: number[], count: number, vec4: boolean) {
    const comp = vec4 ? 4 : 1;
    super({
      outputShape,
      shaderKey: `convlab_reduce_rows_${vec4 ? 'v4' : 's'}`,
      variableNames: ['X'],
      dispatch: gridDispatch(count),
      workgroupSize: [64, 1, 1],
      uniforms: 'count : i32, rows : i32, cols : i32, splits : i32, rowsPer : i32, divisor : f32,',
      flat: true,
      variableComponents: [comp],
      outputComponent: comp,
    });
    this.vec4 = vec4;
  }

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index >= uniforms.count) { return; }
    let c = index % uniforms.cols;
    let t = index / uniforms.cols;
    let o = t / uniforms.splits;
    let r0 = (t - o * uniforms.splits) * uniforms.rowsPer;
    let n = min(uniforms.rows - r0, uniforms.rowsPer);
    let stride = uniforms.cols;
    let start = (o * uniforms.rows + r0) * stride + c;
    ${sumLoop(this.vec4 ? 'vec4<f32>' : 'f32', 'X')}
    result[index] = s / uniforms.divisor;
  }
`;
  }
}

/** Pass 2: out[o·cols + c] = Σ_split P[(o·splits + split)·cols + c] / divisor. */
export class ReduceSplitsProgram extends ConvLabProgram {
  private readonly vec4: boolean;

  constructor(outputShape: number[], count: number, vec4: boolean) {
    const comp = vec4 ? 4 : 1;
    super({
      outputShape,
      shaderKey: `convlab_reduce_splits_${vec4 ? 'v4' : 's'}`,
      variableNames: ['P'],
      dispatch: gridDispatch(count),
      workgroupSize: [64, 1, 1],
      uniforms: 'count : i32, cols : i32, splits : i32, divisor : f32,',
      flat: true,
      variableComponents: [comp],
      outputComponent: comp,
    });
    this.vec4 = vec4;
  }

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index >= uniforms.count) { return; }
    let c = index % uniforms.cols;
    let o = index / uniforms.cols;
    let n = uniforms.splits;
    let stride = uniforms.cols;
    let start = o * n * stride + c;
    ${sumLoop(this.vec4 ? 'vec4<f32>' : 'f32', 'P')}
    result[index] = s / uniforms.divisor;
  }
`;
  }
}

type U = { type: string; data: number[] };
const int = (v: number): U => ({ type: 'int32', data: [v] });
const float = (v: number): U => ({ type: 'float32', data: [v] });

/** Uniforms and invocation counts for both passes (in vector units when vec4). */
export function reduceUniforms(plan: ReducePlan, vec4: boolean, divisor: number) {
  const cols = vec4 ? plan.cols / 4 : plan.cols;
  const { rowsPer, splits } = reduceSplits(plan.rows);
  const rowsCount = plan.outer * splits * cols;
  const outCount = plan.outer * cols;
  return {
    splits,
    rowsCount,
    outCount,
    rows: [int(rowsCount), int(plan.rows), int(cols), int(splits), int(rowsPer), float(splits === 1 ? divisor : 1)],
    splitsPass: [int(outCount), int(cols), int(splits), float(divisor)],
  };
}
