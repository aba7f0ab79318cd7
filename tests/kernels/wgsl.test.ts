import { describe, expect, it } from 'vitest';
import { ConvGemmProgram, convGemmSize, convUniformData, CONV_UNIFORMS, type ConvDims } from '../../src/kernels/programs/conv-gemm';
import { CopyColumnsProgram, copyColumnsUniforms } from '../../src/kernels/programs/copy-columns';
import { GEMM_UNIFORMS, gemmMain } from '../../src/kernels/programs/gemm';
import { TILE_K } from '../../src/kernels/tiling';

const dims: ConvDims = { batch: 2, inH: 7, inW: 9, inC: 4, outH: 4, outW: 5, outC: 8, kH: 3, kW: 3, strideH: 2, strideW: 2, padTop: 1, padLeft: 1 };

describe('implicit GEMM shader text', () => {
  const src = gemmMain();

  it('keeps accumulators in named registers and writes the k loop out (no indexed local arrays)', () => {
    expect(src).not.toMatch(/var\s+acc\w*\s*:\s*array/);
    expect(src).toContain('acc0_0');
    expect((src.match(/tileB\[/g) ?? []).length).toBeGreaterThanOrEqual(TILE_K);
  });

  it('puts barriers under a loop whose trip count depends only on uniforms', () => {
    expect(src).toMatch(/for \(var t = 0; t < uniforms\.kChunk;/);
    expect((src.match(/workgroupBarrier\(\)/g) ?? []).length).toBe(2);
  });
});

describe('conv programs', () => {
  it('declare uniforms in the order convUniformData fills them', () => {
    const names = (GEMM_UNIFORMS + CONV_UNIFORMS).split(',').map((s) => s.split(':')[0].trim()).filter(Boolean);
    const { m, n, k } = convGemmSize('forward', dims);
    const data = convUniformData(dims, m, n, k, 64);
    expect(data).toHaveLength(names.length);
    expect(Object.fromEntries(names.map((nm, i) => [nm, data[i].data[0]]))).toMatchObject({ M: 40, N: 8, K: 36, strideH: 2, padLeft: 1, inC: 4 });
  });

  it('size each GEMM as the op needs', () => {
    expect(convGemmSize('backpropInput', dims)).toEqual({ m: 2 * 7 * 9, n: 4, k: 9 * 8 });
    expect(convGemmSize('backpropFilter', dims)).toEqual({ m: 9 * 4, n: 8, k: 2 * 4 * 5 });
  });

  it('bind x as vec4 for the filter gradient only when channels allow, and fuse bias + relu into the store', () => {
    const bpf = new ConvGemmProgram('backpropFilter', dims, [3, 3, 4, 8], [1, 1, 1]);
    expect(bpf.variableComponents).toEqual([4, 4]);
    expect(bpf.getUserCode()).toContain('A[(((b * uniforms.inH + ih) * uniforms.inW + iw) * uniforms.inC + ci) / 4]');
    const odd = new ConvGemmProgram('backpropFilter', { ...dims, inC: 3 }, [3, 3, 3, 8], [1, 1, 1]);
    expect(odd.variableComponents).toEqual([1, 4]);
    const fused = new ConvGemmProgram('forward', dims, [2, 4, 5, 8], [1, 1, 1], 'biasRelu');
    expect(fused.variableNames).toEqual(['A', 'B', 'Bias']);
    expect(fused.getUserCode()).toContain('max((v.x + Bias[n + 0]), 0.0)');
  });
});

describe('copy-columns program', () => {
  it('writes every source at its own destination offset, branching on cumulative element counts', () => {
    const copies = [{ srcCols: 3, srcOffset: 0, width: 3, dstOffset: 0 }, { srcCols: 5, srcOffset: 0, width: 5, dstOffset: 3 }];
    const { uniforms, total } = copyColumnsUniforms(4, 8, copies, false);
    expect(total).toBe(32);
    expect(uniforms.map((u) => u.data[0])).toEqual([32, 8, 12, 3, 3, 0, 0, 32, 5, 5, 0, 3]);
    const code = new CopyColumnsProgram([4, 8], 2, total, false).getUserCode();
    expect(code).toContain('if (index < uniforms.end0)');
    expect(code).toContain('uniforms.dstOff1 + col');
  });

  it('counts in vec4 units on the vec4 path', () => {
    const { uniforms, total } = copyColumnsUniforms(2, 8, [{ srcCols: 4, srcOffset: 0, width: 4, dstOffset: 4 }], true);
    expect(total).toBe(8);
    expect(uniforms.map((u) => u.data[0])).toEqual([2, 2, 2, 1, 1, 0, 1]);
  });
});
