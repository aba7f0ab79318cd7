// Jupyter's command-mode keys (Esc, Enter, A, B, D D, M, Y, Z, Up/Down, ?) acting on the selected cell.
import type { NotebookStore } from '../core/notebook-store';
import type { RunController } from '../core/run-controller';
import { isEditableTarget, useCommandModeKeys } from '../documents/useCommandModeKeys';
import type { CellActions } from './Cell';

export interface CellCommandOptions {
  store: NotebookStore;
  controller: RunController;
  actions: CellActions;
  selected: string | null;
  focusCell(cellId: string): void;
  sectionOf(cellId: string): HTMLElement | null;
  /** Returns the id of the cell it put back, if any. */
  undoDelete(): string | null;
  onHelp(): void;
  enabled: boolean;
}

/**
 * Keys aimed at a control (a button, a link, the editors) belong to that control, so Enter still presses a
 * focused button; Esc from anywhere returns to command mode.
 */
function ownsKeys(target: EventTarget | null): boolean {
  if (isEditableTarget(target)) return true;
  return target instanceof HTMLElement && target.closest('button, a[href], summary, [role="menuitem"], [role="dialog"], [role="alertdialog"]') !== null;
}

export function useCellCommands({ store, controller, actions, selected, focusCell, sectionOf, undoDelete, onHelp, enabled }: CellCommandOptions): void {
  const cells = () => store.getSnapshot().cells;
  const current = () => (selected && store.cell(selected) ? selected : null);

  /** Selects without entering the editor: command mode stays on. */
  // Plain closures are enough: useCommandModeKeys reads the handlers through a ref on every key.
  const selectAt = (index: number) => {
    const list = store.getSnapshot().cells;
    const cell = list[Math.max(0, Math.min(index, list.length - 1))];
    if (!cell) return;
    actions.select(cell.id);
    // After a render, so a cell that was just added exists.
    requestAnimationFrame(() => {
      const el = sectionOf(cell.id);
      el?.focus({ preventScroll: true });
      el?.scrollIntoView({ block: 'nearest' });
    });
  };

  const insert = (offset: 0 | 1) => {
    const id = current();
    const index = id ? store.indexOf(id) + offset : cells().length;
    store.dispatch({ type: 'addCell', index, cellType: 'code' });
    selectAt(index);
  };

  const setType = (cellType: 'code' | 'markdown') => {
    const id = current();
    if (id) store.dispatch({ type: 'setCellType', cellId: id, cellType });
  };

  useCommandModeKeys(
    {
      commandMode: () => {
        const id = current();
        (document.activeElement as HTMLElement | null)?.blur();
        actions.editMarkdown(null);
        if (id) sectionOf(id)?.focus({ preventScroll: true });
      },
      edit: () => {
        const id = current();
        if (!id) return selectAt(0);
        if (store.cell(id)?.type === 'markdown') actions.editMarkdown(id);
        else focusCell(id);
      },
      insertAbove: () => insert(0),
      insertBelow: () => insert(1),
      delete: () => {
        const id = current();
        if (!id) return;
        const index = store.indexOf(id);
        actions.remove(id);
        selectAt(index);
      },
      toMarkdown: () => setType('markdown'),
      toCode: () => setType('code'),
      undoDelete: () => {
        const id = undoDelete();
        if (id) selectAt(store.indexOf(id));
      },
      selectPrevious: () => {
        const id = current();
        selectAt(id ? store.indexOf(id) - 1 : 0);
      },
      selectNext: () => {
        const id = current();
        selectAt(id ? store.indexOf(id) + 1 : 0);
      },
      run: () => {
        const id = current();
        if (id) controller.run([id]);
      },
      runAndAdvance: () => {
        const id = current();
        if (!id) return;
        controller.run([id]);
        selectAt(store.indexOf(id) + 1);
      },
      help: onHelp,
    },
    { enabled, isEditing: ownsKeys },
  );
}
