// Convolution forward and filter gradient for channel counts the vec4 programs (conv-direct.ts) cannot read:
// an input channel count that is not a multiple of 4 (a stem conv on a grey or RGB image: Cin = 1 or 3) or an
// output channel count that is not. Same recipe as conv-direct.ts (named register accumulators, no workgroup
// memory, index math outside the channel loop), but x is read one channel at a time, so nothing is padded:
// the shared-memory GEMM (conv-gemm.ts) pads a Cin = 1 3×3 conv's K = 9 to a 32-deep tile and its 16 output
// channels to a 64-wide one, over 90% wasted work, and ran the Fashion-MNIST lesson's first conv at a
// twentieth of the aligned programs' speed.
//   forward:         y[pixel, co]     = Σ_tap Σ_ci x[pixel@tap, ci] · w[tap, ci, co]  (4 pixels × 4·cols co per invocation)
//   backprop filter: dw[tap·ci, co]   = Σ_pixels x[pixel@tap, ci] · dy[pixel, co]    (4 tap·ci rows × 4·cols co, row splits)
// Weights / dy are read as vec4 when the output channels allow it (`vecN`), else as masked scalars.
import { ConvLabProgram, gridDispatch } from './base';
import { CONV_UNIFORMS, type ConvDims } from './conv-gemm';

export type ThinKind = 'forward' | 'backpropFilter';

/** Uniforms of the thin programs, in the order of thinUniformData. */
export const THIN_UNIFORMS = 'total : i32, groupsN : i32, M : i32, chunk : i32, outC4 : i32,' + CONV_UNIFORMS;

export interface ThinPlan {
  /** Output channels read as vec4 (outC % 4 == 0). */
  vecN: boolean;
  /** vec4 column groups (4 channels each) per invocation, and such groups across the output channels. */
  cols: number;
  groupsN: number;
  /** GEMM rows: output pixels (forward) or taps·inC (filter gradient). */
  m: number;
  /** Invocations in all; the filter gradient's include every split. */
  total: number;
  /** Filter gradient only: row splits of the N·outH output rows, and rows per split. */
  splits: number;
  chunk: number;
}

/** Whether a problem goes to the thin programs: some channel count the vec4 programs cannot read. */
export function thinConvApplies(kind: string, d: Pick<ConvDims, 'inC' | 'outC'>): boolean {
  return (kind === 'forward' || kind === 'backpropFilter') && (d.inC % 4 !== 0 || d.outC % 4 !== 0);
}

/**
 * Blocking: 4 rows × 4·cols output channels per invocation (cols 4, 2 or 1 dividing the vec4 groups; 2 with
 * masked scalars otherwise, to keep the variants few: each costs a second or more of compilation here). The
 * filter gradient splits its pixel reduction into row ranges, summed afterwards in a fixed order, when its
 * output alone gives fewer than `targetInvocations` invocations.
 */
export function thinConvPlan(kind: ThinKind, d: ConvDims, targetInvocations = 2048, minPixels = 512): ThinPlan {
  const vecN = d.outC % 4 === 0;
  const quads = Math.ceil(d.outC / 4);
  const cols = vecN ? (quads % 4 === 0 ? 4 : quads % 2 === 0 ? 2 : 1) : 2;
  const groupsN = Math.ceil(quads / cols);
  if (kind === 'forward') {
    const m = d.batch * d.outH * d.outW;
    return { vecN, cols, groupsN, m, total: Math.ceil(m / 4) * groupsN, splits: 1, chunk: 0 };
  }
  const m = d.kH * d.kW * d.inC;
  const base = Math.ceil(m / 4) * groupsN;
  const rowsTotal = d.batch * d.outH;
  const minRows = Math.ceil(minPixels / Math.max(1, d.outW));
  let splits = Math.max(1, Math.min(Math.ceil(targetInvocations / base), Math.floor(rowsTotal / minRows), 64));
  const chunk = Math.ceil(rowsTotal / splits);
  splits = Math.ceil(rowsTotal / chunk);
  return { vecN, cols, groupsN, m, total: base * splits, splits, chunk };
}

export function thinUniformData(d: ConvDims, p: ThinPlan, epilogue = 0) {
  return [p.total, p.groupsN, p.m, p.chunk, Math.ceil(d.outC / 4), d.batch, d.inH, d.inW, d.inC, d.outH, d.outW, d.outC, d.kH, d.kW,
    d.strideH, d.strideW, d.padTop, d.padLeft, epilogue].map((v) => ({ type: 'int32', data: [v] }));
}

const COMPS = ['x', 'y', 'z', 'w'];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function accDecls(cols: number): string {
  return range(4).flatMap((r) => range(cols).map((c) => `var acc${r}_${c} = vec4<f32>(0.0);`)).join(' ');
}

