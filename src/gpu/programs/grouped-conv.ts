// Grouped convolution (ResNeXt) forward and both gradients as one dispatch each, NHWC, no workgroup memory.
// Group g reads input channels g·cg … (g+1)·cg−1 and produces output channels g·og … (g+1)·og−1 with the kernel
// [kh, kw, cg, outC]. Each invocation owns a 4 × 4 block inside one group, accumulated in named vec4 registers
// with the channel loop written out (the style that is fast on SwiftShader, see conv-direct.ts):
//   forward:         4 output pixels × 4 output channels of one group     (y[pixel, g·og + o])
//   backprop input:  4 input pixels × 4 input channels of one group       (dx[pixel, g·cg + c])
//   backprop filter: one tap × 4 input × 4 output channels of one group, over one row range of the pixels
//                    (split-K partial sums, added in a fixed order by SumSplitsProgram: no atomics)
// Variants: 'v4' binds x, dy and the kernel as vec4 when cg and og are multiples of 4 (ResNeXt 32×4d: cg = og = 4);
// 'v4g4' (forward, backprop input) also takes 4 neighbouring groups per invocation when groups divide by 4, so
// the per-pixel index math is shared by 16 channels instead of 4; 's' binds scalars for any cg, og (d2l's 2
// channels per group) and clamps the block's reads to the group, writing only the block's real channels.
import { ConvLabProgram, gridDispatch } from './base';
import { rowLoop, validColumns } from './filter-gradient-rows';

export type GroupedKind = 'forward' | 'backpropInput' | 'backpropFilter';

/** The problem as the programs see it: conv dims (inC, outC = all channels) plus the group split. */
export interface GroupedDims {
  batch: number; inH: number; inW: number; inC: number; outH: number; outW: number; outC: number;
  kH: number; kW: number; strideH: number; strideW: number; padTop: number; padLeft: number;
  groups: number;
}

export interface GroupedPlan {
  vec4: boolean;
  /** Groups per invocation (forward, backprop input): 4 when vec4 and groups divide by 4, sharing the pixel math. */
  gs: number;
  /** 4-channel blocks per group on the input (cg) and output (og) side. */
  cBlocks: number;
  oBlocks: number;
  /** Invocations per pixel block (forward, backprop input) or per (split, tap) (backprop filter). */
  blocksN: number;
  /** Rows of the GEMM: pixels (forward, backprop input) or taps·cg (filter gradient). */
  m: number;
  total: number;
  /** Filter gradient only: row ranges (batch·outH rows) and rows per range. */
  splits: number;
  chunk: number;
}

/**
 * Invocation layout for a grouped problem. The filter gradient's output is tiny (taps·cg·outC) and its
 * reduction long (batch·outH·outW), so it is split into row ranges until there are about `targetInvocations`
 * invocations, keeping at least `minPixels` of reduction per range (as directConvPlan).
 */
export function groupedPlan(kind: GroupedKind, d: GroupedDims, targetInvocations = 2048, minPixels = 512): GroupedPlan {
  const cg = d.inC / d.groups;
  const og = d.outC / d.groups;
  const vec4 = cg % 4 === 0 && og % 4 === 0;
  const cBlocks = Math.ceil(cg / 4);
  const oBlocks = Math.ceil(og / 4);
  if (kind === 'backpropFilter') {
    const blocksN = d.groups * cBlocks * oBlocks;
    const base = d.kH * d.kW * blocksN;
    const rowsTotal = d.batch * d.outH;
    const minRows = Math.ceil(minPixels / Math.max(1, d.outW));
    let splits = Math.max(1, Math.min(Math.ceil(targetInvocations / base), Math.floor(rowsTotal / minRows), 32));
    const chunk = Math.ceil(rowsTotal / splits);
    splits = Math.ceil(rowsTotal / chunk);
    return { vec4, gs: 1, cBlocks, oBlocks, blocksN, m: d.kH * d.kW * cg, total: base * splits, splits, chunk };
  }
  const gs = vec4 && d.groups % 4 === 0 ? 4 : 1;
  const blocksN = (d.groups / gs) * (kind === 'forward' ? oBlocks : cBlocks);
  const m = kind === 'forward' ? d.batch * d.outH * d.outW : d.batch * d.inH * d.inW;
  return { vec4, gs, cBlocks, oBlocks, blocksN, m, total: Math.ceil(m / 4) * blocksN, splits: 1, chunk: 0 };
}

