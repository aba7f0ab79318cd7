// Convolution forward and both gradients as register-blocked implicit GEMMs without workgroup memory, for the
// channel-aligned case (every reduced and produced channel count a multiple of 4; conv.ts sends the rest to the
// shared-memory programs in conv-gemm.ts).
// Why this shape: on SwiftShader (the adapter we measure) workgroup memory is plain memory plus barrier cost,
// dynamically indexed local arrays live in memory, and x86 has 32 vector registers: an invocation that owns
// 4 pixels × 4·C channels in named vec4 accumulators, reads A and B straight from storage as vec4, and keeps all
// index math (including every integer division) outside the channel loop ran 3–4× faster than the tiled GEMM in
// scripts/microbench-kernels.mjs. Real GPUs serve the repeated reads from L1/L2, so it is not a trap there.
//   forward:         y[pixel, co]  = Σ_tap Σ_ci x[pixel@tap, ci] · w[tap, ci, co]        (rows = output pixels)
//   backprop input:  dx[pixel, ci] = Σ_tap Σ_co dy[pixel@tap, co] · w[tap, ci, co]       (rows = input pixels, by stride phase)
//   backprop filter: dw[tap, ci, co] = Σ_pixels x[pixel@tap, ci] · dy[pixel, co]         (one tap, 4 ci per invocation)
import { ConvLabProgram, gridDispatch } from './base';
import { CONV_UNIFORMS, type ConvDims, type ConvGemmKind } from './conv-gemm';
import { rowLoop, validColumns } from './filter-gradient-rows';

/** Uniforms of the direct programs, in the order of directUniformData. */
export const DIRECT_UNIFORMS = 'total : i32, groupsN : i32, M : i32, chunk : i32, inC4 : i32, outC4 : i32,' + CONV_UNIFORMS;

export interface DirectPlan {
  /** Rows (pixels, or ci quads for the filter gradient's 4 ci) and vec4 column groups per invocation. */
  rows: number;
  cols: number;
  /** Column groups of `cols` vec4 across the output's channels. */
  groupsN: number;
  /** Invocations in all (flat). */
  total: number;
  /** Filter gradient: K splits and batch·outH rows per split. Backprop input: chunk = rows per stride phase. */
  splits: number;
  chunk: number;
  /** GEMM rows (pixels for forward, phase-ordered pixels for backprop input, taps·inC for the filter gradient). */
  m: number;
}

/** `epilogue` is conv-gemm's epilogueFlags (bit 0 bias, bit 1 ReLU); only the forward program reads it. */
export function directUniformData(d: ConvDims, p: DirectPlan, epilogue = 0) {
  return [p.total, p.groupsN, p.m, p.chunk, d.inC / 4, d.outC / 4, d.batch, d.inH, d.inW, d.inC, d.outH, d.outW, d.outC, d.kH, d.kW,
    d.strideH, d.strideW, d.padTop, d.padLeft, epilogue].map((v) => ({ type: 'int32', data: [v] }));
}

const COMPS = ['x', 'y', 'z', 'w'];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function accDecls(rows: number, cols: number): string {
  return range(rows).flatMap((r) => range(cols).map((c) => `var acc${r}_${c} = vec4<f32>(0.0);`)).join(' ');
}

/**
 * A tap that falls in the padding for all of an invocation's rows adds nothing: skip its channel loop (on small
 * maps that is a third of the taps at the image's edge rows). Neighbouring invocations share their rows, so
 * the branch is uniform across a SIMD group and masks nothing. Used by backprop input only: in the forward
 * program the same skip measured no gain here (0.9–1.0× on 3×3–7×7 maps, within the machine's noise).
 */
function skipDeadTap(rows: number): string {
  return `if (!(${range(rows).map((r) => `ok${r}`).join(' || ')})) { continue; }`;
}

