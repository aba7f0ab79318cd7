// Adds the per-split partial sums of a split-K GEMM in a fixed order: the deterministic half of the
// filter-gradient reduction (no float atomics anywhere).
import { ConvLabProgram, flatDispatch } from './base';

export class SumSplitsProgram extends ConvLabProgram {
  constructor(outputShape: number[], count: number) {
    super({
      outputShape,
      shaderKey: 'convlab_sum_splits',
      variableNames: ['P'],
      dispatch: flatDispatch(count),
      workgroupSize: [64, 1, 1],
      uniforms: 'count : i32, splits : i32,',
      flat: true,
    });
  }

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index >= uniforms.count) { return; }
    var s = 0.0;
    for (var i = 0; i < uniforms.splits; i = i + 1) { s = s + P[i * uniforms.count + index]; }
    result[index] = s;
  }
`;
  }
}
