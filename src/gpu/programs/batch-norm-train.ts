// Training-mode BatchNorm over the last axis, fused: x is viewed as [rows, C] (rows = N·H·W for NHWC) and every
// pass gives one invocation one column (a vec4 of 4 channels when C % 4 == 0) and a run of rows, so the
// per-channel values are loaded once per invocation and no index is ever divided per element.
//   forward:  StatsPartials (one read of x) → StatsCombine (tiny, per channel) → Normalize (x → y)
//   backward: GradPartials (one read of x and dy) → GradCombine (tiny) → InputGrad (x, dy → dx)
// Reductions are two-level and in a fixed order (chunks of ~√rows rows, then the chunks in order): deterministic,
// no atomics. The statistics need one pass over x, not two: each chunk keeps its own mean and sum of squared
// deviations, computed around the chunk's first value (a shift close to the data, so no cancellation), and the
// combine merges chunks exactly (Chan et al.: M2 = Σ M2ᵢ + Σ nᵢ·(meanᵢ − mean)²).
// Per-channel statistics travel packed as S = [2, C] (mean row, biased-variance row) and the gradient sums as
// D = [2, C] (Σdy, Σdy·x̂), which keeps the dx pass at 7 storage bindings (WebGPU's default limit is 8).
// ReLU is a uniform flag, not a variant: its branch is uniform control flow, and it keeps beta statically used
// in every variant (tfjs builds pipelines with layout 'auto', which drops unused bindings).
import { ConvLabProgram, gridDispatch } from './base';
import { reduceSplits } from './reduce-rows';

/** Rows per invocation in the two elementwise passes (normalise, dx). */
export const BN_APPLY_ROWS = 32;

export interface BnTrainPlan {
  /** Rows of the [rows, C] view (every axis but the last). */
  rows: number;
  channels: number;
  vec4: boolean;
  /** Columns in vector units (C / 4 when vec4). */
  cols: number;
  /** Reduction chunks: rowsPer rows each, the last one shorter. */
  rowsPer: number;
  splits: number;
  /** Row chunks of the elementwise passes. */
  applyChunks: number;
}

/** How a channels-last tensor of `shape` splits into passes, or null when it has no channels axis or no data. */
export function bnTrainPlan(shape: number[]): BnTrainPlan | null {
  if (shape.length < 2 || shape.some((d) => d === 0)) return null;
  const channels = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const vec4 = channels % 4 === 0;
  const { rowsPer, splits } = reduceSplits(rows);
  return { rows, channels, vec4, cols: vec4 ? channels / 4 : channels, rowsPer, splits, applyChunks: Math.ceil(rows / BN_APPLY_ROWS) };
}

type U = { type: string; data: number[] };
const int = (v: number): U => ({ type: 'int32', data: [v] });
const float = (v: number): U => ({ type: 'float32', data: [v] });

/** Which per-channel result a combine pass writes: one [C] row, or both rows packed as [2, C]. */
export type CombineTarget = 'first' | 'second' | 'packed';
const TARGET = { first: 0, second: 1, packed: 2 } as const;

// Uniform declarations; each *Uniforms function below fills them in this order.
const PARTIALS_UNIFORMS = 'count : i32, rows : i32, cols : i32, rowsPer : i32, eps : f32, relu : i32,';
const COMBINE_UNIFORMS = 'count : i32, rows : i32, channels : i32, splits : i32, rowsPer : i32, which : i32,';

/** Uniforms of StatsPartials and GradPartials (count = chunks × columns). */
export function partialsUniforms(plan: BnTrainPlan, eps = 0, relu = false): U[] {
  return [int(plan.splits * plan.cols), int(plan.rows), int(plan.cols), int(plan.rowsPer), float(eps), int(relu ? 1 : 0)];
}

/** Uniforms of Normalize and InputGrad (count = row chunks × columns). */
export function applyUniforms(plan: BnTrainPlan, eps: number, relu: boolean): U[] {
  return [int(plan.applyChunks * plan.cols), int(plan.rows), int(plan.cols), int(BN_APPLY_ROWS), float(eps), int(relu ? 1 : 0)];
}

/** Uniforms of StatsCombine and GradCombine (count = channels, scalar). */
export function combineUniforms(plan: BnTrainPlan, target: CombineTarget): U[] {
  return [int(plan.channels), int(plan.rows), int(plan.channels), int(plan.splits), int(plan.rowsPer), int(TARGET[target])];
}

/** The invocation's column c, its first row r0 and row count n, for chunks of `rowsPer` rows. */
const CHUNK_PROLOGUE = `
    if (index >= uniforms.count) { return; }
    let c = index % uniforms.cols;
    let chunk = index / uniforms.cols;
    let r0 = chunk * uniforms.rowsPer;
    let n = min(uniforms.rows - r0, uniforms.rowsPer);
    let stride = uniforms.cols;
    var p = r0 * stride + c;`;