/** Forward rows are output pixels: decomposed once, clamped so loads stay in bounds. */
function pixelRows(rows: number, w: string, baseExpr: (r: number) => string, hOff: (y: string) => string, wOff: (x: string) => string): string {
  return range(rows).map((r) => `let pm${r} = min(m0 + ${r}, uniforms.M - 1); let pb${r} = pm${r} / plane;
    let pq${r} = pm${r} - pb${r} * plane; let py${r} = pq${r} / uniforms.${w}; let px${r} = pq${r} - py${r} * uniforms.${w};
    let base${r} = ${baseExpr(r)}; let h${r} = ${hOff(`py${r}`)}; let w${r} = ${wOff(`px${r}`)};`).join('\n    ');
}

function forwardBody(rows: number, cols: number): string {
  const tap = range(rows).map((r) => `let ih${r} = h${r} + kh; let iw${r} = w${r} + kw;
        let ok${r} = ih${r} >= 0 && ih${r} < uniforms.inH && iw${r} >= 0 && iw${r} < uniforms.inW;
        let p${r} = select(0, base${r} + (ih${r} * uniforms.inW + iw${r}) * uniforms.inC4, ok${r});`).join('\n        ');
  const body: string[] = [];
  for (const r of range(rows)) body.push(`let a${r} = select(vec4<f32>(0.0), A[p${r} + c], ok${r});`);
  for (let j = 0; j < 4; j++) for (const c of range(cols)) body.push(`let b${j}_${c} = B[wi + ${j} * s + ${c}];`);
  for (const r of range(rows)) for (const c of range(cols)) for (let j = 0; j < 4; j++) {
    body.push(`acc${r}_${c} = fma(vec4<f32>(a${r}.${COMPS[j]}), b${j}_${c}, acc${r}_${c});`);
  }
  return `
    let plane = uniforms.outH * uniforms.outW;
    ${pixelRows(rows, 'outW', (r) => `pb${r} * uniforms.inH * uniforms.inW * uniforms.inC4`, (y) => `${y} * uniforms.strideH - uniforms.padTop`, (x) => `${x} * uniforms.strideW - uniforms.padLeft`)}
    ${accDecls(rows, cols)}
    let s = uniforms.outC4;
    for (var kh = 0; kh < uniforms.kH; kh = kh + 1) {
      for (var kw = 0; kw < uniforms.kW; kw = kw + 1) {
        ${tap}
        var wi = (kh * uniforms.kW + kw) * uniforms.inC * s + nq0;
        for (var c = 0; c < uniforms.inC4; c = c + 1) {
          ${body.join('\n          ')}
          wi = wi + 4 * s;
        }
      }
    }`;
}

/**
 * Backprop input walks dx in stride phases (tiling.dxPhaseRows): all 4 rows of an invocation share a phase
 * (y mod strideH, x mod strideW), so exactly the taps that reach that phase run (kh ≡ py + padTop mod strideH),
 * with no per-tap divisibility test and no masked-out taps: a 3×3 stride-2 dx runs 2.25 taps per pixel instead
 * of 9, a 1×1 stride-2 dx one tap on a quarter of the pixels and none elsewhere. Stride 1 is one phase, the
 * plain row-major walk. Rows are pixels of the phase's sub-grid, ceil(inH/sH)×ceil(inW/sW) per image, padded
 * to a multiple of 4 per phase (uniforms.chunk); pixels past the image are computed on clamped reads and not stored.
 */
