// "Export notebook": the learner's current copy as an nbformat 4.5 file Jupyter can open.

import { exportFileName, serializeIpynb, type ToIpynbOptions } from '../../notebook/ipynb';
import type { NotebookModel } from '../../notebook/model';

export interface ExportButtonProps {
  /** Read at click time so the export holds the latest edits. */
  getNotebook: () => NotebookModel;
  /** PNG snapshots of page-drawn outputs (plots), see ToIpynbOptions. */
  imageFor?: ToIpynbOptions['imageFor'];
  /** Before the download starts: e.g. flush pending saves. */
  onBeforeExport?: () => void;
}

export function downloadText(fileName: string, text: string, mimeType = 'application/x-ipynb+json'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Offers the notebook, as this tab holds it, as an .ipynb download. */
export function exportNotebook(notebook: NotebookModel, imageFor?: ToIpynbOptions['imageFor']): void {
  downloadText(exportFileName(notebook), serializeIpynb(notebook, { imageFor }));
}

export function ExportButton({ getNotebook, imageFor, onBeforeExport }: ExportButtonProps) {
  return (
    <button
      type="button"
      onClick={() => {
        onBeforeExport?.();
        exportNotebook(getNotebook(), imageFor);
      }}
    >
      Export notebook
    </button>
  );
}
