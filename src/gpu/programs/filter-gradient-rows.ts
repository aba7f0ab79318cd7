// The row walk the two filter-gradient programs share (conv-direct.ts for dense convs, grouped-conv.ts for
// grouped ones). Each invocation owns one tap (kh, kw), one block of filter values and one split of the
// output rows [0, N·outH) (chunks of uniforms.chunk, summed later in a fixed order: runSplits).

export interface RowWalk {
  /** x elements (or vec4s) per pixel. */
  xPixel: string;
  /** Where this invocation's channels start inside an x pixel. */
  xChannel: string;
  /** dy elements (or vec4s) per pixel. */
  yPixel: string;
  /** Where this invocation's output channels start inside a dy pixel. */
  yChannel: string;
}

/**
 * The valid output columns for the invocation's tap, [owLo, owHi): computed once, because the tap is fixed
 * per invocation, instead of a bounds test per pixel. Needs `kw` in scope.
 */
export function validColumns(): string {
  return `let lo = uniforms.padLeft - kw;
    let owLo = select(0, (lo + uniforms.strideW - 1) / uniforms.strideW, lo > 0);
    let hiT = uniforms.inW - 1 + uniforms.padLeft - kw;
    let owHi = select(0, min(uniforms.outW, hiT / uniforms.strideW + 1), hiT >= 0);`;
}

/**
 * Every output row of the invocation's split whose input row is not padding, then `body` per valid column
 * with `xb + ow * xs` the x index and `db + ow * yPixel` the dy index of column ow. Needs `split`, `kh`
 * and the names validColumns() declares in scope.
 */
export function rowLoop(walk: RowWalk, body: string[]): string {
  return `let xs = uniforms.strideW * ${walk.xPixel};
    let rowEnd = min(uniforms.batch * uniforms.outH, (split + 1) * uniforms.chunk);
    for (var row = split * uniforms.chunk; row < rowEnd; row = row + 1) {
      let bn = row / uniforms.outH;
      let oh = row - bn * uniforms.outH;
      let ih = oh * uniforms.strideH - uniforms.padTop + kh;
      if (ih < 0 || ih >= uniforms.inH) { continue; }
      // x index of output column 0 at this tap (may be negative; only ow in [owLo, owHi) is read).
      let xb = ((bn * uniforms.inH + ih) * uniforms.inW + kw - uniforms.padLeft) * ${walk.xPixel} + ${walk.xChannel};
      let db = row * uniforms.outW * ${walk.yPixel} + ${walk.yChannel};
      for (var ow = owLo; ow < owHi; ow = ow + 1) {
        ${body.join('\n        ')}
      }
    }`;
}
