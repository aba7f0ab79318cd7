// Batched matrix product C[b] = op(A[b]) · op(B[b]) (+ bias, ReLU) for the shapes dense layers make: one thin
// dimension (10 logits, a batch of 64) against a long one, e.g. a Fashion-MNIST CNN's [64, 1568] · [1568, 10]
// and its gradients, [1568, 64] · [64, 10] and [64, 10] · [10, 1568]. tfjs's tiled matmul pads the thin side
// to its 32-wide tiles; here each invocation owns a 4×4 block of C in four named vec4 accumulators and reads
// A and B through strides, so a transposed operand costs nothing and no dimension is padded past 4.
import { ConvLabProgram, gridDispatch } from './base';

export const MATMUL_UNIFORMS = 'total : i32, groupsN : i32, groupsM : i32, M : i32, N : i32, K : i32, ' +
  'aBatch : i32, aRow : i32, aK : i32, bBatch : i32, bK : i32, bCol : i32, epilogue : i32,';

export interface MatMulDims {
  batch: number; m: number; n: number; k: number;
  /** Element strides of A (batch, row m, inner k) and B (batch, inner k, column n); batch stride 0 broadcasts. */
  aBatch: number; aRow: number; aK: number; bBatch: number; bK: number; bCol: number;
}

export function matMulInvocations(d: MatMulDims): number {
  return d.batch * Math.ceil(d.m / 4) * Math.ceil(d.n / 4);
}

/** `epilogue`: bit 0 adds Bias[n], bit 1 applies ReLU (uniform flags: one pipeline for every variant). */
export function matMulUniformData(d: MatMulDims, epilogue: number) {
  return [matMulInvocations(d), Math.ceil(d.n / 4), Math.ceil(d.m / 4), d.m, d.n, d.k, d.aBatch, d.aRow, d.aK, d.bBatch, d.bK, d.bCol, epilogue]
    .map((v) => ({ type: 'int32', data: [v] }));
}

const R = [0, 1, 2, 3];
const COMPS = ['x', 'y', 'z', 'w'];

export class MatMulProgram extends ConvLabProgram {
  /** Inputs A, B and Bias (any float buffer when the epilogue adds none: it is then never used). */
  constructor(outputShape: number[], total: number) {
    super({
      outputShape,
      shaderKey: 'convlab_matmul_4x4',
      variableNames: ['A', 'B', 'Bias'],
      dispatch: gridDispatch(total),
      workgroupSize: [64, 1, 1],
      uniforms: MATMUL_UNIFORMS,
      flat: true,
    });
  }

  getUserCode(): string {
    // Rows past M and columns past N are clamped for loading (their sums are never stored).
    const setup = [
      ...R.map((r) => `var ai${r} = bt * uniforms.aBatch + min(m0 + ${r}, uniforms.M - 1) * uniforms.aRow;`),
      ...R.map((c) => `var bi${c} = bt * uniforms.bBatch + min(n0 + ${c}, uniforms.N - 1) * uniforms.bCol;`),
      ...R.map((r) => `var acc${r} = vec4<f32>(0.0);`),
    ];
    const step = [
      `let b = vec4<f32>(${R.map((c) => `B[bi${c}]`).join(', ')});`,
      ...R.map((r) => `acc${r} = fma(vec4<f32>(A[ai${r}]), b, acc${r});`),
      ...R.map((r) => `ai${r} = ai${r} + uniforms.aK;`),
      ...R.map((c) => `bi${c} = bi${c} + uniforms.bK;`),
    ];
    const stores = R.map((r) => `if (m0 + ${r} < uniforms.M) {
      var v = acc${r};
      if (biasOn) { v = v + bias; }
      if (reluOn) { v = max(v, vec4<f32>(0.0)); }
      let o = (bt * uniforms.M + m0 + ${r}) * uniforms.N + n0;
      ${R.map((c) => `if (n0 + ${c} < uniforms.N) { result[o + ${c}] = v.${COMPS[c]}; }`).join(' ')}
    }`);
    return `
  fn main(index : i32) {
    if (index >= uniforms.total) { return; }
    let ng = index % uniforms.groupsN;
    let rest = index / uniforms.groupsN;
    let mg = rest % uniforms.groupsM;
    let bt = rest / uniforms.groupsM;
    let m0 = mg * 4;
    let n0 = ng * 4;
    ${setup.join('\n    ')}
    for (var k = 0; k < uniforms.K; k = k + 1) {
      ${step.join('\n      ')}
    }
    let biasOn = (uniforms.epilogue & 1) != 0;
    let reluOn = (uniforms.epilogue & 2) != 0;
    let bias = select(vec4<f32>(0.0), vec4<f32>(${R.map((c) => `Bias[min(n0 + ${c}, uniforms.N - 1)]`).join(', ')}), biasOn);
    ${stores.join('\n    ')}
  }
`;
  }
}