/** Per-channel values every pass after the statistics reads: mean, 1/σ, gamma/σ, beta. */
function channelValues(t: string): string {
  return `
    let m = S[c];
    let r = inverseSqrt(S[uniforms.cols + c] + ${t}(uniforms.eps));
    let a = r * G[c];
    let b = B[c];`;
}

/**
 * dy at p, masked by ReLU when the forward applied one. The pre-activation is recomputed with the very
 * expression Normalize uses, so the mask matches the forward's output bit for bit.
 */
function maskedDy(t: string, at = 'p'): string {
  return `var d = DY[${at}];
      if (uniforms.relu != 0) { d = select(${t}(0.0), d, (x - m) * a + b > ${t}(0.0)); }`;
}

abstract class BnTrainProgram extends ConvLabProgram {
  protected readonly t: string;

  constructor(name: string, vec4: boolean, inputs: string[], outputShape: number[], count: number, uniforms: string) {
    const comp = vec4 ? 4 : 1;
    super({
      outputShape,
      shaderKey: `convlab_bntrain_${name}_${vec4 ? 'v4' : 's'}`,
      variableNames: inputs,
      dispatch: gridDispatch(count),
      workgroupSize: [64, 1, 1],
      uniforms,
      flat: true,
      variableComponents: inputs.map(() => comp),
      outputComponent: comp,
    });
    this.t = vec4 ? 'vec4<f32>' : 'f32';
  }
}

/**
 * Pass 1 of the statistics: per chunk and column, the chunk's mean and sum of squared deviations M2, written
 * to P[chunk][0][c] and P[chunk][1][c]. Sums run around k = the chunk's first value, four rows a trip in
 * named accumulators.
 */
export class BnStatsPartialsProgram extends BnTrainProgram {
  constructor(plan: BnTrainPlan) {
    super('stats_partials', plan.vec4, ['X'], [plan.splits * 2 * plan.channels], plan.splits * plan.cols, PARTIALS_UNIFORMS);
  }

  getUserCode(): string {
    const t = this.t;
    return `
  fn main(index : i32) {${CHUNK_PROLOGUE}
    let k = X[p];
    var s0 = ${t}(0.0); var s1 = ${t}(0.0); var s2 = ${t}(0.0); var s3 = ${t}(0.0);
    var q0 = ${t}(0.0); var q1 = ${t}(0.0); var q2 = ${t}(0.0); var q3 = ${t}(0.0);
    var i = 0;
    for (; i + 4 <= n; i = i + 4) {
      let d0 = X[p] - k; let d1 = X[p + stride] - k; let d2 = X[p + 2 * stride] - k; let d3 = X[p + 3 * stride] - k;
      s0 = s0 + d0; s1 = s1 + d1; s2 = s2 + d2; s3 = s3 + d3;
      q0 = q0 + d0 * d0; q1 = q1 + d1 * d1; q2 = q2 + d2 * d2; q3 = q3 + d3 * d3;
      p = p + 4 * stride;
    }
    for (; i < n; i = i + 1) { let d0 = X[p] - k; s0 = s0 + d0; q0 = q0 + d0 * d0; p = p + stride; }
    let sum = (s0 + s1) + (s2 + s3);
    let squares = (q0 + q1) + (q2 + q3);
    let nf = ${t}(f32(n));
    let o = 2 * chunk * uniforms.cols + c;
    result[o] = k + sum / nf;
    result[o + uniforms.cols] = max(squares - sum * sum / nf, ${t}(0.0));
  }
`;
  }
}

/**
 * Pass 2 of a reduction, one invocation per channel (scalar): merges the chunks' partial sums P in a fixed order
 * into two values per channel, written as the first [C], the second [C] or both packed as [2, C] (uniform `which`).
 */
abstract class BnCombineProgram extends BnTrainProgram {
  constructor(name: string, plan: BnTrainPlan, target: CombineTarget) {
    super(name, false, ['P'], target === 'packed' ? [2, plan.channels] : [plan.channels], plan.channels, COMBINE_UNIFORMS);
  }

  /** WGSL that reads P for channel c (of C) and defines `first` and `second`. */
  protected abstract merge(): string;

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index >= uniforms.count) { return; }
    let c = index;
    let C = uniforms.channels;${this.merge()}
    if (uniforms.which == 0) { result[c] = first; }
    else if (uniforms.which == 1) { result[c] = second; }
    else { result[c] = first; result[C + c] = second; }
  }
