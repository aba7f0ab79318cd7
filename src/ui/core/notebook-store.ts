// The one store for the open notebook: a pure reducer over NotebookModel plus a tiny external store that
// React reads with useSyncExternalStore. Outputs are kept in ipynb's shapes (StoredOutput) so that
// persistence and export see exactly what the page shows.
import { newCellId, type CellModel, type CellType, type NotebookModel, type StoredOutput } from '../../notebook/model';
import type { MimeBundle, PlotView } from '../../protocol';

export type NotebookAction =
  | { type: 'replaceNotebook'; notebook: NotebookModel }
  | { type: 'setSource'; cellId: string; source: string }
  | { type: 'addCell'; index: number; cellType: CellType; source?: string; id?: string }
  | { type: 'deleteCell'; cellId: string }
  /** Puts back a cell as it was (undo of a delete). */
  | { type: 'insertCell'; index: number; cell: CellModel }
  | { type: 'setCellType'; cellId: string; cellType: CellType }
  | { type: 'moveCell'; cellId: string; toIndex: number }
  | { type: 'setOutputs'; cellId: string; outputs: StoredOutput[] }
  | { type: 'appendOutput'; cellId: string; output: StoredOutput }
  /** update_display_data: replaces (or, for plots with `append`, extends) every output with this display id. */
  | { type: 'updateDisplay'; displayId: string; data: MimeBundle; metadata?: Record<string, unknown> }
  | { type: 'setExecutionCount'; cellId: string; count: number | null }
  | { type: 'clearExecutionCounts' };

const PLOT_MIME = 'application/vnd.convlab.plot+json';

function mapCell(nb: NotebookModel, cellId: string, change: (cell: CellModel) => CellModel): NotebookModel {
  let changed = false;
  const cells = nb.cells.map((cell) => {
    if (cell.id !== cellId) return cell;
    const next = change(cell);
    if (next !== cell) changed = true;
    return next;
  });
  return changed ? { ...nb, cells } : nb;
}

/** Consecutive writes to one stream read as one block, as in Jupyter. */
function appendOutput(outputs: StoredOutput[], output: StoredOutput): StoredOutput[] {
  const last = outputs[outputs.length - 1];
  if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === output.name) {
    return [...outputs.slice(0, -1), { ...last, text: last.text + output.text }];
  }
  return [...outputs, output];
}

function mergeDisplay(old: Record<string, unknown>, update: MimeBundle): Record<string, unknown> {
  const next: Record<string, unknown> = { ...update };
  const plot = update[PLOT_MIME];
  const previous = old[PLOT_MIME] as PlotView | undefined;
  if (plot?.append && previous) {
    // Keep the plot's own description and grow its rows: the view then adds points instead of redrawing.
    const { append: _append, ...rest } = plot;
    next[PLOT_MIME] = { ...previous, ...rest, rows: previous.rows.concat(plot.rows) };
  }
  return next;
}

function updateDisplays(nb: NotebookModel, displayId: string, data: MimeBundle, metadata?: Record<string, unknown>): NotebookModel {
  let changed = false;
  const cells = nb.cells.map((cell) => {
    if (!cell.outputs.some((o) => o.output_type === 'display_data' && o.display_id === displayId)) return cell;
    changed = true;
    const outputs = cell.outputs.map((o) =>
      o.output_type === 'display_data' && o.display_id === displayId
        ? { ...o, data: mergeDisplay(o.data, data), metadata: metadata ?? o.metadata }
        : o,
    );
    return { ...cell, outputs };
  });
  return changed ? { ...nb, cells } : nb;
}

export function newCell(cellType: CellType, source = '', id = newCellId()): CellModel {
  return { id, type: cellType, source, outputs: [], executionCount: null, metadata: {} };
}

export function notebookReducer(nb: NotebookModel, action: NotebookAction): NotebookModel {
  switch (action.type) {
    case 'replaceNotebook':
      return action.notebook;
    case 'setSource':
      return mapCell(nb, action.cellId, (c) => (c.source === action.source ? c : { ...c, source: action.source }));
    case 'addCell': {
      const index = Math.max(0, Math.min(action.index, nb.cells.length));
      const cells = nb.cells.slice();
      cells.splice(index, 0, newCell(action.cellType, action.source, action.id));
      return { ...nb, cells };
    }
    case 'deleteCell': {
      const cells = nb.cells.filter((c) => c.id !== action.cellId);
      return cells.length === nb.cells.length ? nb : { ...nb, cells };
    }
    case 'insertCell': {
      if (nb.cells.some((c) => c.id === action.cell.id)) return nb;
      const cells = nb.cells.slice();
      cells.splice(Math.max(0, Math.min(action.index, cells.length)), 0, action.cell);
      return { ...nb, cells };
    }
    case 'setCellType':
      // As in Jupyter, a cell that stops being code loses its outputs and execution count.
      return mapCell(nb, action.cellId, (c) =>
        c.type === action.cellType ? c : { ...c, type: action.cellType, outputs: action.cellType === 'code' ? c.outputs : [], executionCount: action.cellType === 'code' ? c.executionCount : null },
      );
    case 'moveCell': {
      const from = nb.cells.findIndex((c) => c.id === action.cellId);
      if (from < 0) return nb;
      const to = Math.max(0, Math.min(action.toIndex, nb.cells.length - 1));
      if (to === from) return nb;
      const cells = nb.cells.slice();
      const [cell] = cells.splice(from, 1);
      cells.splice(to, 0, cell);
      return { ...nb, cells };
    }
    case 'setOutputs':
      return mapCell(nb, action.cellId, (c) => (c.outputs.length === 0 && action.outputs.length === 0 ? c : { ...c, outputs: action.outputs }));
    case 'appendOutput':
      return mapCell(nb, action.cellId, (c) => ({ ...c, outputs: appendOutput(c.outputs, action.output) }));
    case 'updateDisplay':
      return updateDisplays(nb, action.displayId, action.data, action.metadata);
    case 'setExecutionCount':
      return mapCell(nb, action.cellId, (c) => (c.executionCount === action.count ? c : { ...c, executionCount: action.count }));
    case 'clearExecutionCounts': {
      if (!nb.cells.some((c) => c.executionCount !== null)) return nb;
      return { ...nb, cells: nb.cells.map((c) => (c.executionCount === null ? c : { ...c, executionCount: null })) };
    }
  }
}

type Listener = () => void;

/** An external store: dispatch from anywhere (kernel callbacks, the e2e hook), subscribe from React. */
export class NotebookStore {
  private notebook: NotebookModel;
  private readonly listeners = new Set<Listener>();

  constructor(initial: NotebookModel) {
    this.notebook = initial;
  }

  getSnapshot = (): NotebookModel => this.notebook;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch = (action: NotebookAction): void => {
    const next = notebookReducer(this.notebook, action);
    if (next === this.notebook) return;
    this.notebook = next;
    for (const l of this.listeners) l();
  };

  cell(cellId: string): CellModel | undefined {
    return this.notebook.cells.find((c) => c.id === cellId);
  }

  indexOf(cellId: string): number {
    return this.notebook.cells.findIndex((c) => c.id === cellId);
  }
}
