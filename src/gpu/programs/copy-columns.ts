// Moves column blocks of 2-D [rows, cols] views into one destination: concat (every input to its channel
// offset in one pass), slicing (the concat gradient, SplitV, Slice), and the dense-block buffer writes.
// Each invocation copies a run of whole rows of one source (vec4 when all columns and offsets allow it), so each
// element is read once and written once straight to its final place.
// Why runs of rows and not one element per invocation: on SwiftShader every invocation and workgroup costs far
// more than moving a vec4 (one element per invocation ran at ~1% of a raw buffer copy), and per-element
// index math needed an integer division and a branch chain over the sources. Here an invocation finds its
// source with at most one compare per bound source and does no division at all; the inner loop is pure moves.
import { COPY_ELEMENTS_PER_INVOCATION, type ColumnCopy } from '../tiling';
import { ConvLabProgram, gridDispatch } from './base';

export class CopyColumnsProgram extends ConvLabProgram {
  private readonly count: number;
  private readonly accumulate: boolean;

  /**
   * `invocations` comes from copyColumnsUniforms (sources × row blocks). With `accumulate` each source is added
   * to what the destination holds instead of overwriting it (the dense block's gradient buffer, see
   * dense-block.ts); every destination element is still touched by exactly one invocation, so no atomics.
   */
  constructor(outputShape: number[], sources: number, invocations: number, vec4: boolean, accumulate = false) {
    const comp = vec4 ? 4 : 1;
    const names = Array.from({ length: sources }, (_, i) => `S${i}`);
    let uniforms = 'total : i32, dstCols : i32, rows : i32,';
    for (let i = 0; i < sources; i++) uniforms += `end${i} : i32, rowsPer${i} : i32, width${i} : i32, srcCols${i} : i32, srcOff${i} : i32, dstOff${i} : i32,`;
    super({
      outputShape,
      shaderKey: `convlab_${accumulate ? 'add' : 'copy'}_columns_${sources}_${vec4 ? 'v4' : 's'}`,
      variableNames: names,
      // Never a flat [n, 1, 1] grid, so small and large copies share one pipeline (see gridDispatch).
      dispatch: gridDispatch(invocations),
      workgroupSize: [64, 1, 1],
      uniforms,
      flat: true,
      variableComponents: names.map(() => comp),
      outputComponent: comp,
    });
    this.count = sources;
    this.accumulate = accumulate;
  }

  getUserCode(): string {
    const fns: string[] = [];
    const cases: string[] = [];
    const put = (dst: string, src: string) => (this.accumulate ? `result[${dst}] = result[${dst}] + ${src};` : `result[${dst}] = ${src};`);
    for (let i = 0; i < this.count; i++) {
      // Four elements per trip while they last, then the rest: fewer loop branches per element moved.
      fns.push(`
  fn copy${i}(r0 : i32, r1 : i32) {
    let w = uniforms.width${i};
    let w4 = w - w % 4;
    var src = r0 * uniforms.srcCols${i} + uniforms.srcOff${i};
    var dst = r0 * uniforms.dstCols + uniforms.dstOff${i};
    for (var r = r0; r < r1; r = r + 1) {
      var c = 0;
      for (; c < w4; c = c + 4) {
        ${put('dst + c', `S${i}[src + c]`)}
        ${put('dst + c + 1', `S${i}[src + c + 1]`)}
        ${put('dst + c + 2', `S${i}[src + c + 2]`)}
        ${put('dst + c + 3', `S${i}[src + c + 3]`)}
      }
      for (; c < w; c = c + 1) { ${put('dst + c', `S${i}[src + c]`)} }
      src = src + uniforms.srcCols${i};
      dst = dst + uniforms.dstCols;
    }
  }`);
      // Invocations [end(i-1), end(i)) copy source i, rowsPer(i) rows each.
      const start = i === 0 ? '0' : `uniforms.end${i - 1}`;
      const call = `{ let r0 = (index - ${start}) * uniforms.rowsPer${i}; copy${i}(r0, min(uniforms.rows, r0 + uniforms.rowsPer${i})); }`;
      cases.push(i === this.count - 1 ? call : `if (index < uniforms.end${i}) ${call}`);
    }
    return `${fns.join('\n')}
  fn main(index : i32) {
    if (index >= uniforms.total) { return; }
    // Source-major: neighbouring invocations copy neighbouring row blocks of the same source.
    ${cases.join(' else ')}
  }
`;
  }
}

/**
 * Uniform data in the order CopyColumnsProgram declares it, all counts in vector units when vec4, and how many
 * invocations to dispatch: each source is cut into blocks of whole rows holding about
 * COPY_ELEMENTS_PER_INVOCATION vectors, so wide and narrow sources cost an invocation about the same.
 */
export function copyColumnsUniforms(rows: number, dstCols: number, copies: ColumnCopy[], vec4: boolean) {
  const d = vec4 ? 4 : 1;
  let end = 0;
  const per: number[] = [];
  for (const c of copies) {
    const w = c.width / d;
    const rowsPer = Math.max(1, Math.min(rows, Math.floor(COPY_ELEMENTS_PER_INVOCATION / Math.max(1, w))));
    end += Math.ceil(rows / rowsPer);
    per.push(end, rowsPer, w, c.srcCols / d, c.srcOffset / d, c.dstOffset / d);
  }
  const data = [end, dstCols / d, rows, ...per].map((v) => ({ type: 'int32', data: [v] }));
  return { uniforms: data, total: end };
}
