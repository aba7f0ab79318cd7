// Convolution forward and both gradients as implicit GEMMs over NHWC tensors (no im2col buffer).
//   forward:         y[M=N·OH·OW, Cout]   = im2col(x)[M, K=KH·KW·Cin]  · w[K, Cout]
//   backprop input:  dx[M=N·H·W, Cin]     = gather(dy)[M, K=KH·KW·Cout] · wᵀ[K, Cin]   (w read as [kh,kw,cin,cout])
//   backprop filter: dw[M=KH·KW·Cin, Cout] = im2col(x)ᵀ[M, K=N·OH·OW]  · dy[K, Cout]
// Filter gradients may split K (see tiling.gemmGrid); each split writes its own slice of a [splits, M, N]
// buffer and SumSplitsProgram adds them in order.
import { TILE_M, TILE_N, WORKGROUP } from '../tiling';
import { ConvLabProgram } from './base';
import { GEMM_UNIFORMS, gemmMain } from './gemm';

export type ConvGemmKind = 'forward' | 'backpropInput' | 'backpropFilter';

export interface ConvDims {
  batch: number; inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  kH: number; kW: number; strideH: number; strideW: number; padTop: number; padLeft: number;
}

export const CONV_UNIFORMS =
  'batch : i32, inH : i32, inW : i32, inC : i32, outH : i32, outW : i32, outC : i32, kH : i32, kW : i32, ' +
  'strideH : i32, strideW : i32, padTop : i32, padLeft : i32, epilogue : i32,';

/** Uniform data in CONV_UNIFORMS order; `epilogue` (epilogueFlags) matters only to the forward program. */
export function convUniformData(d: ConvDims, m: number, n: number, k: number, kChunk: number, epilogue = 0) {
  return [m, n, k, kChunk, d.batch, d.inH, d.inW, d.inC, d.outH, d.outW, d.outC, d.kH, d.kW, d.strideH, d.strideW, d.padTop, d.padLeft, epilogue]
    .map((v) => ({ type: 'int32', data: [v] }));
}

/** GEMM sizes of each kind for the given convolution. */
export function convGemmSize(kind: ConvGemmKind, d: ConvDims): { m: number; n: number; k: number } {
  if (kind === 'forward') return { m: d.batch * d.outH * d.outW, n: d.outC, k: d.kH * d.kW * d.inC };
  if (kind === 'backpropInput') return { m: d.batch * d.inH * d.inW, n: d.inC, k: d.kH * d.kW * d.outC };
  return { m: d.kH * d.kW * d.inC, n: d.outC, k: d.batch * d.outH * d.outW };
}

// Each invocation always stages the same four A rows (see gemm.ts), so their decomposition into
// (batch, y, x) happens once in setupRows instead of on every load: integer division is costly here.
const rowVars = `
  var<private> rBase : vec4<i32>;
  var<private> rH : vec4<i32>;
  var<private> rW : vec4<i32>;
  var<private> rOk : vec4<bool>;
`;

function setupRowsFn(body: (r: string) => string): string {
  const rows = ['x', 'y', 'z', 'w'].map((c, r) => `{
      let m = m0 + ${r};
      ${body(c)}
    }`);
  return `
  fn setupRows(m0 : i32) {
    ${rows.join('\n    ')}
  }
`;
}

/**
 * loadA4 for the gathering kinds: k = (kh, kw, channel) with channel fastest, and the four staged rows read
 * through `rowFn` (xRow or dyRow), whose last argument is the channel.
 */
function gatherA4(rowFn: string, channels: 'inC' | 'outC'): string {
  const row = (c: string) => `${rowFn}(rBase.${c}, rH.${c}, rW.${c}, rOk.${c}, kh, kw, ch)`;
  return `fn loadA4(m : i32, k : i32) -> vec4<f32> {
    let ch = k % uniforms.${channels};
    let t = k / uniforms.${channels};
    let kw = t % uniforms.kW;
    let kh = t / uniforms.kW;
    return vec4<f32>(${row('x')}, ${row('y')}, ${row('z')}, ${row('w')});
  }`;
}

const forwardLoads = rowVars + setupRowsFn((c) => `
      rOk.${c} = m < uniforms.M;
      let plane = uniforms.outH * uniforms.outW;
      let b = m / plane;
      let r = m - b * plane;
      let oh = r / uniforms.outW;
      let ow = r - oh * uniforms.outW;
      rBase.${c} = b * uniforms.inH * uniforms.inW * uniforms.inC;
      rH.${c} = oh * uniforms.strideH - uniforms.padTop;
      rW.${c} = ow * uniforms.strideW - uniforms.padLeft;`) + `
  fn xRow(base : i32, h0 : i32, w0 : i32, ok : bool, kh : i32, kw : i32, ci : i32) -> f32 {
    let ih = h0 + kh;
    let iw = w0 + kw;
    if (!ok || ih < 0 || ih >= uniforms.inH || iw < 0 || iw >= uniforms.inW) { return 0.0; }
    return A[base + (ih * uniforms.inW + iw) * uniforms.inC + ci];
  }
  ${gatherA4('xRow', 'inC')}
`;

