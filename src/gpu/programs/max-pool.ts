// 2×2 stride-2 max-pooling (NHWC) and its gradient, for pools whose windows do not overlap and start at the
// top-left corner ('valid', or 'same' which pads only bottom/right here). Each invocation owns one window (one
// 2×2 block of the input) × 4 channels (vec4 when C % 4 == 0, one channel otherwise): the forward reads the
// block once, the gradient reads it once and writes every one of its input pixels, dy to the window's first
// maximum in row-major order (the CPU backend's choice on ties) and zero to the others. tfjs's MaxPoolGrad
// first runs a positions pass and then, per input pixel, loops over every window that could contain it.
// Blocks past the last window ('valid' on an odd size leaves the last row/column in no window) get zeros.
import { ConvLabProgram, gridDispatch } from './base';

export const POOL_UNIFORMS = 'total : i32, groupsC : i32, inH : i32, inW : i32, outH : i32, outW : i32, blocksH : i32, blocksW : i32, channels : i32,';

export interface PoolDims { batch: number; inH: number; inW: number; channels: number; outH: number; outW: number }

/** Invocations: windows (forward) or input blocks (gradient), times channel groups. */
export function poolInvocations(d: PoolDims, vec4: boolean, grad: boolean): number {
  const groups = vec4 ? d.channels / 4 : d.channels;
  const blocks = grad ? Math.ceil(d.inH / 2) * Math.ceil(d.inW / 2) : d.outH * d.outW;
  return d.batch * blocks * groups;
}

export function poolUniformData(d: PoolDims, vec4: boolean, grad: boolean) {
  const groups = vec4 ? d.channels / 4 : d.channels;
  const blocksH = grad ? Math.ceil(d.inH / 2) : d.outH;
  const blocksW = grad ? Math.ceil(d.inW / 2) : d.outW;
  return [poolInvocations(d, vec4, grad), groups, d.inH, d.inW, d.outH, d.outW, blocksH, blocksW, d.channels].map((v) => ({ type: 'int32', data: [v] }));
}

const POSITIONS = [[0, 0], [0, 1], [1, 0], [1, 1]];

/** The block's (n, bh, bw, channel group) and its four input values, -FLT_MAX where outside the image. */
function blockLoads(vec4: boolean): string {
  const t = vec4 ? 'vec4<f32>' : 'f32';
  const loads = POSITIONS.map(([dh, dw], i) => `let ok${i} = ih0 + ${dh} < uniforms.inH && iw0 + ${dw} < uniforms.inW;
    let at${i} = select(0, ((nb * uniforms.inH + ih0 + ${dh}) * uniforms.inW + iw0 + ${dw}) * uniforms.groupsC + cg, ok${i});
    let v${i} = select(${t}(-3.402823e38), X[at${i}], ok${i});`).join('\n    ');
  return `
    let cg = index % uniforms.groupsC;
    let pix = index / uniforms.groupsC;
    let bw = pix % uniforms.blocksW;
    let rest = pix / uniforms.blocksW;
    let bh = rest % uniforms.blocksH;
    let nb = rest / uniforms.blocksH;
    let ih0 = bh * 2;
    let iw0 = bw * 2;
    ${loads}`;
}

export class MaxPoolProgram extends ConvLabProgram {
  private readonly vec4: boolean;

  constructor(outputShape: number[], total: number, vec4: boolean) {
    super({
      outputShape,
      shaderKey: `convlab_maxpool2_${vec4 ? 'v4' : 's'}`,
      variableNames: ['X'],
      dispatch: gridDispatch(total),
      workgroupSize: [64, 1, 1],
      uniforms: POOL_UNIFORMS,
      flat: true,
      variableComponents: [vec4 ? 4 : 1],
      outputComponent: vec4 ? 4 : 1,
    });
    this.vec4 = vec4;
  }

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index >= uniforms.total) { return; }
    ${blockLoads(this.vec4)}
    result[index] = max(max(v0, v1), max(v2, v3));
  }
`;
  }
}

export class MaxPoolGradProgram extends ConvLabProgram {
  private readonly vec4: boolean;

  /** Inputs: X (the pooled input) and DY (the gradient of the pooled output); writes dx, shaped like X. */
  constructor(outputShape: number[], total: number, vec4: boolean) {
    super({
      outputShape,
      shaderKey: `convlab_maxpool2_grad_${vec4 ? 'v4' : 's'}`,
      variableNames: ['X', 'DY'],
      dispatch: gridDispatch(total),
      workgroupSize: [64, 1, 1],
      uniforms: POOL_UNIFORMS,
      flat: true,
      variableComponents: [vec4 ? 4 : 1, vec4 ? 4 : 1],
      outputComponent: vec4 ? 4 : 1,
    });
    this.vec4 = vec4;
  }

  getUserCode(): string {
    const t = this.vec4 ? 'vec4<f32>' : 'f32';
    const b = this.vec4 ? 'vec4<bool>' : 'bool';
    // First maximum in row-major order: position i wins when it equals the max and no earlier one did.
    // (Vector booleans have no short-circuit &&; & and ! work on both.)
    return `
  fn main(index : i32) {
    if (index >= uniforms.total) { return; }
    ${blockLoads(this.vec4)}
    let inWindow = bh < uniforms.outH && bw < uniforms.outW;
    let g = select(${t}(0.0), DY[select(0, ((nb * uniforms.outH + bh) * uniforms.outW + bw) * uniforms.groupsC + cg, inWindow)], inWindow);
    let m = max(max(v0, v1), max(v2, v3));
    let w0 = v0 == m;
    let w1 = !w0 & (v1 == m);
    let w2 = !w0 & !w1 & (v2 == m);
    let w3 = !w0 & !w1 & !w2;
    let zero = ${t}(0.0);
    ${POSITIONS.map((_, i) => `if (ok${i}) { result[at${i}] = select(zero, g, w${i} & ${b}(inWindow)); }`).join('\n    ')}
  }
`;
  }
}