/**
 * The output-channel operand of column group c at scalar index `idx` (channel co0 + 4c): a vec4 load when
 * the channels are vec4-aligned, else four scalar loads, each zero past the last channel (`nOk` masks).
 */
function loadN(vecN: boolean, c: number, idx: string, buf: string): string {
  // With vecN the index counts vec4s, else scalars.
  if (vecN) return `${buf}[${idx} + ${c}]`;
  const comp = (j: number) => `select(0.0, ${buf}[select(0, ${idx} + ${4 * c + j}, nOk${c}_${j})], nOk${c}_${j})`;
  return `vec4<f32>(${range(4).map(comp).join(', ')})`;
}

/** Per-lane "channel exists" flags for the scalar path; loop-invariant, so computed once. */
function channelMasks(vecN: boolean, cols: number): string {
  if (vecN) return '';
  return range(cols).flatMap((c) => range(4).map((j) => `let nOk${c}_${j} = co0 + ${4 * c + j} < uniforms.outC;`)).join(' ');
}

/** A pixel's channel stride and this invocation's first channel, in the units loadN indexes (vec4s or scalars). */
function units(p: ThinPlan): { stride: string; first: string } {
  return p.vecN ? { stride: 'uniforms.outC4', first: 'ng * ' + p.cols } : { stride: 'uniforms.outC', first: 'co0' };
}

function forwardBody(p: ThinPlan): string {
  const { stride, first } = units(p);
  const rows = range(4);
  const setup = rows.map((r) => `let pm${r} = min(m0 + ${r}, uniforms.M - 1); let pb${r} = pm${r} / plane;
    let pq${r} = pm${r} - pb${r} * plane; let py${r} = pq${r} / uniforms.outW; let px${r} = pq${r} - py${r} * uniforms.outW;
    let base${r} = pb${r} * uniforms.inH * uniforms.inW * uniforms.inC;
    let h${r} = py${r} * uniforms.strideH - uniforms.padTop; let w${r} = px${r} * uniforms.strideW - uniforms.padLeft;`).join('\n    ');
  const tap = rows.map((r) => `let ih${r} = h${r} + kh; let iw${r} = w${r} + kw;
        let ok${r} = ih${r} >= 0 && ih${r} < uniforms.inH && iw${r} >= 0 && iw${r} < uniforms.inW;
        let p${r} = select(0, base${r} + (ih${r} * uniforms.inW + iw${r}) * uniforms.inC, ok${r});`).join('\n        ');
  const body: string[] = [];
  for (const r of rows) body.push(`let a${r} = select(0.0, A[p${r} + ci], ok${r});`);
  for (const c of range(p.cols)) body.push(`let b${c} = ${loadN(p.vecN, c, 'wi', 'B')};`);
  for (const r of rows) for (const c of range(p.cols)) body.push(`acc${r}_${c} = fma(vec4<f32>(a${r}), b${c}, acc${r}_${c});`);
  return `
    let plane = uniforms.outH * uniforms.outW;
    ${setup}
    ${accDecls(p.cols)}
    for (var kh = 0; kh < uniforms.kH; kh = kh + 1) {
      for (var kw = 0; kw < uniforms.kW; kw = kw + 1) {
        ${tap}
        var wi = (kh * uniforms.kW + kw) * uniforms.inC * ${stride} + ${first};
        for (var ci = 0; ci < uniforms.inC; ci = ci + 1) {
          ${body.join('\n          ')}
          wi = wi + ${stride};
        }
      }
    }`;
}

function backpropFilterBody(p: ThinPlan): string {
  const { stride, first } = units(p);
  const rows = range(4);
  // Each of the 4 rows is one filter value (kh, kw, ci), decomposed once; rows past M repeat the last one
  // (their sums are computed and never stored).
  const setup = rows.map((r) => `let tm${r} = min(m0 + ${r}, uniforms.M - 1); let ci${r} = tm${r} % uniforms.inC;
    let tt${r} = tm${r} / uniforms.inC; let kw${r} = tt${r} % uniforms.kW; let kh${r} = tt${r} / uniforms.kW;
    let dw${r} = kw${r} - uniforms.padLeft;`).join('\n    ');
  const perRow = rows.map((r) => `let ih${r} = oh * uniforms.strideH - uniforms.padTop + kh${r};
      let hok${r} = ih${r} >= 0 && ih${r} < uniforms.inH;
      let xr${r} = (bn * uniforms.inH + ih${r}) * uniforms.inW;`).join('\n      ');
  const body: string[] = ['let iw0b = ow * uniforms.strideW;'];
  for (const r of rows) {
    body.push(`let iw${r} = iw0b + dw${r}; let ok${r} = hok${r} && iw${r} >= 0 && iw${r} < uniforms.inW;`);
    body.push(`let a${r} = select(0.0, A[select(0, (xr${r} + iw${r}) * uniforms.inC + ci${r}, ok${r})], ok${r});`);
  }
  for (const c of range(p.cols)) body.push(`let b${c} = ${loadN(p.vecN, c, 'di', 'B')};`);
  for (const r of rows) for (const c of range(p.cols)) body.push(`acc${r}_${c} = fma(vec4<f32>(a${r}), b${c}, acc${r}_${c});`);
  return `
    ${setup}
    ${accDecls(p.cols)}
    let rowEnd = min(uniforms.batch * uniforms.outH, (split + 1) * uniforms.chunk);
    for (var row = split * uniforms.chunk; row < rowEnd; row = row + 1) {
      let bn = row / uniforms.outH;
      let oh = row - bn * uniforms.outH;
      ${perRow}
      var di = row * uniforms.outW * ${stride} + ${first};
      for (var ow = 0; ow < uniforms.outW; ow = ow + 1) {
        ${body.join('\n        ')}
        di = di + ${stride};
      }
    }`;
}

