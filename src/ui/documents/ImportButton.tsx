// "Import notebook": a button over a hidden file input, and a drop zone for dragged files. Both end in
// onImport(model) or a visible message; on error the open notebook is left exactly as it was.

import { useCallback, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { importNotebookFile, type ImportResult } from '../../notebook/import';
import type { NotebookModel } from '../../notebook/model';

export interface ImportHandlers {
  /** A valid notebook was read; imported notebooks are never run automatically. */
  onImport: (notebook: NotebookModel, warnings: string[]) => void;
  /** Also shown inline; passed up for a toast or a log if the app wants one. */
  onError?: (message: string) => void;
}

function useImport({ onImport, onError }: ImportHandlers) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const importFiles = useCallback(
    async (files: FileList | File[] | null) => {
      const file = files?.[0];
      if (!file) return;
      setBusy(true);
      let result: ImportResult;
      try {
        result = await importNotebookFile(file);
      } finally {
        setBusy(false);
      }
      if (result.ok) {
        setError(null);
        onImport(result.notebook, result.warnings);
      } else {
        const message = `Could not import "${file.name}": ${result.error}`;
        setError(message);
        onError?.(message);
      }
    },
    [onImport, onError],
  );
  return { error, busy, importFiles, clearError: () => setError(null) };
}

function ImportError({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <div role="alert" className="import-error">
      <span>{message}</span>
      <button type="button" className="link-button" onClick={onDismiss} aria-label="Dismiss import error">
        ×
      </button>
    </div>
  );
}

export function ImportButton(props: ImportHandlers) {
  const input = useRef<HTMLInputElement>(null);
  const { error, busy, importFiles, clearError } = useImport(props);
  return (
    <span className="import-control">
      <button type="button" onClick={() => input.current?.click()} disabled={busy}>
        Import notebook
      </button>
      <input
        ref={input}
        type="file"
        accept=".ipynb,application/x-ipynb+json,application/json"
        hidden
        data-testid="import-file-input"
        onChange={(e) => {
          const files = e.currentTarget.files ? [...e.currentTarget.files] : null;
          // Reset so that choosing the same file again still fires change.
          e.currentTarget.value = '';
          void importFiles(files);
        }}
      />
      {error && <ImportError message={error} onDismiss={clearError} />}
    </span>
  );
}

export interface NotebookDropZoneProps extends ImportHandlers {
  children: ReactNode;
  className?: string;
}

/** Wraps a region (typically the whole page) so that dropping an .ipynb on it imports it. */
export function NotebookDropZone({ children, className, ...handlers }: NotebookDropZoneProps) {
  const [over, setOver] = useState(false);
  const { error, importFiles, clearError } = useImport(handlers);
  const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');
  return (
    <div
      className={`drop-zone${over ? ' drop-zone-active' : ''}${className ? ` ${className}` : ''}`}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setOver(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(false);
        void importFiles([...e.dataTransfer.files]);
      }}
    >
      {over && <div className="drop-zone-hint" aria-hidden="true">Drop an .ipynb file to import it</div>}
      {error && <ImportError message={error} onDismiss={clearError} />}
      {children}
    </div>
  );
}
