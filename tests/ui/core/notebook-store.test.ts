import { describe, expect, it } from 'vitest';
import { NotebookStore, notebookReducer } from '../../../src/ui/core/notebook-store';
import { notebookFromCells } from '../../../src/ui/core/scratch';
import { storedOutput } from '../../../src/ui/core/outputs';
import type { PlotView } from '../../../src/protocol';

const PLOT = 'application/vnd.convlab.plot+json';

function plot(rows: PlotView['rows'], append = false): PlotView {
  return { title: 'Loss', xLabel: 'step', series: [{ label: 'loss' }, { label: 'acc', axis: 'y2' }], rows, ...(append ? { append: true } : {}) };
}

describe('notebookReducer', () => {
  const nb = notebookFromCells(['a', 'b', { cell_type: 'markdown', source: ['# T', 'itle'] }]);
  const [c1, c2, c3] = nb.cells;

  it('builds cells from plain specs, joining ipynb line arrays', () => {
    expect(nb.cells.map((c) => [c.type, c.source])).toEqual([['code', 'a'], ['code', 'b'], ['markdown', '# Title']]);
    expect(new Set(nb.cells.map((c) => c.id)).size).toBe(3);
  });

  it('edits, adds, moves and deletes cells without touching the others', () => {
    let next = notebookReducer(nb, { type: 'setSource', cellId: c2.id, source: 'B' });
    expect(next.cells[1].source).toBe('B');
    expect(next.cells[0]).toBe(c1);
    next = notebookReducer(next, { type: 'addCell', index: 1, cellType: 'code', source: 'new', id: 'added' });
    expect(next.cells.map((c) => c.source)).toEqual(['a', 'new', 'B', '# Title']);
    next = notebookReducer(next, { type: 'moveCell', cellId: 'added', toIndex: 3 });
    expect(next.cells.map((c) => c.id)).toEqual([c1.id, c2.id, c3.id, 'added']);
    next = notebookReducer(next, { type: 'moveCell', cellId: 'added', toIndex: 99 });
    expect(next.cells[3].id).toBe('added');
    next = notebookReducer(next, { type: 'deleteCell', cellId: c1.id });
    expect(next.cells.map((c) => c.id)).toEqual([c2.id, c3.id, 'added']);
  });

  it('puts a deleted cell back where it was, and changes a cell type the way Jupyter does', () => {
    const withOutput = notebookReducer(nb, { type: 'setOutputs', cellId: c1.id, outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi' }] });
    const deleted = notebookReducer(withOutput, { type: 'deleteCell', cellId: c1.id });
    const restored = notebookReducer(deleted, { type: 'insertCell', index: 0, cell: withOutput.cells[0] });
    expect(restored.cells).toEqual(withOutput.cells);
    expect(notebookReducer(restored, { type: 'insertCell', index: 2, cell: withOutput.cells[0] })).toBe(restored);
    const markdown = notebookReducer(withOutput, { type: 'setCellType', cellId: c1.id, cellType: 'markdown' });
    expect(markdown.cells[0]).toMatchObject({ type: 'markdown', source: 'a', outputs: [], executionCount: null });
    expect(notebookReducer(markdown, { type: 'setCellType', cellId: c1.id, cellType: 'markdown' })).toBe(markdown);
    expect(notebookReducer(markdown, { type: 'setCellType', cellId: c1.id, cellType: 'code' }).cells[0].type).toBe('code');
  });

  it('returns the same object for actions that change nothing (so React skips the render)', () => {
    expect(notebookReducer(nb, { type: 'setSource', cellId: c1.id, source: 'a' })).toBe(nb);
    expect(notebookReducer(nb, { type: 'deleteCell', cellId: 'nope' })).toBe(nb);
    expect(notebookReducer(nb, { type: 'setOutputs', cellId: c1.id, outputs: [] })).toBe(nb);
    expect(notebookReducer(nb, { type: 'clearExecutionCounts' })).toBe(nb);
  });

  it('merges consecutive writes to the same stream, as Jupyter does', () => {
    let next = notebookReducer(nb, { type: 'appendOutput', cellId: c1.id, output: { output_type: 'stream', name: 'stdout', text: 'a\n' } });
    next = notebookReducer(next, { type: 'appendOutput', cellId: c1.id, output: { output_type: 'stream', name: 'stdout', text: 'b\n' } });
    next = notebookReducer(next, { type: 'appendOutput', cellId: c1.id, output: { output_type: 'stream', name: 'stderr', text: 'c\n' } });
    expect(next.cells[0].outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'stream', name: 'stderr', text: 'c\n' },
    ]);
  });

  it('updates a display in place wherever it is, appending plot rows when asked', () => {
    let next = notebookReducer(nb, {
      type: 'appendOutput',
      cellId: c1.id,
      output: { output_type: 'display_data', data: { [PLOT]: plot([[1, 0.9, 0.1]]) }, metadata: {}, display_id: 'p1' },
    });
    next = notebookReducer(next, { type: 'updateDisplay', displayId: 'p1', data: { [PLOT]: plot([[2, 0.5, 0.4], [3, 0.4, null]], true) } });
    const shown = next.cells[0].outputs[0];
    expect(shown.output_type === 'display_data' && (shown.data[PLOT] as PlotView).rows).toEqual([[1, 0.9, 0.1], [2, 0.5, 0.4], [3, 0.4, null]]);
    expect(shown.output_type === 'display_data' && (shown.data[PLOT] as PlotView).append).toBeUndefined();
    // Without append the update replaces the bundle.
    next = notebookReducer(next, { type: 'updateDisplay', displayId: 'p1', data: { 'text/plain': 'done' } });
    expect(next.cells[0].outputs[0]).toMatchObject({ data: { 'text/plain': 'done' }, display_id: 'p1' });
    // An unknown display id changes nothing.
    expect(notebookReducer(next, { type: 'updateDisplay', displayId: 'other', data: { 'text/plain': 'x' } })).toBe(next);
  });

  it('clears execution counts on restart', () => {
    let next = notebookReducer(nb, { type: 'setExecutionCount', cellId: c1.id, count: 3 });
    expect(next.cells[0].executionCount).toBe(3);
    next = notebookReducer(next, { type: 'clearExecutionCounts' });
    expect(next.cells.every((c) => c.executionCount === null)).toBe(true);
  });
});

describe('NotebookStore', () => {
  it('notifies subscribers only when the notebook changed', () => {
    const store = new NotebookStore(notebookFromCells(['x']));
    let calls = 0;
    const off = store.subscribe(() => calls++);
    const id = store.getSnapshot().cells[0].id;
    store.dispatch({ type: 'setSource', cellId: id, source: 'x' });
    expect(calls).toBe(0);
    store.dispatch({ type: 'setSource', cellId: id, source: 'y' });
    expect(calls).toBe(1);
    expect(store.cell(id)?.source).toBe('y');
    off();
    store.dispatch({ type: 'setSource', cellId: id, source: 'z' });
    expect(calls).toBe(1);
  });
});

describe('storedOutput', () => {
  it('keeps the display id and the error line', () => {
    expect(storedOutput({ msg_type: 'display_data', content: { data: { 'text/plain': 'a' }, metadata: {}, transient: { display_id: 'd' } } })).toEqual({
      output_type: 'display_data',
      data: { 'text/plain': 'a' },
      metadata: {},
      display_id: 'd',
    });
    expect(storedOutput({ msg_type: 'error', content: { ename: 'E', evalue: 'v', traceback: [], line: 3 } })).toEqual({
      output_type: 'error',
      ename: 'E',
      evalue: 'v',
      traceback: [],
      line: 3,
    });
  });
});
