// Which cells the learner changed, and putting one back: pure functions over the notebook model.
import type { CellModel, NotebookModel } from './model';

export function isEdited(cell: CellModel): boolean {
  return cell.original !== undefined && cell.source !== cell.original;
}

export function countEdited(notebook: NotebookModel): number {
  return notebook.cells.filter(isEdited).length;
}

/** The notebook with one cell's source back to the lesson's; cells without an original are unchanged. */
export function resetCell(notebook: NotebookModel, cellId: string): NotebookModel {
  return {
    ...notebook,
    cells: notebook.cells.map((c) => (c.id === cellId && c.original !== undefined ? { ...c, source: c.original } : c)),
  };
}
