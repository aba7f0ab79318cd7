// The list of cells and the actions they share. Focus moves between cells through a registry of
// focus functions that editors (or, before Monaco loads, the cell sections) provide; Jupyter's
// command-mode keys act on the selected cell.
import { useCallback, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { NotebookStore } from './core/notebook-store';
import type { RunController } from './core/run-controller';
import type { MonacoApi } from './editor/monaco-loader';
import { Cell, type CellActions } from './cell/Cell';
import { useCellCommands } from './cell/useCellCommands';
import { useDeletedCells } from './cell/useDeletedCells';
import { useHighlightCell } from './documents/routes';

export interface NotebookProps {
  store: NotebookStore;
  controller: RunController;
  monaco: MonacoApi | null;
  resetCell(cellId: string): void;
  /** 1-based cell to scroll to and highlight once the document is shown (deep links). */
  highlight?: number;
  /** Off while a dialog owns the keyboard. */
  keysEnabled: boolean;
  onHelp(): void;
}

export function Notebook({ store, controller, monaco, resetCell, highlight, keysEnabled, onHelp }: NotebookProps) {
  const notebook = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const kernel = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const focusers = useRef(new Map<string, () => void>());
  const listRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [editingMarkdown, setEditingMarkdown] = useState<string | null>(null);
  const deleted = useDeletedCells(store);

  const sectionOf = useCallback((cellId: string) => listRef.current?.querySelector<HTMLElement>(`[data-cell-id="${CSS.escape(cellId)}"]`) ?? null, []);

  /** Into the cell's editor (code) or onto the cell itself (markdown, or before Monaco loads). */
  const focusCell = useCallback(
    (cellId: string) => {
      setSelected(cellId);
      const focus = store.cell(cellId)?.type === 'code' ? focusers.current.get(cellId) : undefined;
      if (focus) focus();
      else sectionOf(cellId)?.focus();
    },
    [store, sectionOf],
  );

  const actions: CellActions = useMemo(
    () => ({
      setSource: (cellId, source) => store.dispatch({ type: 'setSource', cellId, source }),
      run: (cellId) => controller.run([cellId]),
      runAndAdvance: (cellId) => {
        controller.run([cellId]);
        const index = store.indexOf(cellId);
        let next = store.getSnapshot().cells[index + 1];
        if (!next) {
          // As in Jupyter: Shift+Enter on the last cell opens a fresh one to type into.
          store.dispatch({ type: 'addCell', index: index + 1, cellType: 'code' });
          next = store.getSnapshot().cells[index + 1];
        }
        // The new cell's editor mounts on the next render; focus once it has.
        requestAnimationFrame(() => focusCell(next.id));
      },
      runFrom: (cellId) => controller.runFrom(cellId),
      interrupt: () => void controller.interrupt(),
      clearOutput: (cellId) => store.dispatch({ type: 'setOutputs', cellId, outputs: [] }),
      addBelow: (cellId, cellType) => {
        const index = store.indexOf(cellId);
        store.dispatch({ type: 'addCell', index: index + 1, cellType });
      },
      move: (cellId, delta) => store.dispatch({ type: 'moveCell', cellId, toIndex: store.indexOf(cellId) + delta }),
      remove: deleted.remove,
      resetCell,
      select: setSelected,
      editMarkdown: setEditingMarkdown,
      registerFocus: (cellId, focus) => {
        if (focus) focusers.current.set(cellId, focus);
        else focusers.current.delete(cellId);
      },
    }),
    [store, controller, focusCell, deleted.remove, resetCell],
  );

  useCellCommands({ store, controller, actions, selected, focusCell, sectionOf, undoDelete: deleted.undo, onHelp, enabled: keysEnabled });

  // Rendered only once its document is open, so cells present means the deep link's target can exist.
  useHighlightCell(highlight, notebook.cells.length > 0, (index) => {
    const cell = store.getSnapshot().cells[index];
    return cell ? sectionOf(cell.id) : null;
  });

  return (
    <div className="notebook" ref={listRef}>
      {notebook.cells.map((cell, index) => (
        <Cell
          key={cell.id}
          cell={cell}
          index={index}
          count={notebook.cells.length}
          runState={kernel.runs[cell.id]}
          finishedRuns={kernel.finished[cell.id] ?? 0}
          lineNotes={kernel.lineNotes[cell.id]}
          monaco={monaco}
          selected={selected === cell.id}
          editingMarkdown={editingMarkdown === cell.id}
          actions={actions}
        />
      ))}
      {deleted.last && (
        // Polite, like a toast; not role=status, which names the kernel status bar alone.
        <div className="undo-delete" role="region" aria-label="Cell deleted" aria-live="polite">
          Cell deleted.{' '}
          <button type="button" onClick={() => void deleted.undo()}>
            Undo delete
          </button>
        </div>
      )}
      <div className="add-cell">
        <button type="button" onClick={() => store.dispatch({ type: 'addCell', index: notebook.cells.length, cellType: 'code' })}>
          + Code
        </button>
        <button type="button" onClick={() => store.dispatch({ type: 'addCell', index: notebook.cells.length, cellType: 'markdown' })}>
          + Text
        </button>
      </div>
    </div>
  );
}
