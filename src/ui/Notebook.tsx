// The list of cells and the actions they share. Focus moves between cells through a registry of
// focus functions that editors (or, before Monaco loads, the cell sections) provide.
import { useCallback, useMemo, useRef, useSyncExternalStore } from 'react';
import type { NotebookStore } from './state/notebook-store';
import type { KernelController } from './kernel/controller';
import type { MonacoApi } from './editor/monaco-loader';
import { Cell, type CellActions } from './cell/Cell';

export interface NotebookProps {
  store: NotebookStore;
  controller: KernelController;
  monaco: MonacoApi | null;
}

export function Notebook({ store, controller, monaco }: NotebookProps) {
  const notebook = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const kernel = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const focusers = useRef(new Map<string, () => void>());
  const listRef = useRef<HTMLDivElement>(null);

  const focusCell = useCallback((cellId: string) => {
    const focus = focusers.current.get(cellId);
    if (focus) focus();
    else listRef.current?.querySelector<HTMLElement>(`[data-cell-id="${cellId}"]`)?.focus();
  }, []);

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
      remove: (cellId) => store.dispatch({ type: 'deleteCell', cellId }),
      registerFocus: (cellId, focus) => {
        if (focus) focusers.current.set(cellId, focus);
        else focusers.current.delete(cellId);
      },
    }),
    [store, controller, focusCell],
  );

  return (
    <div className="notebook" ref={listRef}>
      {notebook.cells.map((cell, index) => (
        <Cell key={cell.id} cell={cell} index={index} count={notebook.cells.length} runState={kernel.runs[cell.id]} finishedRuns={kernel.finished[cell.id] ?? 0} monaco={monaco} actions={actions} />
      ))}
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
