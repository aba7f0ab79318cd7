// Live shape views: the same display id on every run of a cell, and a re-run cell that rebinds the model's name
// redraws the views of the old model in place (update_display_data with the new data).
import { beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../../src/nn';
import { cellBound, setCurrentCell, type CellContext } from '../../../src/cell/context';
import type { MimeBundle } from '../../../src/protocol';
import { cpu } from '../setup';

beforeAll(cpu);

/** A cell's run as the kernel sets it up: its context, and what it displayed or updated. */
function run(cellId: string) {
  const updates: Array<{ id: string; data: MimeBundle }> = [];
  const printed: string[] = [];
  const ctx: CellContext = {
    cellId,
    display: (_data, opts) => opts?.displayId ?? 'x',
    updateDisplay: (id, data) => updates.push({ id, data }),
    print: (text) => printed.push(text),
    reportResources: () => {},
  };
  setCurrentCell(ctx);
  return { updates, printed };
}

/** A block whose forward fails, as one with mismatched shapes does. */
class Broken extends nn.CompositeLayer {
  protected createSublayers(): void {}
  forward<T>(): T {
    throw new Error('mismatched add');
  }
}

const lastChannels = (plot: nn.ShapePlot) => plot.points.at(-1)!.carried.at(-1);

describe('live shape views', () => {
  it('gives the n-th view of a kind the same display id on each run of a cell, and different ids in other cells', () => {
    run('cell-a');
    const first = [nn.shapePlot(nn.denseBlock(1, 4), [4, 4, 2]).displayId, nn.shapePlot(nn.denseBlock(1, 4), [4, 4, 2]).displayId];
    run('cell-a');
    const again = [nn.shapePlot(nn.denseBlock(1, 4), [4, 4, 2]).displayId, nn.shapePlot(nn.denseBlock(1, 4), [4, 4, 2]).displayId];
    run('cell-b');
    const other = nn.shapePlot(nn.denseBlock(1, 4), [4, 4, 2]).displayId;
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(2);
    expect(first).not.toContain(other);
    setCurrentCell(null);
  });

  it('redraws the plot of a block in another cell when the cell defining the block is re-run (growth 10 → 12)', () => {
    run('define');
    const before = nn.denseBlock(2, 10);
    cellBound('define', new Map([['block', undefined]]), { block: before });
    run('plot');
    const plot = nn.shapePlot(before, [8, 8, 3]);
    expect(lastChannels(plot)).toBe(23);

    const rerun = run('define');
    const after = nn.denseBlock(2, 12);
    cellBound('define', new Map([['block', before]]), { block: after });
    expect(rerun.updates.map((u) => u.id)).toEqual([plot.displayId]);
    const view = rerun.updates[0].data['application/vnd.convlab.shape-plot+json']!;
    expect(view.points.at(-1)!.carried).toEqual([1, 8, 8, 27]);
    expect(plot.target).toBe(after);
    expect(lastChannels(plot)).toBe(27);

    // It follows the name on: a third version redraws it again.
    const third = run('define');
    cellBound('define', new Map([['block', after]]), { block: nn.denseBlock(2, 8) });
    expect(third.updates.map((u) => u.id)).toEqual([plot.displayId]);
    expect(lastChannels(plot)).toBe(19);
    setCurrentCell(null);
  });

  it('a re-run of the cell that draws the plot replaces the old view: one update per display, never two', () => {
    run('both');
    const v1 = nn.denseBlock(1, 4);
    const p1 = nn.shapePlot(v1, [4, 4, 2]);
    cellBound('both', new Map([['b', undefined]]), { b: v1 });
    const rerun = run('both');
    const v2 = nn.denseBlock(1, 6);
    const p2 = nn.shapePlot(v2, [4, 4, 2]);
    cellBound('both', new Map([['b', v1]]), { b: v2 });
    expect(p2.displayId).toBe(p1.displayId);
    // The new plot already shows v2; the old one is no longer live, so nothing is sent twice.
    expect(rerun.updates).toEqual([]);
    setCurrentCell(null);
  });

  it('says so, and keeps the drawing, when the new value cannot be traced', () => {
    run('def');
    const good = nn.denseBlock(1, 4);
    const plot = nn.shapePlot(good, [4, 4, 2]);
    const rerun = run('def');
    cellBound('def', new Map([['b', good]]), { b: new Broken({ name: 'broken' }) });
    expect(rerun.printed.join('')).toMatch(/shape plot of .* was not redrawn for the new value: mismatched add/);
    expect(plot.target).toBe(good);
    setCurrentCell(null);
  });

  it('records which cell made a value: the graph of a model links to it, a block made elsewhere to its own cell', () => {
    run('blocks');
    const block = nn.denseBlock(1, 4, { name: 'shared' });
    cellBound('blocks', new Map([['block', undefined]]), { block });
    run('model');
    const g = nn.graph(block, [4, 4, 2]);
    // The block itself was made in 'blocks'.
    expect(g.cellId).toBe('blocks');
    setCurrentCell(null);
  });
});
