// Shape arithmetic and shader text of the thin-channel convs, the 2×2 max-pool, the dense-layer matmul and ReLU / Step
// (their values are checked against the CPU backend in e2e/gpu-conformance.spec.ts).
import { describe, expect, it } from 'vitest';
import type { ConvDims } from '../../src/gpu/programs/conv-gemm';
import { ConvThinProgram, thinConvApplies, thinConvPlan, thinUniformData, THIN_UNIFORMS } from '../../src/gpu/programs/conv-thin';
import { MaxPoolGradProgram, poolInvocations, poolUniformData, POOL_UNIFORMS } from '../../src/gpu/programs/max-pool';
import { MATMUL_UNIFORMS, MatMulProgram, matMulUniformData } from '../../src/gpu/programs/matmul';
import { matMulDims } from '../../src/gpu/kernels/matmul';
import { UnaryProgram } from '../../src/gpu/programs/unary';

// The Fashion-MNIST lesson's first conv: 1 → 16 channels, 3×3 'same', batch 64.
const stem: ConvDims = { batch: 64, inH: 28, inW: 28, inC: 1, outH: 28, outW: 28, outC: 16, kH: 3, kW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1 };
const names = (u: string) => u.split(',').map((s) => s.split(':')[0].trim()).filter(Boolean);

describe('thin-channel conv programs', () => {
  it('take forward and filter gradient when a channel count is not a multiple of 4, nothing else', () => {
    expect(thinConvApplies('forward', stem)).toBe(true);
    expect(thinConvApplies('backpropFilter', { inC: 16, outC: 10 })).toBe(true);
    expect(thinConvApplies('forward', { inC: 16, outC: 32 })).toBe(false);
    expect(thinConvApplies('backpropInput', stem)).toBe(false);
  });

  it('block 4 rows × 16 channels for the stem and mask the channels past a non-multiple of 4', () => {
    expect(thinConvPlan('forward', stem)).toMatchObject({ vecN: true, cols: 4, groupsN: 1, m: 64 * 784, total: 64 * 784 / 4, splits: 1 });
    expect(thinConvPlan('forward', { ...stem, outC: 10 })).toMatchObject({ vecN: false, cols: 2, groupsN: 2 });
    const code = new ConvThinProgram('forward', [1], thinConvPlan('forward', { ...stem, outC: 10 })).getUserCode();
    expect(code).toContain('nOk1_1');
    expect(code).not.toMatch(/var\s+\w+\s*:\s*array/);
  });

  it('split the filter gradient into row ranges that cover batch·outH exactly once', () => {
    for (const batch of [1, 5, 64]) {
      const p = thinConvPlan('backpropFilter', { ...stem, batch });
      expect(p.m).toBe(9);
      expect(p.splits * p.chunk).toBeGreaterThanOrEqual(batch * 28);
      expect((p.splits - 1) * p.chunk).toBeLessThan(batch * 28);
      expect(p.total).toBe(Math.ceil(9 / 4) * p.groupsN * p.splits);
    }
    expect(thinConvPlan('backpropFilter', stem).splits).toBeGreaterThan(1);
  });

  it('declare uniforms in the order thinUniformData fills them', () => {
    const n = names(THIN_UNIFORMS);
    const data = thinUniformData(stem, thinConvPlan('forward', stem), 3);
    expect(data).toHaveLength(n.length);
    expect(Object.fromEntries(n.map((k, i) => [k, data[i].data[0]]))).toMatchObject({ M: 64 * 784, outC4: 4, inC: 1, padLeft: 1, epilogue: 3 });
  });
});

describe('2×2 max-pool programs', () => {
  it('give the gradient one invocation per input block, odd sizes included, and the forward one per window', () => {
    const d = { batch: 2, inH: 5, inW: 7, channels: 8, outH: 2, outW: 3 };
    expect(poolInvocations(d, true, true)).toBe(2 * 3 * 4 * 2);
    expect(poolInvocations(d, true, false)).toBe(2 * 2 * 3 * 2);
    expect(poolInvocations(d, false, true)).toBe(2 * 3 * 4 * 8);
    const n = names(POOL_UNIFORMS);
    const data = poolUniformData(d, true, true);
    expect(Object.fromEntries(n.map((k, i) => [k, data[i].data[0]]))).toMatchObject({ groupsC: 2, blocksH: 3, blocksW: 4, outH: 2 });
  });

  it('send the gradient to the first maximum in row-major order only', () => {
    const code = new MaxPoolGradProgram([1], 1, true).getUserCode();
    expect(code).toMatch(/let w1 = !w0 & \(v1 == m\);/);
    expect(code).toMatch(/let w3 = !w0 & !w1 & !w2;/);
  });
});

describe('dense-layer matmul', () => {
  const t = (shape: number[]) => ({ dataId: {}, dtype: 'float32' as const, shape });

  it('reads transposed operands through strides', () => {
    // The lesson's dense weight gradient: x [64, 1568] transposed times dy [64, 10].
    const r = matMulDims(t([64, 1568]), t([64, 10]), true, false);
    expect(r).toMatchObject({ outShape: [1568, 10], d: { batch: 1, m: 1568, n: 10, k: 64, aRow: 1, aK: 1568, bK: 10, bCol: 1 } });
    const s = matMulDims(t([64, 10]), t([1568, 10]), false, true);
    expect(s).toMatchObject({ outShape: [64, 1568], d: { m: 64, n: 1568, k: 10, aRow: 10, aK: 1, bK: 1, bCol: 10 } });
  });

  it('broadcasts a single matrix over the other side\'s batch and declines other broadcasts', () => {
    expect(matMulDims(t([4, 7, 5]), t([5, 3]), false, false)).toMatchObject({ outShape: [4, 7, 3], d: { batch: 4, aBatch: 35, bBatch: 0 } });
    expect(matMulDims(t([2, 1, 3, 4]), t([1, 2, 4, 5]), false, false)).toBe('batch broadcast');
    expect(matMulDims(t([3, 4]), t([5, 6]), false, false)).toBe('inner dimensions differ');
  });

  it('declares uniforms in the order matMulUniformData fills them', () => {
    const r = matMulDims(t([64, 1568]), t([1568, 10]), false, false);
    if (typeof r === 'string') throw new Error(r);
    const n = names(MATMUL_UNIFORMS);
    const data = matMulUniformData(r.d, 1);
    expect(data).toHaveLength(n.length);
    expect(Object.fromEntries(n.map((k, i) => [k, data[i].data[0]]))).toMatchObject({ M: 64, N: 10, K: 1568, groupsN: 3, groupsM: 16, epilogue: 1 });
    expect(new MatMulProgram([64, 10], 48).getUserCode()).not.toMatch(/var\s+\w+\s*:\s*array/);
  });
});

describe('ReLU and Step programs', () => {
  it('pass NaN through and give Step its alpha at and below zero, vec4 and scalar', () => {
    for (const vec4 of [true, false]) {
      const step = new UnaryProgram('Step', [8], vec4 ? 2 : 8, vec4);
      expect(step.shaderKey).toBe(`convlab_unary_Step_${vec4 ? 'v4' : 's'}`);
      expect(step.getUserCode()).toMatch(/select\(select\((vec4<f32>|f32)\(uniforms\.alpha\), (vec4<f32>|f32)\(1\.0\), x > (vec4<f32>|f32)\(0\.0\)\), x, x != x\)/);
      expect(new UnaryProgram('Relu', [8], 8, vec4).getUserCode()).toMatch(/select\(x, (vec4<f32>|f32)\(0\.0\), x < /);
    }
  });
});
