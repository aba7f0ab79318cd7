// Moves column blocks of 2-D [rows, cols] views into one destination: concat (every input to its channel
// offset in one pass), slicing (the concat gradient, SplitV, Slice), and the dense-block buffer writes.
// One invocation per moved element (vec4 when all columns and offsets allow it), so each element is read
// once and written once straight to its final place.
import type { ColumnCopy } from '../tiling';
import { ConvLabProgram, flatDispatch } from './base';

export class CopyColumnsProgram extends ConvLabProgram {
  private readonly count: number;
  private readonly vec4: boolean;

  constructor(outputShape: number[], sources: number, totalElements: number, vec4: boolean) {
    const comp = vec4 ? 4 : 1;
    const names = Array.from({ length: sources }, (_, i) => `S${i}`);
    let uniforms = 'total : i32, dstCols : i32,';
    for (let i = 0; i < sources; i++) uniforms += `end${i} : i32, width${i} : i32, srcCols${i} : i32, srcOff${i} : i32, dstOff${i} : i32,`;
    super({
      outputShape,
      shaderKey: `convlab_copy_columns_${sources}_${vec4 ? 'v4' : 's'}`,
      variableNames: names,
      dispatch: flatDispatch(totalElements / comp),
      workgroupSize: [64, 1, 1],
      uniforms,
      flat: true,
      variableComponents: names.map(() => comp),
      outputComponent: comp,
    });
    this.count = sources;
    this.vec4 = vec4;
  }

  getUserCode(): string {
    const branches: string[] = [];
    for (let i = 0; i < this.count; i++) {
      const start = i === 0 ? '0' : `uniforms.end${i - 1}`;
      const body = `{
      let local = index - ${start};
      let row = local / uniforms.width${i};
      let col = local - row * uniforms.width${i};
      result[row * uniforms.dstCols + uniforms.dstOff${i} + col] = S${i}[row * uniforms.srcCols${i} + uniforms.srcOff${i} + col];
    }`;
      branches.push(i === this.count - 1 ? body : `if (index < uniforms.end${i}) ${body}`);
    }
    return `
  fn main(index : i32) {
    if (index >= uniforms.total) { return; }
    ${branches.join(' else ')}
  }
`;
  }
}

/** Uniform data in the order CopyColumnsProgram declares it; all counts in vector units when vec4. */
export function copyColumnsUniforms(rows: number, dstCols: number, copies: ColumnCopy[], vec4: boolean) {
  const d = vec4 ? 4 : 1;
  const data: Array<{ type: string; data: number[] }> = [];
  let end = 0;
  const per: number[][] = [];
  for (const c of copies) {
    end += (rows * c.width) / d;
    per.push([end, c.width / d, c.srcCols / d, c.srcOffset / d, c.dstOffset / d]);
  }
  data.push({ type: 'int32', data: [end] }, { type: 'int32', data: [dstCols / d] });
  for (const p of per) for (const v of p) data.push({ type: 'int32', data: [v] });
  return { uniforms: data, total: end * d };
}