function backpropInputBody(rows: number, cols: number): string {
  const pix = range(rows).map((r) => `let q${r} = min(qBase + ${r}, sub - 1); let b${r} = q${r} / subPlane;
    let t${r} = q${r} - b${r} * subPlane; let ys${r} = t${r} / wsub; let xs${r} = t${r} - ys${r} * wsub;
    let y${r} = ys${r} * uniforms.strideH + py; let x${r} = xs${r} * uniforms.strideW + px;
    let valid${r} = qBase + ${r} < sub && y${r} < uniforms.inH && x${r} < uniforms.inW;
    let base${r} = b${r} * uniforms.outH * uniforms.outW * s;`).join('\n    ');
  const tap = range(rows).map((r) => `let oh${r} = ys${r} + dh; let ow${r} = xs${r} + dw;
        let ok${r} = oh${r} >= 0 && oh${r} < uniforms.outH && ow${r} >= 0 && ow${r} < uniforms.outW;
        let p${r} = select(0, base${r} + (oh${r} * uniforms.outW + ow${r}) * s, ok${r});`).join('\n        ');
  const body: string[] = [];
  for (const r of range(rows)) body.push(`let a${r} = select(vec4<f32>(0.0), A[p${r} + cq], ok${r});`);
  for (const c of range(cols)) for (let i = 0; i < 4; i++) body.push(`let b${c}_${i} = B[wi + ${c * 4 + i} * s];`);
  for (const r of range(rows)) for (const c of range(cols)) {
    body.push(`acc${r}_${c} = acc${r}_${c} + vec4<f32>(${range(4).map((i) => `dot(a${r}, b${c}_${i})`).join(', ')});`);
  }
  return `
    let s = uniforms.outC4;
    let hsub = (uniforms.inH + uniforms.strideH - 1) / uniforms.strideH;
    let wsub = (uniforms.inW + uniforms.strideW - 1) / uniforms.strideW;
    let subPlane = hsub * wsub;
    let sub = uniforms.batch * subPlane;
    let phase = m0 / uniforms.chunk;
    let py = phase / uniforms.strideW;
    let px = phase - py * uniforms.strideW;
    let qBase = m0 - phase * uniforms.chunk;
    ${pix}
    ${accDecls(rows, cols)}
    // Output row of the tap = sub-grid row + (py + padTop − kh) / strideH, an exact division by construction.
    for (var kh = (py + uniforms.padTop) % uniforms.strideH; kh < uniforms.kH; kh = kh + uniforms.strideH) {
      let dh = (py + uniforms.padTop - kh) / uniforms.strideH;
      for (var kw = (px + uniforms.padLeft) % uniforms.strideW; kw < uniforms.kW; kw = kw + uniforms.strideW) {
        let dw = (px + uniforms.padLeft - kw) / uniforms.strideW;
        ${tap}
        ${skipDeadTap(rows)}
        var wi = ((kh * uniforms.kW + kw) * uniforms.inC + nq0 * 4) * s;
        for (var cq = 0; cq < uniforms.outC4; cq = cq + 1) {
          ${body.join('\n          ')}
          wi = wi + 1;
        }
      }
    }`;
}

function backpropFilterBody(cols: number): string {
  const body: string[] = ['let a = A[xb + ow * xs];'];
  for (const c of range(cols)) body.push(`let b${c} = B[db + ow * s + ${c}];`);
  for (let i = 0; i < 4; i++) for (const c of range(cols)) body.push(`acc${i}_${c} = fma(vec4<f32>(a.${COMPS[i]}), b${c}, acc${i}_${c});`);
  // The tap is fixed per invocation, so the valid output-column range is computed once instead of per pixel.
  return `
    let taps4 = uniforms.kH * uniforms.kW * uniforms.inC4;
    let rq = mg - (mg / taps4) * taps4;
    let split = mg / taps4;
    let tap = rq / uniforms.inC4;
    let ciq = rq - tap * uniforms.inC4;
    let kh = tap / uniforms.kW;
    let kw = tap - kh * uniforms.kW;
    ${validColumns()}
    ${accDecls(4, cols)}
    let s = uniforms.outC4;
    ${rowLoop({ xPixel: 'uniforms.inC4', xChannel: 'ciq', yPixel: 's', yChannel: 'nq0' }, body)}`;
}