// Bias and ReLU under uniform flags, as in conv-direct.ts: one pipeline for Conv2D and every FusedConv2D.
function epilogueCode(p: ThinPlan): string {
  const lines = ['let biasOn = (uniforms.epilogue & 1) != 0;', 'let reluOn = (uniforms.epilogue & 2) != 0;'];
  for (const c of range(p.cols)) {
    const bias = p.vecN ? `Bias[ng * ${p.cols} + ${c}]` : `vec4<f32>(${range(4).map((j) => `select(0.0, Bias[select(0, co0 + ${4 * c + j}, nOk${c}_${j})], nOk${c}_${j})`).join(', ')})`;
    lines.push(`let bias${c} = select(vec4<f32>(0.0), ${bias}, biasOn);`);
  }
  for (const r of range(4)) for (const c of range(p.cols)) {
    lines.push(`acc${r}_${c} = acc${r}_${c} + bias${c}; if (reluOn) { acc${r}_${c} = max(acc${r}_${c}, vec4<f32>(0.0)); }`);
  }
  return lines.join('\n    ');
}

/** Row `row` of the output (a pixel, or a filter value in split `split`'s slice) gets its 4·cols channels. */
function stores(kind: ThinKind, p: ThinPlan): string {
  const rowBase = (r: number) => (kind === 'forward' ? `(m0 + ${r})` : `(split * uniforms.M + m0 + ${r})`);
  return range(4).map((r) => {
    const parts = range(p.cols).map((c) => {
      if (p.vecN) return `result[${rowBase(r)} * uniforms.outC4 + ng * ${p.cols} + ${c}] = acc${r}_${c};`;
      return range(4).map((j) => `if (nOk${c}_${j}) { result[${rowBase(r)} * uniforms.outC + co0 + ${4 * c + j}] = acc${r}_${c}.${COMPS[j]}; }`).join(' ');
    });
    return `if (m0 + ${r} < uniforms.M) { ${parts.join(' ')} }`;
  }).join('\n    ');
}

export class ConvThinProgram extends ConvLabProgram {
  private readonly kind: ThinKind;
  private readonly plan: ThinPlan;

  /**
   * `outputShape` is the op's output, or [splits, taps·inC, outC] when a filter gradient splits its rows. The
   * forward program always binds a third input, Bias (read only when the epilogue flags ask for it).
   */
  constructor(kind: ThinKind, outputShape: number[], plan: ThinPlan) {
    const forward = kind === 'forward';
    const n = plan.vecN ? 4 : 1;
    super({
      outputShape,
      shaderKey: `convlab_conv_thin_${kind}_${plan.vecN ? 'n4' : 'n1'}x${plan.cols}`,
      variableNames: forward ? ['A', 'B', 'Bias'] : ['A', 'B'],
      dispatch: gridDispatch(plan.total),
      workgroupSize: [64, 1, 1],
      uniforms: THIN_UNIFORMS,
      flat: true,
      // x is always read one channel at a time; weights / dy, bias and the output as vec4 when outC allows.
      variableComponents: forward ? [1, n, n] : [1, n],
      outputComponent: n,
    });
    this.kind = kind;
    this.plan = plan;
  }

  getUserCode(): string {
    const p = this.plan;
    const forward = this.kind === 'forward';
    // Consecutive invocations take consecutive column groups of the same rows: they share the x reads.
    return `
  fn main(index : i32) {
    if (index >= uniforms.total) { return; }
    let rowGroups = (uniforms.M + 3) / 4;
    let mg = index / uniforms.groupsN;
    let ng = index - mg * uniforms.groupsN;
    let split = mg / rowGroups;
    let m0 = (mg - split * rowGroups) * 4;
    let co0 = ng * ${4 * p.cols};
    ${channelMasks(p.vecN, p.cols)}
    ${forward ? forwardBody(p) : backpropFilterBody(p)}
    ${forward ? epilogueCode(p) : ''}
    ${stores(this.kind, p)}
  }
`;
  }
}
