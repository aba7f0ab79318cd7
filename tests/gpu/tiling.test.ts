import { describe, expect, it } from 'vitest';
import { concatAsColumns, copiesAreVec4, dxPhaseRows, gemmGrid, groupCopies, sliceAsColumns, TILE_K } from '../../src/gpu/tiling';
import { denseOffsets } from '../../src/gpu/ops/dense-block';

describe('gemmGrid (split-K for the filter gradient)', () => {
  it('does not split when the output alone fills the device', () => {
    const g = gemmGrid(8 * 28 * 28, 64, 9 * 64);
    expect(g.splits).toBe(1);
    expect(g.kChunk).toBeGreaterThanOrEqual(9 * 64);
  });

  it('splits a long reduction with a small output into tile-aligned chunks that cover K exactly once', () => {
    const k = 64 * 28 * 28;
    const g = gemmGrid(9 * 3, 8, k);
    expect(g.splits).toBeGreaterThan(1);
    expect(g.kChunk % TILE_K).toBe(0);
    expect((g.splits - 1) * g.kChunk).toBeLessThan(k);
    expect(g.splits * g.kChunk).toBeGreaterThanOrEqual(k);
    expect(g.dispatch[2]).toBe(g.splits);
  });
});

describe('column copies', () => {
  it('views a channel concat as column blocks at running offsets', () => {
    const p = concatAsColumns([[2, 3, 3, 4], [2, 3, 3, 5], [2, 3, 3, 1]], 3);
    expect(p.rows).toBe(18);
    expect(p.dstCols).toBe(10);
    expect(p.copies.map((c) => [c.width, c.dstOffset])).toEqual([[4, 0], [5, 4], [1, 9]]);
  });

  it('views a concat on an outer axis with the inner axes folded into columns', () => {
    const p = concatAsColumns([[1, 2, 9, 3], [1, 5, 9, 3]], 1);
    expect(p.rows).toBe(1);
    expect(p.copies.map((c) => [c.width, c.dstOffset])).toEqual([[54, 0], [135, 54]]);
  });

  it('uses vec4 only when every width and offset is a multiple of four', () => {
    expect(copiesAreVec4(concatAsColumns([[1, 2, 2, 4], [1, 2, 2, 8]], 3).copies, 12)).toBe(true);
    expect(copiesAreVec4(concatAsColumns([[1, 2, 2, 4], [1, 2, 2, 6]], 3).copies, 10)).toBe(false);
  });

  it('groups sources so no dispatch binds more than the limit, in order', () => {
    const groups = groupCopies(Array.from({ length: 17 }, (_, i) => i), 7);
    expect(groups.map((g) => g.length)).toEqual([7, 7, 3]);
    expect(groups.flat()).toEqual(Array.from({ length: 17 }, (_, i) => i));
  });

  it('turns a channel slice into one column block and refuses strided slices', () => {
    expect(sliceAsColumns([2, 4, 4, 10], [0, 0, 0, 3], [2, 4, 4, 5])).toEqual({ rows: 32, copy: { srcCols: 10, srcOffset: 3, width: 5, dstOffset: 0 } });
    expect(sliceAsColumns([2, 4, 4, 10], [0, 1, 0, 0], [2, 2, -1, -1])).toEqual({ rows: 2, copy: { srcCols: 160, srcOffset: 40, width: 80, dstOffset: 0 } });
    expect(sliceAsColumns([2, 4, 4, 10], [0, 1, 0, 3], [2, 2, 4, 5])).toBeNull();
  });
});

describe('dense block offsets', () => {
  it('places each layer after the input and the previous layers', () => {
    expect(denseOffsets(16, [{ outChannels: 8 }, { outChannels: 8 }, { outChannels: 8 }])).toEqual({ offsets: [16, 24, 32], total: 40 });
  });
});

describe('dxPhaseRows (backprop input in stride phases)', () => {
  // What the shader does with the plan: phase = m / perPhase, then (image, sub-row, sub-column) of the phase's grid.
  function pixelsOf(s: Parameters<typeof dxPhaseRows>[0]): string[] {
    const { perPhase, m } = dxPhaseRows(s);
    const sH = s.strideH ?? 1;
    const sW = s.strideW ?? 1;
    const hs = Math.ceil(s.inH / sH);
    const ws = Math.ceil(s.inW / sW);
    const out: string[] = [];
    for (let i = 0; i < m; i++) {
      const phase = Math.floor(i / perPhase);
      const q = i - phase * perPhase;
      const b = Math.floor(q / (hs * ws));
      const t = q - b * hs * ws;
      const y = Math.floor(t / ws) * sH + Math.floor(phase / sW);
      const x = (t % ws) * sW + (phase % sW);
      if (q < s.batch * hs * ws && y < s.inH && x < s.inW) out.push(`${b},${y},${x}`);
    }
    return out;
  }

  it('reaches every dx pixel exactly once, for strides 1 to 3 and odd sizes', () => {
    for (const [inH, inW] of [[7, 7], [14, 14], [5, 9], [1, 1]]) {
      for (const stride of [1, 2, 3]) {
        const s = { kind: 'backpropInput' as const, batch: 3, inH, inW, inC: 8, outH: 1, outW: 1, outC: 8, kH: 3, kW: 3, strideH: stride, strideW: stride };
        const pixels = pixelsOf(s);
        expect(pixels.length, `${inH}×${inW} stride ${stride}`).toBe(3 * inH * inW);
        expect(new Set(pixels).size).toBe(pixels.length);
      }
    }
  });

  it('pads each phase to whole 4-row blocks, so one invocation never spans two phases', () => {
    const p = dxPhaseRows({ kind: 'backpropInput', batch: 1, inH: 7, inW: 7, inC: 4, outH: 4, outW: 4, outC: 4, kH: 3, kW: 3, strideH: 2, strideW: 2 });
    expect(p.perPhase % 4).toBe(0);
    expect(p.perPhase).toBe(16);
    expect(p.m).toBe(4 * 16);
  });
});