// Bias and ReLU are uniform flags, not shader variants (as in conv-gemm.ts): one forward pipeline per block
// shape serves Conv2D and every FusedConv2D, where variants would each cost seconds of compilation here.
function epilogueCode(rows: number, cols: number): string {
  const lines: string[] = ['let biasOn = (uniforms.epilogue & 1) != 0;', 'let reluOn = (uniforms.epilogue & 2) != 0;'];
  for (const c of range(cols)) lines.push(`let bias${c} = select(vec4<f32>(0.0), Bias[nq0 + ${c}], biasOn);`);
  for (const r of range(rows)) for (const c of range(cols)) {
    lines.push(`acc${r}_${c} = acc${r}_${c} + bias${c}; if (reluOn) { acc${r}_${c} = max(acc${r}_${c}, vec4<f32>(0.0)); }`);
  }
  return lines.join('\n    ');
}

function stores(kind: ConvGemmKind, rows: number, cols: number): string {
  const out: string[] = [];
  if (kind === 'backpropFilter') {
    // Partial sums of split `split` go to slice `split` of a [splits, taps·inC, outC] buffer.
    out.push('let ob = (split * uniforms.M + tap * uniforms.inC + ciq * 4) * s + nq0;');
    for (let i = 0; i < 4; i++) for (const c of range(cols)) out.push(`result[ob + ${i} * s + ${c}] = acc${i}_${c};`);
    return out.join('\n    ');
  }
  if (kind === 'backpropInput') {
    for (const r of range(rows)) {
      const line = range(cols).map((c) => `result[o${r} + ${c}] = acc${r}_${c};`).join(' ');
      out.push(`if (valid${r}) { let o${r} = ((b${r} * uniforms.inH + y${r}) * uniforms.inW + x${r}) * uniforms.inC4 + nq0; ${line} }`);
    }
    return out.join('\n    ');
  }
  for (const r of range(rows)) {
    const line = range(cols).map((c) => `result[(m0 + ${r}) * uniforms.outC4 + nq0 + ${c}] = acc${r}_${c};`).join(' ');
    out.push(`if (m0 + ${r} < uniforms.M) { ${line} }`);
  }
  return out.join('\n    ');
}

export class ConvDirectProgram extends ConvLabProgram {
  private readonly kind: ConvGemmKind;
  private readonly plan: DirectPlan;

  /**
   * `outputShape` is the op's output, or [splits, taps·inC, outC] when a filter gradient splits K. The forward
   * program always binds a third input, Bias (read only when the epilogue flags ask for it).
   */
  constructor(kind: ConvGemmKind, outputShape: number[], plan: DirectPlan) {
    const forward = kind === 'forward';
    super({
      outputShape,
      shaderKey: `convlab_conv_direct_${kind}_${plan.rows}x${plan.cols}`,
      variableNames: forward ? ['A', 'B', 'Bias'] : ['A', 'B'],
      dispatch: gridDispatch(plan.total),
      workgroupSize: [64, 1, 1],
      uniforms: DIRECT_UNIFORMS,
      flat: true,
      variableComponents: forward ? [4, 4, 4] : [4, 4],
      outputComponent: 4,
    });
    this.kind = kind;
    this.plan = plan;
  }

  getUserCode(): string {
    const { rows, cols } = this.plan;
    let body: string;
    if (this.kind === 'forward') body = forwardBody(rows, cols);
    else if (this.kind === 'backpropInput') body = backpropInputBody(rows, cols);
    else body = backpropFilterBody(cols);
    // Consecutive invocations take consecutive column groups of the same rows: they share the A reads.
    return `
  fn main(index : i32) {
    if (index >= uniforms.total) { return; }
    let mg = index / uniforms.groupsN;
    let ng = index - mg * uniforms.groupsN;
    let m0 = mg * ${this.kind === 'backpropFilter' ? 1 : rows};
    let nq0 = ng * ${cols};
    ${body}
    ${this.kind === 'forward' ? epilogueCode(rows, cols) : ''}
    ${stores(this.kind, rows, cols)}
  }
`;
  }
}