const backpropInputLoads = rowVars + setupRowsFn((c) => `
      rOk.${c} = m < uniforms.M;
      let plane = uniforms.inH * uniforms.inW;
      let b = m / plane;
      let r = m - b * plane;
      let ih = r / uniforms.inW;
      let iw = r - ih * uniforms.inW;
      rBase.${c} = b * uniforms.outH * uniforms.outW * uniforms.outC;
      rH.${c} = ih + uniforms.padTop;
      rW.${c} = iw + uniforms.padLeft;`) + `
  fn dyRow(base : i32, hs : i32, ws : i32, ok : bool, kh : i32, kw : i32, co : i32) -> f32 {
    let ohs = hs - kh;
    let ows = ws - kw;
    if (!ok || ohs < 0 || ows < 0) { return 0.0; }
    let oh = ohs / uniforms.strideH;
    let ow = ows / uniforms.strideW;
    if (oh * uniforms.strideH != ohs || ow * uniforms.strideW != ows || oh >= uniforms.outH || ow >= uniforms.outW) { return 0.0; }
    return A[base + (oh * uniforms.outW + ow) * uniforms.outC + co];
  }
  ${gatherA4('dyRow', 'outC')}
  fn wAt(k : i32, n : i32) -> f32 {
    if (n >= uniforms.N) { return 0.0; }
    let co = k % uniforms.outC;
    let khw = k / uniforms.outC;
    return B[(khw * uniforms.inC + n) * uniforms.outC + co];
  }
  fn loadB4(k : i32, n : i32) -> vec4<f32> {
    return vec4<f32>(wAt(k, n), wAt(k, n + 1), wAt(k, n + 2), wAt(k, n + 3));
  }
`;

// Filter gradient rows are filter taps (kh, kw, ci): rH/rW hold the tap's offset from the output pixel.
const backpropFilterLoads = rowVars + setupRowsFn((c) => `
      rOk.${c} = m < uniforms.M;
      let ci = m % uniforms.inC;
      let t = m / uniforms.inC;
      let kw = t % uniforms.kW;
      let kh = t / uniforms.kW;
      rBase.${c} = ci;
      rH.${c} = kh - uniforms.padTop;
      rW.${c} = kw - uniforms.padLeft;`) + `
  fn xTap(ci : i32, dh : i32, dw : i32, ok : bool, b : i32, h0 : i32, w0 : i32) -> f32 {
    let ih = h0 + dh;
    let iw = w0 + dw;
    if (!ok || ih < 0 || ih >= uniforms.inH || iw < 0 || iw >= uniforms.inW) { return 0.0; }
    return A[((b * uniforms.inH + ih) * uniforms.inW + iw) * uniforms.inC + ci];
  }
  fn loadA4(m : i32, k : i32) -> vec4<f32> {
    let plane = uniforms.outH * uniforms.outW;
    let b = k / plane;
    let r = k - b * plane;
    let oh = r / uniforms.outW;
    let ow = r - oh * uniforms.outW;
    let h0 = oh * uniforms.strideH;
    let w0 = ow * uniforms.strideW;
    return vec4<f32>(xTap(rBase.x, rH.x, rW.x, rOk.x, b, h0, w0), xTap(rBase.y, rH.y, rW.y, rOk.y, b, h0, w0),
                     xTap(rBase.z, rH.z, rW.z, rOk.z, b, h0, w0), xTap(rBase.w, rH.w, rW.w, rOk.w, b, h0, w0));
  }
`;

// Filter gradient with inC % 4 == 0: four consecutive taps are four consecutive input channels, so A is one
// vec4 load (x bound as vec4) and needs no per-row setup.
const backpropFilterLoadsVec4 = `
  fn setupRows(m0 : i32) {}
  fn loadA4(m : i32, k : i32) -> vec4<f32> {
    if (m >= uniforms.M) { return vec4<f32>(0.0); }
    let plane = uniforms.outH * uniforms.outW;
    let b = k / plane;
    let r = k - b * plane;
    let oh = r / uniforms.outW;
    let ow = r - oh * uniforms.outW;
    let ci = m % uniforms.inC;
    let t = m / uniforms.inC;
    let kw = t % uniforms.kW;
    let kh = t / uniforms.kW;
    let ih = oh * uniforms.strideH - uniforms.padTop + kh;
    let iw = ow * uniforms.strideW - uniforms.padLeft + kw;
    if (ih < 0 || ih >= uniforms.inH || iw < 0 || iw >= uniforms.inW) { return vec4<f32>(0.0); }
    return A[(((b * uniforms.inH + ih) * uniforms.inW + iw) * uniforms.inC + ci) / 4];
  }
`;