/** Uniforms of the grouped programs, in the order of groupedUniformData. */
export const GROUPED_UNIFORMS = 'total : i32, M : i32, blocksN : i32, cBlocks : i32, oBlocks : i32, cg : i32, og : i32, chunk : i32, ' +
  'batch : i32, inH : i32, inW : i32, inC : i32, outH : i32, outW : i32, outC : i32, kH : i32, kW : i32, ' +
  'strideH : i32, strideW : i32, padTop : i32, padLeft : i32,';

export function groupedUniformData(d: GroupedDims, p: GroupedPlan) {
  return [p.total, p.m, p.blocksN, p.cBlocks, p.oBlocks, d.inC / d.groups, d.outC / d.groups, p.chunk, d.batch, d.inH, d.inW, d.inC,
    d.outH, d.outW, d.outC, d.kH, d.kW, d.strideH, d.strideW, d.padTop, d.padLeft].map((v) => ({ type: 'int32', data: [v] }));
}

const C = ['x', 'y', 'z', 'w'];
const R = [0, 1, 2, 3];

/** Four pixel rows per invocation, clamped so loads stay in bounds (stores are guarded). */
function pixelRows(w: string, baseExpr: (r: number) => string, hOff: (y: string) => string, wOff: (x: string) => string): string {
  return R.map((r) => `let pm${r} = min(m0 + ${r}, uniforms.M - 1); let pb${r} = pm${r} / plane;
    let pq${r} = pm${r} - pb${r} * plane; let py${r} = pq${r} / uniforms.${w}; let px${r} = pq${r} - py${r} * uniforms.${w};
    let base${r} = ${baseExpr(r)}; let h${r} = ${hOff(`py${r}`)}; let w${r} = ${wOff(`px${r}`)};`).join('\n    ');
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const accs = (gs: number) => R.flatMap((r) => range(gs).map((q) => `var acc${r}_${q} = vec4<f32>(0.0);`)).join(' ');

/** Channel offsets 0..3 of a block clamped to the group's last channel (scalar variant reads stay in the group). */
const clampedOffsets = (name: string, last: string) => R.map((j) => `let ${name}${j} = min(${j}, ${last});`).join(' ');

function forwardBody(v4: boolean, gs: number): string {
  // Vec4 units: x rows are inC/4 wide, kernel rows outC/4; scalar units: inC and outC.
  const tap = R.map((r) => `let ih${r} = h${r} + kh; let iw${r} = w${r} + kw;
        let ok${r} = ih${r} >= 0 && ih${r} < uniforms.inH && iw${r} >= 0 && iw${r} < uniforms.inW;
        let p${r} = select(0, base${r} + (ih${r} * uniforms.inW + iw${r}) * xw + xg, ok${r});`).join('\n        ');
  const body: string[] = [];
  const zero = v4 ? 'vec4<f32>(0.0)' : '0.0';
  // Group q of the invocation's gs groups: its x channels start q·cn further, its kernel columns q·og further.
  for (const q of range(gs)) {
    for (const r of R) body.push(`let a${r}_${q} = select(${zero}, A[p${r} + c${q ? ` + ${q} * cn` : ''}], ok${r});`);
    if (v4) {
      for (let j = 0; j < 4; j++) body.push(`let b${j}_${q} = B[wi + ${j} * ww${q ? ` + ${q} * on` : ''}];`);
      for (const r of R) for (let j = 0; j < 4; j++) body.push(`acc${r}_${q} = fma(vec4<f32>(a${r}_${q}.${C[j]}), b${j}_${q}, acc${r}_${q});`);
    } else {
      body.push(`let b_${q} = vec4<f32>(${R.map((j) => `B[wi + oo${j}]`).join(', ')});`);
      for (const r of R) body.push(`acc${r}_${q} = fma(vec4<f32>(a${r}_${q}), b_${q}, acc${r}_${q});`);
    }
  }
  body.push(v4 ? 'wi = wi + 4 * ww;' : 'wi = wi + ww;');
  return `
    let plane = uniforms.outH * uniforms.outW;
    let xw = ${v4 ? 'uniforms.inC / 4' : 'uniforms.inC'};
    let ww = ${v4 ? 'uniforms.outC / 4' : 'uniforms.outC'};
    let cn = ${v4 ? 'uniforms.cg / 4' : 'uniforms.cg'};
    let on = ${v4 ? 'uniforms.og / 4' : 'uniforms.og'};
    let xg = g * cn;
    let o0 = blk * 4;
    let col = ${v4 ? 'g * (uniforms.og / 4) + blk' : 'g * uniforms.og + o0'};
    ${v4 ? '' : clampedOffsets('oo', 'uniforms.og - 1 - o0')}
    ${pixelRows('outW', (r) => `pb${r} * uniforms.inH * uniforms.inW * xw`, (y) => `${y} * uniforms.strideH - uniforms.padTop`, (x) => `${x} * uniforms.strideW - uniforms.padLeft`)}
    ${accs(gs)}
    for (var kh = 0; kh < uniforms.kH; kh = kh + 1) {
      for (var kw = 0; kw < uniforms.kW; kw = kw + 1) {
        ${tap}
        var wi = (kh * uniforms.kW + kw) * uniforms.cg * ww + col;
        for (var c = 0; c < cn; c = c + 1) {
          ${body.join('\n          ')}
        }
      }
    }
    ${pixelStores(v4, gs, 'uniforms.og', 'ww')}`;
}

function backpropInputBody(v4: boolean, gs: number): string {
  // Stride > 1: a tap reaches this input pixel only when the offset divides evenly.
  const tap = R.map((r) => `let ohs${r} = h${r} - kh; let ows${r} = w${r} - kw;
        let oh${r} = ohs${r} / uniforms.strideH; let ow${r} = ows${r} / uniforms.strideW;
        let ok${r} = ohs${r} >= 0 && ows${r} >= 0 && oh${r} * uniforms.strideH == ohs${r} && ow${r} * uniforms.strideW == ows${r} &&
          oh${r} < uniforms.outH && ow${r} < uniforms.outW;
        let p${r} = select(0, base${r} + (oh${r} * uniforms.outW + ow${r}) * yw + yg, ok${r});`).join('\n        ');
  const body: string[] = [];
  const zero = v4 ? 'vec4<f32>(0.0)' : '0.0';
  // Group q of the invocation's gs groups: its dy channels and kernel columns start q·on further.
  for (const q of range(gs)) {
    const off = q ? ` + ${q} * on` : '';
    for (const r of R) body.push(`let a${r}_${q} = select(${zero}, A[p${r} + o${off}], ok${r});`);
    if (v4) {
      // Kernel rows (tap, c0 + i) as vec4 over 4 output channels: dx[c0 + i] += dot(dy quad, w quad).
      for (let i = 0; i < 4; i++) body.push(`let b${i}_${q} = B[wi + ${i} * ww${off}];`);
      for (const r of R) body.push(`acc${r}_${q} = acc${r}_${q} + vec4<f32>(${R.map((i) => `dot(a${r}_${q}, b${i}_${q})`).join(', ')});`);
    } else {
      body.push(`let b_${q} = vec4<f32>(${R.map((i) => `B[wi + cc${i} * ww]`).join(', ')});`);
      for (const r of R) body.push(`acc${r}_${q} = fma(vec4<f32>(a${r}_${q}), b_${q}, acc${r}_${q});`);
    }
  }
  body.push('wi = wi + 1;');
  return `
    let plane = uniforms.inH * uniforms.inW;
    let yw = ${v4 ? 'uniforms.outC / 4' : 'uniforms.outC'};
    let ww = yw;
    let on = ${v4 ? 'uniforms.og / 4' : 'uniforms.og'};
    let yg = g * on;
    let c0 = blk * 4;
    ${v4 ? '' : clampedOffsets('cc', 'uniforms.cg - 1 - c0')}
    ${pixelRows('inW', (r) => `pb${r} * uniforms.outH * uniforms.outW * yw`, (y) => `${y} + uniforms.padTop`, (x) => `${x} + uniforms.padLeft`)}
    ${accs(gs)}
    for (var kh = 0; kh < uniforms.kH; kh = kh + 1) {
      for (var kw = 0; kw < uniforms.kW; kw = kw + 1) {
        ${tap}
        var wi = ((kh * uniforms.kW + kw) * uniforms.cg + c0) * ww + yg;
        for (var o = 0; o < on; o = o + 1) {
          ${body.join('\n          ')}
        }
      }
    }
    ${pixelStores(v4, gs, 'uniforms.cg', v4 ? 'uniforms.inC / 4' : 'uniforms.inC')}`;
}

/** Stores of 4 pixel rows × one 4-channel block (channel index `g·n + blk·4 + j`, n = per-group count). */
function pixelStores(v4: boolean, gs: number, perGroup: string, rowWidth: string): string {
  return R.map((r) => {
    const row = `(m0 + ${r}) * ${rowWidth}`;
    const line = v4
      ? range(gs).map((q) => `result[${row} + (g + ${q}) * (${perGroup} / 4) + blk] = acc${r}_${q};`).join(' ')
      : R.map((j) => `if (blk * 4 + ${j} < ${perGroup}) { result[${row} + g * ${perGroup} + blk * 4 + ${j}] = acc${r}_0.${C[j]}; }`).join(' ');
    return `if (m0 + ${r} < uniforms.M) { ${line} }`;
  }).join('\n    ');
}

function backpropFilterBody(v4: boolean): string {
  const body: string[] = [];
  if (v4) {
    body.push('let a = A[xb + ow * xs];', 'let b = B[db + ow * yw];');
  } else {
    body.push(`let a = vec4<f32>(${R.map((i) => `A[xb + ow * xs + cc${i}]`).join(', ')});`);
    body.push(`let b = vec4<f32>(${R.map((j) => `B[db + ow * yw + oo${j}]`).join(', ')});`);
  }
  for (let i = 0; i < 4; i++) body.push(`acc${i}_0 = fma(vec4<f32>(a.${C[i]}), b, acc${i}_0);`);
  const stores = R.map((i) => {
    const row = `(split * uniforms.M + tap * uniforms.cg + c0 + ${i})`;
    if (v4) return `result[${row} * yw + g * (uniforms.og / 4) + ob] = acc${i}_0;`;
    return `if (c0 + ${i} < uniforms.cg) { ${R.map((j) => `if (o0 + ${j} < uniforms.og) { result[${row} * yw + g * uniforms.og + o0 + ${j}] = acc${i}_0.${C[j]}; }`).join(' ')} }`;
  });
  // The tap is fixed per invocation, so the valid output-column range is computed once instead of per pixel.
  return `
    let taps = uniforms.kH * uniforms.kW;
    let split = mg / taps;
    let tap = mg - split * taps;
    let kh = tap / uniforms.kW;
    let kw = tap - kh * uniforms.kW;
    let per = uniforms.cBlocks * uniforms.oBlocks;
    let g = blk / per;
    let cb = (blk - g * per) / uniforms.oBlocks;
    let ob = blk - g * per - cb * uniforms.oBlocks;
    let c0 = cb * 4;
    let o0 = ob * 4;
    let xw = ${v4 ? 'uniforms.inC / 4' : 'uniforms.inC'};
    let yw = ${v4 ? 'uniforms.outC / 4' : 'uniforms.outC'};
    let xg = ${v4 ? 'g * (uniforms.cg / 4) + cb' : 'g * uniforms.cg + c0'};
    let yg = ${v4 ? 'g * (uniforms.og / 4) + ob' : 'g * uniforms.og + o0'};
    ${v4 ? '' : `${clampedOffsets('cc', 'uniforms.cg - 1 - c0')}\n    ${clampedOffsets('oo', 'uniforms.og - 1 - o0')}`}
    ${validColumns()}
    ${accs(1)}
    ${rowLoop({ xPixel: 'xw', xChannel: 'xg', yPixel: 'yw', yChannel: 'yg' }, body)}
    ${stores.join('\n    ')}`;
}

export class GroupedConvProgram extends ConvLabProgram {
  private readonly kind: GroupedKind;
  private readonly vec4: boolean;
  private readonly gs: number;

  /** `outputShape` is the op's output, or [splits, taps·cg, outC] for a filter gradient's partial sums. */
  constructor(kind: GroupedKind, outputShape: number[], plan: GroupedPlan) {
    const comps = plan.vec4 ? 4 : 1;
    super({
      outputShape,
      shaderKey: `convlab_grouped_${kind}_${plan.vec4 ? 'v4' : 's'}${plan.gs > 1 ? `g${plan.gs}` : ''}`,
      variableNames: ['A', 'B'],
      dispatch: gridDispatch(plan.total),
      workgroupSize: [64, 1, 1],
      uniforms: GROUPED_UNIFORMS,
      flat: true,
      variableComponents: [comps, comps],
      outputComponent: plan.vec4 ? 4 : undefined,
    });
    this.kind = kind;
    this.vec4 = plan.vec4;
    this.gs = plan.gs;
  }

  getUserCode(): string {
    const v4 = this.vec4;
    const body = this.kind === 'forward' ? forwardBody(v4, this.gs) : this.kind === 'backpropInput' ? backpropInputBody(v4, this.gs) : backpropFilterBody(v4);
    // Consecutive invocations take consecutive blocks (groups) of the same pixels (or the same tap).
    return `
  fn main(index : i32) {
    if (index >= uniforms.total) { return; }
    let mg = index / uniforms.blocksN;
    let nb = index - mg * uniforms.blocksN;
    ${this.kind === 'backpropFilter' ? 'let blk = nb;' : `let m0 = mg * 4;
    let per = ${this.kind === 'forward' ? 'uniforms.oBlocks' : 'uniforms.cBlocks'};
    let gq = nb / per;
    let g = gq * ${this.gs};
    let blk = nb - gq * per;`}
    ${body}
  }
`;
  }
}
