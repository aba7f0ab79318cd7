import { describe, expect, it } from 'vitest';
import { reducePlan, reduceSplits, reduceUniforms, ReduceRowsProgram, ReduceSplitsProgram } from '../../src/gpu/programs/reduce-rows';
import { BatchNormApplyProgram, binaryPlan, BroadcastBinaryProgram } from '../../src/gpu/programs/broadcast-binary';

describe('reducePlan (Sum / Mean over one contiguous block of axes)', () => {
  it('views BatchNorm statistics over [0,1,2] of NHWC as a per-channel column reduction', () => {
    expect(reducePlan([4, 28, 28, 64], [0, 1, 2])).toEqual({ outer: 1, rows: 4 * 28 * 28, cols: 64 });
  });

  it('handles global pooling [1,2], the last axis, a scalar and a size-1 gap', () => {
    expect(reducePlan([4, 3, 3, 248], [1, 2])).toEqual({ outer: 4, rows: 9, cols: 248 });
    expect(reducePlan([3, 7, 5, 9], [3])).toEqual({ outer: 105, rows: 9, cols: 1 });
    expect(reducePlan([2, 3, 4], [0, 1, 2])).toEqual({ outer: 1, rows: 24, cols: 1 });
    expect(reducePlan([2, 1, 5, 4], [0, 2])).toEqual({ outer: 1, rows: 10, cols: 4 });
    expect(reducePlan([2, 5, 1], [2])).toEqual({ outer: 1, rows: 1, cols: 10 });
  });

  it('declines axes that are not one block', () => {
    expect(reducePlan([2, 3, 4, 5], [0, 2])).toBeNull();
    expect(reducePlan([2, 3, 4, 5], [1, 3])).toBeNull();
  });
});

describe('reduceSplits (two-level summation)', () => {
  it('keeps short reductions in one pass and splits long ones into ~√rows chunks covering every row once', () => {
    expect(reduceSplits(64)).toEqual({ rowsPer: 64, splits: 1 });
    for (const rows of [65, 3136, 6272, 10000, 100352]) {
      const { rowsPer, splits } = reduceSplits(rows);
      expect(splits).toBeGreaterThan(1);
      expect((splits - 1) * rowsPer).toBeLessThan(rows);
      expect(splits * rowsPer).toBeGreaterThanOrEqual(rows);
      expect(rowsPer).toBeLessThanOrEqual(Math.max(32, Math.ceil(Math.sqrt(rows))));
    }
  });

  it('fills uniforms in declaration order, in vec4 units, dividing once (Mean)', () => {
    const u = reduceUniforms({ outer: 1, rows: 3136, cols: 64 }, true, 3136);
    const names = (s: string) => s.split(',').map((x) => x.split(':')[0].trim()).filter(Boolean);
    const rows = new ReduceRowsProgram([64], u.rowsCount, true);
    const pass2 = new ReduceSplitsProgram([64], u.outCount, true);
    expect(Object.fromEntries(names(rows.uniforms!).map((n, i) => [n, u.rows[i].data[0]]))).toMatchObject({ rows: 3136, cols: 16, splits: 56, rowsPer: 56, divisor: 1 });
    expect(Object.fromEntries(names(pass2.uniforms!).map((n, i) => [n, u.splitsPass[i].data[0]]))).toMatchObject({ count: 16, cols: 16, splits: 56, divisor: 3136 });
    expect(reduceUniforms({ outer: 2, rows: 9, cols: 3 }, false, 9).rows.at(-1)!.data[0]).toBe(9);
    expect(rows.getUserCode()).not.toMatch(/array</);
  });
});

describe('binaryPlan (full, per-channel and scalar operands)', () => {
  it('treats [C], [1,1,1,C] and trailing blocks as periodic, vec4 when every period allows', () => {
    expect(binaryPlan([4, 28, 28, 64], [64], [4, 28, 28, 64])).toMatchObject({ periodA: 4 * 28 * 28 * 64, periodB: 64, vec4: true, kinds: 'vv' });
    expect(binaryPlan([1, 1, 1, 8], [2, 3, 3, 8], [2, 3, 3, 8])).toMatchObject({ periodA: 8, vec4: true, kinds: 'vv' });
    expect(binaryPlan([2, 3, 5, 4], [5, 4], [2, 3, 5, 4])).toMatchObject({ periodB: 20, vec4: true });
    expect(binaryPlan([1, 5, 7, 3], [3], [1, 5, 7, 3])).toMatchObject({ vec4: false, kinds: 'vv' });
  });

  it('binds a scalar as one float in vec4 mode and declines other broadcasts', () => {
    expect(binaryPlan([2, 4, 4, 8], [], [2, 4, 4, 8])).toMatchObject({ periodB: 1, vec4: true, kinds: 'vs' });
    expect(binaryPlan([], [2, 4, 4, 8], [2, 4, 4, 8])).toMatchObject({ periodA: 1, vec4: true, kinds: 'sv' });
    expect(binaryPlan([], [], [])).toMatchObject({ vec4: false });
    expect(binaryPlan([2, 1, 1, 4], [2, 3, 3, 4], [2, 3, 3, 4])).toBeNull();
    expect(binaryPlan([3, 1], [1, 4], [3, 4])).toBeNull();
  });

  it('compiles one pipeline per op and operand kind whatever the shape', () => {
    const a = new BroadcastBinaryProgram('Multiply', binaryPlan([4, 28, 28, 64], [64], [4, 28, 28, 64])!);
    const b = new BroadcastBinaryProgram('Multiply', binaryPlan([1, 3, 3, 8], [1, 3, 3, 8], [1, 3, 3, 8])!);
    expect(a.shaderKey).toBe('convlab_binary_Multiply_v4_vv');
    expect(a.shaderKey).toBe(b.shaderKey);
    expect(a.getUserCode()).toBe(b.getUserCode());
    expect(a.uniformData().map((u) => u.data[0])).toEqual([4 * 28 * 28 * 16, 32, 4 * 28 * 28 * 16, 16]);
    const s = new BroadcastBinaryProgram('RealDiv', binaryPlan([2, 4, 4, 8], [], [2, 4, 4, 8])!);
    expect(s.variableComponents).toEqual([4, 1]);
    expect(s.getUserCode()).toContain('let b = vec4<f32>(B[0]);');
  });
});

describe('BatchNormApplyProgram (FusedBatchNorm forward)', () => {
  it('is vec4 when the channel block allows, with uniforms in declaration order', () => {
    const p = new BatchNormApplyProgram([4, 28, 28, 64], 4 * 28 * 28 * 64, 64);
    expect(p.shaderKey).toBe('convlab_batchnorm_v4');
    const names = p.uniforms!.split(',').map((x) => x.split(':')[0].trim()).filter(Boolean);
    const data = BatchNormApplyProgram.uniformData(4 * 28 * 28 * 64, 64, 1e-3);
    expect(Object.fromEntries(names.map((n, i) => [n, data[i].data[0]]))).toMatchObject({ total: 4 * 28 * 28 * 16, period: 16 });
    expect(data[3].type).toBe('float32');
    expect(new BatchNormApplyProgram([1, 5, 7, 3], 105, 3).shaderKey).toBe('convlab_batchnorm_s');
  });
});
