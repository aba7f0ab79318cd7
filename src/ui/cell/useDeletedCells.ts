// Deleting a cell is undoable (Z in command mode, or the "Undo delete" button), as in Jupyter.
import { useCallback, useEffect, useState } from 'react';
import type { CellModel } from '../../notebook/model';
import type { NotebookStore } from '../core/notebook-store';

interface Deleted {
  notebookId: string;
  index: number;
  cell: CellModel;
}

/** How many deletions can be undone; Jupyter keeps a similar short history. */
const KEPT = 20;

export function useDeletedCells(store: NotebookStore) {
  const [stack, setStack] = useState<Deleted[]>([]);

  // Undo belongs to one notebook: opening another forgets the history.
  const notebookId = store.getSnapshot().id;
  useEffect(() => setStack([]), [notebookId]);

  const remove = useCallback(
    (cellId: string) => {
      const nb = store.getSnapshot();
      const index = nb.cells.findIndex((c) => c.id === cellId);
      if (index < 0) return;
      const entry = { notebookId: nb.id, index, cell: nb.cells[index] };
      store.dispatch({ type: 'deleteCell', cellId });
      setStack((s) => [...s.slice(-(KEPT - 1)), entry]);
    },
    [store],
  );

  /** Puts the last deleted cell back; returns its id so the caller can select it. */
  const undo = useCallback((): string | null => {
    const last = stack[stack.length - 1];
    if (!last) return null;
    setStack(stack.slice(0, -1));
    if (store.getSnapshot().id !== last.notebookId) return null;
    store.dispatch({ type: 'insertCell', index: last.index, cell: last.cell });
    return last.cell.id;
  }, [store, stack]);

  return { remove, undo, last: stack.length > 0 ? stack[stack.length - 1] : null };
}
