// The auto-mode kernelFunc on fake candidates (no GPU): ours for classes without a choice (queued for timing, not
// timed in the call), stock for classes chosen 'stock', the forced candidate during a timing run, stock for shapes
// ours hands back; and the auto table kernels.stats() shows.
import { afterEach, describe, expect, it } from 'vitest';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { autoKernelFunc, type OursOnce } from '../../../src/gpu/chooser/auto-kernel';
import { chooser } from '../../../src/gpu/chooser';
import { withCandidate } from '../../../src/gpu/chooser/forced';
import { shapeClass } from '../../../src/gpu/chooser/shape-class';
import { countOursAs, resetStats, statsSnapshot } from '../../../src/gpu/stats';

const tensor = (shape: number[]): TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });
const OURS_OUT = tensor([1]);
const STOCK_OUT = tensor([2]);

function fakes(fallback?: string) {
  const ran: string[] = [];
  const ours: OursOnce = () => { ran.push('ours'); return fallback ? { fallback } : { out: OURS_OUT }; };
  const stock: KernelFunc = () => { ran.push('stock'); return STOCK_OUT; };
  return { ran, kernel: autoKernelFunc('Multiply', ours, stock) };
}

const args = (shape: number[]) => ({ inputs: { a: tensor(shape), b: tensor(shape) }, backend: {} as never, attrs: {} });
const keyOf = (shape: number[]) => shapeClass({ op: 'Multiply', inputs: [{ name: 'a', shape, dtype: 'float32' }, { name: 'b', shape, dtype: 'float32' }], attrs: {} });

afterEach(() => {
  chooser.table.clear();
  resetStats();
  countOursAs('convlab');
});

describe('autoKernelFunc', () => {
  it('runs ours for a class without a choice and queues it once; runs stock once stock is chosen', () => {
    countOursAs('auto');
    const { ran, kernel } = fakes();
    expect(kernel(args([8, 4, 4, 16]))).toBe(OURS_OUT);
    expect(kernel(args([7, 4, 4, 16]))).toBe(OURS_OUT); // same class (batch bucketed)
    expect(chooser.table.pending().map(([k]) => k)).toEqual([keyOf([8, 4, 4, 16])]);
    expect(chooser.table.pending()[0][1].inputs[0].shape).toEqual([8, 4, 4, 16]);
    chooser.table.record(keyOf([8, 4, 4, 16]), { choice: 'stock', ms: { ours: 3, stock: 1 }, samples: 3, timedAt: 0 });
    expect(kernel(args([8, 4, 4, 16]))).toBe(STOCK_OUT);
    expect(ran).toEqual(['ours', 'ours', 'stock']);
    const view = statsSnapshot('auto', 'webgpu', null, { perOp: chooser.table.perOp(), view: { timed: 1 } as never, caption: 'Chooser: 1 timed.' });
    expect(view.kernels.Multiply).toEqual({ calls: 2, fallbacks: 0, chosenStock: 1, variant: 'stock ×1', msPerCall: 1 });
    expect(view.chooser).toEqual({ timed: 1 });
    const table = view.toMimeBundle()['application/vnd.convlab.table+json'] as { caption: string; columns: string[]; rows: unknown[][] };
    expect(table.columns).toEqual(['kernel', 'ConvLab calls', 'stock calls (chosen)', 'handed to stock', 'chosen per shape class', 'ms per call']);
    expect(table.rows).toEqual([['Multiply', 2, 1, 0, 'stock ×1', '1.00']]);
    expect(table.caption).toMatch(/^Mode auto: .*Chooser: 1 timed\.$/);
    // Auto's counts are its own table: convlab mode's stays empty.
    expect(statsSnapshot('convlab', 'webgpu').kernels).toEqual({});
  });

  it('a timing run forces its candidate and counts nothing', () => {
    countOursAs('auto');
    const { ran, kernel } = fakes();
    chooser.table.record(keyOf([8, 4, 4, 16]), { choice: 'stock', ms: {}, samples: 3, timedAt: 0 });
    expect(withCandidate('ours', () => kernel(args([8, 4, 4, 16])))).toBe(OURS_OUT);
    expect(withCandidate('stock', () => kernel(args([2, 2])))).toBe(STOCK_OUT);
    expect(ran).toEqual(['ours', 'stock']);
    expect(chooser.table.pending()).toEqual([]);
    expect(statsSnapshot('auto', 'webgpu').kernels).toEqual({});
  });

  it('shapes ours hands to stock run stock, are counted as handed back, and are not queued', () => {
    countOursAs('auto');
    const { ran, kernel } = fakes('broadcast pattern');
    expect(kernel(args([3, 5]))).toBe(STOCK_OUT);
    expect(ran).toEqual(['ours', 'stock']);
    expect(chooser.table.pending()).toEqual([]);
    expect(statsSnapshot('auto', 'webgpu').kernels.Multiply).toEqual({ calls: 0, fallbacks: 1, lastFallback: 'broadcast pattern' });
  });
});
