// A small, documented door for browser tests (e2e/helpers/notebook.ts): load cells and read or write a
// cell's source without going through the keyboard. Cell numbers are 1-based, as in "Cell n".
import { cellDiagnostics } from '../editor/monaco-loader';
import { runMarkers } from '../editor/run-markers';
import type { NotebookStore } from './notebook-store';
import { notebookFromCells, type CellSpec } from './scratch';

export interface ConvlabTestHook {
  loadNotebook(notebook: { cells: CellSpec[] } | string[]): void;
  setCellSource(n: number, source: string): void;
  getCellSource(n: number): string;
  cellCount(): number;
  /** The editor's TypeScript errors in the code cells, once the cell types are loaded (cell numbers 1-based). */
  diagnostics(): Promise<Array<{ cell: number; line: number; code: number; message: string }>>;
  /** The markers a failed run left on cell n's editor (its error's line and message). */
  runMarkers(n: number): Promise<Array<{ line: number; message: string }>>;
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
    async diagnostics() {
      const all = store.getSnapshot().cells;
      const code = all.filter((c) => c.type === 'code');
      const found = await cellDiagnostics(code.map((c) => ({ id: c.id, source: c.source })));
      return found.map((d) => ({ cell: all.indexOf(code[d.index]) + 1, line: d.line, code: d.code, message: d.message }));
    },
    runMarkers(n) {
      return runMarkers(cellAt(n).id);
    },
  };
  window.__convlab = hook;
  return () => {
    if (window.__convlab === hook) delete window.__convlab;
  };
}
