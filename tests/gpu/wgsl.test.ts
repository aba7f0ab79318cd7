import { describe, expect, it } from 'vitest';
import { ConvGemmProgram, convGemmSize, convUniformData, CONV_UNIFORMS, epilogueFlags, gemmDispatch, type ConvDims } from '../../src/gpu/programs/conv-gemm';
import { CopyColumnsProgram, copyColumnsUniforms } from '../../src/gpu/programs/copy-columns';
import { GEMM_UNIFORMS, gemmMain } from '../../src/gpu/programs/gemm';
import { COPY_ELEMENTS_PER_INVOCATION, TILE_K } from '../../src/gpu/tiling';

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
    const data = convUniformData(dims, m, n, k, 64, 3);
    expect(data).toHaveLength(names.length);
    expect(Object.fromEntries(names.map((nm, i) => [nm, data[i].data[0]]))).toMatchObject({ M: 40, N: 8, K: 36, strideH: 2, padLeft: 1, inC: 4, epilogue: 3 });
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
    const fwd = new ConvGemmProgram('forward', dims, [2, 4, 5, 8], [1, 2, 1]);
    expect(fwd.variableNames).toEqual(['A', 'B', 'Bias']);
    expect(fwd.getUserCode()).toContain('w.x = w.x + Bias[n + 0]');
    expect(fwd.getUserCode()).toContain('w = max(w, vec4<f32>(0.0))');
    expect(['none', 'bias', 'relu', 'biasRelu'].map((e) => epilogueFlags(e as 'none'))).toEqual([0, 1, 2, 3]);
    // Gradients never carry an epilogue.
    expect(bpf.getUserCode()).not.toContain('Bias');
  });

  it('compile one pipeline per variant whatever the shape: the shader key names only the variant', () => {
    const a = new ConvGemmProgram('forward', dims, [2, 4, 5, 8], [1, 2, 1]);
    const b = new ConvGemmProgram('forward', { ...dims, batch: 1, inH: 1, inW: 1 }, [1, 1, 1, 8], [1, 2, 1]);
    expect(a.shaderKey).toBe(b.shaderKey);
    expect(a.getUserCode()).toBe(b.getUserCode());
  });

  it('never dispatch a flat grid (tfjs would key a second pipeline on it)', () => {
    for (const [m, n, s] of [[1, 1, 1], [64, 64, 1], [65, 8, 1], [10, 200, 3]]) {
      const d = gemmDispatch(m, n, s);
      expect(d[1] === 1 && d[2] === 1, `${m},${n},${s}`).toBe(false);
      expect(d[0]).toBe(Math.ceil(n / 64));
      expect(d[1]).toBeGreaterThanOrEqual(Math.ceil(m / 64));
    }
  });
});

describe('copy-columns program', () => {
  it('gives each invocation a run of rows of one source, written at that source\'s destination offset', () => {
    const copies = [{ srcCols: 3, srcOffset: 0, width: 3, dstOffset: 0 }, { srcCols: 5, srcOffset: 0, width: 5, dstOffset: 3 }];
    const { uniforms, total } = copyColumnsUniforms(4, 8, copies, false);
    // 4 short rows fit one block: one invocation per source.
    expect(total).toBe(2);
    expect(uniforms.map((u) => u.data[0])).toEqual([2, 8, 4, 1, 4, 3, 3, 0, 0, 2, 4, 5, 5, 0, 3]);
    const code = new CopyColumnsProgram([4, 8], 2, total, false).getUserCode();
    expect(code).toContain('if (index < uniforms.end0)');
    expect(code).toContain('var dst = r0 * uniforms.dstCols + uniforms.dstOff1;');
    // No integer division anywhere.
    expect(code).not.toMatch(/ \/ /);
  });

  it('counts in vec4 units on the vec4 path and splits long copies into row blocks', () => {
    const { uniforms, total } = copyColumnsUniforms(2, 8, [{ srcCols: 4, srcOffset: 0, width: 4, dstOffset: 4 }], true);
    expect(total).toBe(1);
    expect(uniforms.map((u) => u.data[0])).toEqual([1, 2, 2, 1, 2, 1, 1, 0, 1]);
    const long = copyColumnsUniforms(1000, 32, [{ srcCols: 32, srcOffset: 0, width: 32, dstOffset: 0 }], true);
    expect(long.total).toBe(Math.ceil(1000 / Math.floor(COPY_ELEMENTS_PER_INVOCATION / 8)));
  });
});