/** B[k, n..n+3] of a row-major [K, N] matrix (forward weights, filter-gradient dy). */
function denseBLoads(vec4: boolean): string {
  if (vec4) {
    return `
  fn loadB4(k : i32, n : i32) -> vec4<f32> {
    if (n >= uniforms.N) { return vec4<f32>(0.0); }
    return B[(k * uniforms.N + n) / 4];
  }
`;
  }
  return `
  fn bAt(k : i32, n : i32) -> f32 {
    if (n >= uniforms.N) { return 0.0; }
    return B[k * uniforms.N + n];
  }
  fn loadB4(k : i32, n : i32) -> vec4<f32> {
    return vec4<f32>(bAt(k, n), bAt(k, n + 1), bAt(k, n + 2), bAt(k, n + 3));
  }
`;
}

export type Epilogue = 'none' | 'bias' | 'biasRelu' | 'relu';

/** The epilogue as the forward program's `epilogue` uniform: bit 0 adds the bias, bit 1 applies ReLU. */
export function epilogueFlags(e: Epilogue): number {
  return (e === 'bias' || e === 'biasRelu' ? 1 : 0) | (e === 'relu' || e === 'biasRelu' ? 2 : 0);
}

// The forward store applies bias and ReLU under uniform flags rather than as shader variants: one pipeline
// serves Conv2D and every FusedConv2D, where four variants would each cost seconds of compilation on
// SwiftShader for a branch that costs nothing (uniform control flow, once per stored vec4).
function storeSnippet(forward: boolean): string {
  const comps = ['x', 'y', 'z', 'w'];
  const epilogue = forward
    ? `
    if ((uniforms.epilogue & 1) != 0) {
      ${comps.map((c, j) => `if (n + ${j} < uniforms.N) { w.${c} = w.${c} + Bias[n + ${j}]; }`).join('\n      ')}
    }
    if ((uniforms.epilogue & 2) != 0) { w = max(w, vec4<f32>(0.0)); }`
    : '';
  return `
  fn storeC4(m : i32, n : i32, v : vec4<f32>) {
    if (m >= uniforms.M) { return; }
    var w = v;${epilogue}
    let base = splitIndex * uniforms.M * uniforms.N + m * uniforms.N + n;
    ${comps.map((c, j) => `if (n + ${j} < uniforms.N) { result[base + ${j}] = w.${c}; }`).join('\n    ')}
  }
`;
}

export class ConvGemmProgram extends ConvLabProgram {
  private readonly kind: ConvGemmKind;
  private readonly vecA: boolean;
  private readonly vecB: boolean;

  /**
   * `outputShape` is the op's output, or [splits, M, N] when a filter gradient splits K. The forward program
   * always binds a third input, Bias (any float buffer when the epilogue adds none), so that one pipeline
   * covers every epilogue.
   */
  constructor(kind: ConvGemmKind, dims: ConvDims, outputShape: number[], dispatch: [number, number, number]) {
    // Vec4 bindings where the contiguous dimension allows: B rows for forward / filter gradient (N = outC),
    // and x itself for the filter gradient when inC % 4 == 0.
    const vecB = kind !== 'backpropInput' && dims.outC % 4 === 0;
    const vecA = kind === 'backpropFilter' && dims.inC % 4 === 0;
    const forward = kind === 'forward';
    super({
      outputShape,
      shaderKey: `convlab_conv_${kind}_${vecA ? 'a4' : 'a1'}${vecB ? 'b4' : 'b1'}`,
      variableNames: forward ? ['A', 'B', 'Bias'] : ['A', 'B'],
      dispatch,
      workgroupSize: WORKGROUP,
      uniforms: GEMM_UNIFORMS + CONV_UNIFORMS,
      flat: false,
      variableComponents: forward ? [vecA ? 4 : 1, vecB ? 4 : 1, 1] : [vecA ? 4 : 1, vecB ? 4 : 1],
      outputComponent: 1,
    });
    this.kind = kind;
    this.vecA = vecA;
    this.vecB = vecB;
  }

  getUserCode(): string {
    let loads: string;
    if (this.kind === 'forward') loads = forwardLoads + denseBLoads(this.vecB);
    else if (this.kind === 'backpropInput') loads = backpropInputLoads;
    else loads = (this.vecA ? backpropFilterLoadsVec4 : backpropFilterLoads) + denseBLoads(this.vecB);
    return loads + storeSnippet(this.kind === 'forward') + gemmMain();
  }
}

/**
 * Dispatch of a GEMM grid: x over N tiles, y over M tiles, z over K splits. tfjs keys a pipeline also on
 * whether the dispatch is flat (y == z == 1), which would compile every variant twice (small vs large M);
 * a grid that would be flat gets a second, idle row of workgroups instead (rows ≥ M load zeros and store
 * nothing), which only ever happens for problems of at most one 64-row tile.
 */
export function gemmDispatch(m: number, n: number, splits: number): [number, number, number] {
  const tilesM = Math.ceil(m / TILE_M);
  return [Math.ceil(n / TILE_N), splits === 1 && tilesM === 1 ? 2 : tilesM, splits];
}
