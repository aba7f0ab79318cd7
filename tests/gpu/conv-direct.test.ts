import { describe, expect, it } from 'vitest';
import { ConvDirectProgram, DIRECT_UNIFORMS, directUniformData } from '../../src/gpu/programs/conv-direct';
import type { ConvDims } from '../../src/gpu/programs/conv-gemm';
import { directConvApplies, directConvPlan } from '../../src/gpu/tiling';

const dims: ConvDims = { batch: 2, inH: 7, inW: 9, inC: 8, outH: 4, outW: 5, outC: 16, kH: 3, kW: 3, strideH: 2, strideW: 2, padTop: 1, padLeft: 1 };

/** The text of the innermost (channel or pixel) loop of a generated shader. */
function innerLoop(code: string, head: string): string {
  const start = code.indexOf(head);
  expect(start, head).toBeGreaterThan(0);
  return code.slice(start, code.indexOf('}', code.indexOf('{', start)));
}

describe('direct conv programs', () => {
  it('take only channel-aligned problems', () => {
    expect(directConvApplies({ kind: 'forward', ...dims })).toBe(true);
    expect(directConvApplies({ kind: 'forward', ...dims, inC: 3 })).toBe(false);
    expect(directConvApplies({ kind: 'backpropFilter', ...dims, outC: 10 })).toBe(false);
  });

  it('block 4 pixels × the widest of 16/8/4 channels that divides the output channels', () => {
    const f = directConvPlan({ kind: 'forward', ...dims });
    expect(f).toMatchObject({ rows: 4, cols: 4, groupsN: 1, m: 2 * 4 * 5, splits: 1 });
    expect(f.total).toBe(Math.ceil(40 / 4));
    // dx rows in stride phases: 4 phases of 2 images × ceil(7/2)×ceil(9/2) = 40 pixels (a multiple of 4 already).
    const bi = directConvPlan({ kind: 'backpropInput', ...dims });
    expect(bi).toMatchObject({ cols: 2, groupsN: 1, m: 4 * 40, chunk: 40 });
    expect(directConvPlan({ kind: 'backpropInput', ...dims, strideH: 1, strideW: 1 })).toMatchObject({ m: 2 * 7 * 9 + 2, chunk: 2 * 7 * 9 + 2 });
    expect(directConvPlan({ kind: 'forward', ...dims, outC: 12 })).toMatchObject({ cols: 1, groupsN: 3 });
  });

  it('split the filter gradient into row ranges that cover batch·outH exactly once', () => {
    for (const batch of [1, 3, 64]) {
      const p = directConvPlan({ kind: 'backpropFilter', ...dims, batch, outH: 28 });
      const rows = batch * 28;
      expect(p.splits * p.chunk).toBeGreaterThanOrEqual(rows);
      expect((p.splits - 1) * p.chunk).toBeLessThan(rows);
      expect(p.total).toBe(9 * 2 * 1 * p.splits);
      if (p.splits > 1) expect(p.chunk * 5).toBeGreaterThanOrEqual(512);
    }
    // A small reduction is never split: every partial-sum buffer size would stay in tfjs's pool.
    expect(directConvPlan({ kind: 'backpropFilter', ...dims, batch: 2, inH: 14, inW: 14, outH: 14, outW: 14 }).splits).toBe(1);
    expect(directConvPlan({ kind: 'backpropFilter', ...dims, batch: 64, outH: 28, outW: 28 }).splits).toBeGreaterThan(1);
  });

  it('declare uniforms in the order directUniformData fills them', () => {
    const names = DIRECT_UNIFORMS.split(',').map((s) => s.split(':')[0].trim()).filter(Boolean);
    const data = directUniformData(dims, directConvPlan({ kind: 'forward', ...dims }), 3);
    expect(data).toHaveLength(names.length);
    expect(Object.fromEntries(names.map((n, i) => [n, data[i].data[0]]))).toMatchObject({ inC4: 2, outC4: 4, M: 40, strideW: 2, epilogue: 3 });
  });

  it('keep accumulators in named registers and the inner loops free of division and local arrays', () => {
    for (const kind of ['forward', 'backpropInput', 'backpropFilter'] as const) {
      const code = new ConvDirectProgram(kind, [1], directConvPlan({ kind, ...dims })).getUserCode();
      expect(code).not.toMatch(/var\s+\w+\s*:\s*array/);
      expect(code).toContain('acc0_0');
      const head = kind === 'forward' ? 'for (var c = 0' : kind === 'backpropInput' ? 'for (var cq = 0' : 'for (var ow = owLo';
      expect(innerLoop(code, head)).not.toMatch(/[/%]/);
    }
  });

  it('compile one pipeline per block shape whatever the problem size', () => {
    const plan = directConvPlan({ kind: 'forward', ...dims });
    const a = new ConvDirectProgram('forward', [2, 4, 5, 16], plan);
    const b = new ConvDirectProgram('forward', [1, 1, 1, 16], directConvPlan({ kind: 'forward', ...dims, batch: 1, outH: 1, outW: 1 }));
    expect(a.shaderKey).toBe(b.shaderKey);
    expect(a.getUserCode()).toBe(b.getUserCode());
    // Never a flat [n, 1, 1] grid (tfjs would key a second pipeline on it).
    expect(a.dispatch[1]).toBeGreaterThan(1);
    expect(b.dispatch[1]).toBeGreaterThan(1);
  });
});
