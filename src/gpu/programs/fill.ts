// Fills a buffer with NaN before the real program runs, so that any element a kernel forgets to write
// shows up in the conformance suite instead of passing with a stale value from the buffer pool.
import { ConvLabProgram, flatDispatch } from './base';

export class FillNaNProgram extends ConvLabProgram {
  constructor(outputShape: number[], count: number) {
    super({
      outputShape,
      shaderKey: 'convlab_fill_nan',
      variableNames: [],
      dispatch: flatDispatch(count),
      workgroupSize: [64, 1, 1],
      uniforms: 'count : i32,',
      flat: true,
    });
  }

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index < uniforms.count) { result[index] = uniforms.NAN; }
  }
`;
  }
}
