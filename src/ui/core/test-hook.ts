// A small, documented door for browser tests (e2e/helpers/notebook.ts): load cells and read or write a
// cell's source without going through the keyboard. Cell numbers are 1-based, as in "Cell n".
import type { NotebookStore } from './notebook-store';
import { notebookFromCells, type CellSpec } from './scratch';

export interface ConvlabTestHook {
  loadNotebook(notebook: { cells: CellSpec[] } | string[]): void;
  setCellSource(n: number, source: string): void;
  getCellSource(n: number): string;
  cellCount(): number;
}

declare global {
  interface Window {
    __convlab?: ConvlabTestHook;
  }
}

export function installTestHook(store: NotebookStore): () => void {
  const cellAt = (n: number) => {
    const cell = store.getSnapshot().cells[n - 1];
    if (!cell) throw new Error(`There is no cell ${n} (the notebook has ${store.getSnapshot().cells.length}).`);
    return cell;
  };
  const hook: ConvlabTestHook = {
    loadNotebook(notebook) {
      const cells = Array.isArray(notebook) ? notebook : notebook.cells;
      store.dispatch({ type: 'replaceNotebook', notebook: notebookFromCells(cells, 'Test notebook', 'test') });
    },
    setCellSource(n, source) {
      store.dispatch({ type: 'setSource', cellId: cellAt(n).id, source });
    },
    getCellSource(n) {
      return cellAt(n).source;
    },
    cellCount() {
      return store.getSnapshot().cells.length;
    },
  };
  window.__convlab = hook;
  return () => {
    if (window.__convlab === hook) delete window.__convlab;
  };
}