`;
  }
}

/** The statistics' pass 2: the chunks' counts, sums and M2 → the mean and the biased variance M2 / rows (tf.moments). */
export class BnStatsCombineProgram extends BnCombineProgram {
  constructor(plan: BnTrainPlan, target: CombineTarget) {
    super('stats_combine', plan, target);
  }

  protected merge(): string {
    return `
    var total = 0.0;
    for (var s = 0; s < uniforms.splits; s = s + 1) {
      let n = f32(min(uniforms.rows - s * uniforms.rowsPer, uniforms.rowsPer));
      total = total + n * P[2 * s * C + c];
    }
    let first = total / f32(uniforms.rows);
    var m2 = 0.0;
    for (var s = 0; s < uniforms.splits; s = s + 1) {
      let n = f32(min(uniforms.rows - s * uniforms.rowsPer, uniforms.rowsPer));
      let d = P[2 * s * C + c] - first;
      m2 = m2 + P[(2 * s + 1) * C + c] + n * d * d;
    }
    let second = m2 / f32(uniforms.rows);`;
  }
}

/** y = (x − mean)·(gamma/σ) + beta, then max(y, 0) when relu; σ = √(variance + ε). Inputs X, S, G, B. */
export class BnNormalizeProgram extends BnTrainProgram {
  constructor(plan: BnTrainPlan, shape: number[]) {
    super('normalize', plan.vec4, ['X', 'S', 'G', 'B'], shape, plan.applyChunks * plan.cols, PARTIALS_UNIFORMS);
  }

  getUserCode(): string {
    const t = this.t;
    return `
  fn main(index : i32) {${CHUNK_PROLOGUE}${channelValues(t)}
    if (uniforms.relu != 0) {
      for (var i = 0; i < n; i = i + 1) { result[p] = max((X[p] - m) * a + b, ${t}(0.0)); p = p + stride; }
    } else {
      for (var i = 0; i < n; i = i + 1) { result[p] = (X[p] - m) * a + b; p = p + stride; }
    }
  }
`;
  }
}

/**
 * Pass 1 of the backward: per chunk and column, Σdy and Σdy·x̂ (x̂ = (x − mean)/σ; dy masked by the ReLU) into
 * P[chunk][0][c] and P[chunk][1][c]. Inputs X, DY, S, G, B.
 */
export class BnGradPartialsProgram extends BnTrainProgram {
  constructor(plan: BnTrainPlan) {
    super('grad_partials', plan.vec4, ['X', 'DY', 'S', 'G', 'B'], [plan.splits * 2 * plan.channels], plan.splits * plan.cols, PARTIALS_UNIFORMS);
  }

  getUserCode(): string {
    const t = this.t;
    return `
  fn main(index : i32) {${CHUNK_PROLOGUE}${channelValues(t)}
    var s0 = ${t}(0.0); var s1 = ${t}(0.0);
    var q0 = ${t}(0.0); var q1 = ${t}(0.0);
    var i = 0;
    for (; i + 2 <= n; i = i + 2) {
      {
        let x = X[p];
        ${maskedDy(t)}
        s0 = s0 + d; q0 = q0 + d * ((x - m) * r);
      }
      {
        let x = X[p + stride];
        ${maskedDy(t, 'p + stride')}
        s1 = s1 + d; q1 = q1 + d * ((x - m) * r);
      }
      p = p + 2 * stride;
    }
    if (i < n) {
      let x = X[p];
      ${maskedDy(t)}
      s0 = s0 + d; q0 = q0 + d * ((x - m) * r);
    }
    let o = 2 * chunk * uniforms.cols + c;
    result[o] = s0 + s1;
    result[o + uniforms.cols] = q0 + q1;
  }
`;
  }
}

/** The backward's pass 2: the chunks' sums in order → dbeta = Σdy and dgamma = Σdy·x̂ per channel. */
export class BnGradCombineProgram extends BnCombineProgram {
  constructor(plan: BnTrainPlan, target: CombineTarget) {
    super('grad_combine', plan, target);
  }

  protected merge(): string {
    return `
    var first = 0.0;
    var second = 0.0;
    for (var s = 0; s < uniforms.splits; s = s + 1) {
      first = first + P[2 * s * C + c];
      second = second + P[(2 * s + 1) * C + c];
    }`;
  }
}

/**
 * dx = (gamma/σ)·(dy − Σdy/rows − x̂·Σdy·x̂/rows), dy masked by the ReLU: the whole gradient of
 * batchNorm(x, moments(x)) with respect to x, through the statistics too. Inputs X, DY, S, G, B, D.
 */
export class BnInputGradProgram extends BnTrainProgram {
  constructor(plan: BnTrainPlan, shape: number[]) {
    super('input_grad', plan.vec4, ['X', 'DY', 'S', 'G', 'B', 'D'], shape, plan.applyChunks * plan.cols, PARTIALS_UNIFORMS);
  }

  getUserCode(): string {
    const t = this.t;
    return `
  fn main(index : i32) {${CHUNK_PROLOGUE}${channelValues(t)}
    let rowsF = ${t}(f32(uniforms.rows));
    let k1 = D[c] / rowsF;
    let k2 = D[uniforms.cols + c] / rowsF;
    for (var i = 0; i < n; i = i + 1) {
      let x = X[p];
      ${maskedDy(t)}
      result[p] = a * (d - k1 - (x - m) * r * k2);
      p = p + stride;
    }
  }
`;
  }
}
