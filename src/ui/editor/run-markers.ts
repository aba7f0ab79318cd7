// The marker a failed run leaves on the cell line its error came from, beside the error output: Monaco's own
// squiggle and hover, under an owner of its own so that the TypeScript service's markers never replace it.
import type * as Monaco from 'monaco-editor';
import { cellModelUri, loadMonaco, type MonacoApi } from './monaco-loader';
import type { ShownError } from './line-notes';

export const RUN_MARKER_OWNER = 'convlab-run';

/** Marks the error's line from its first character to its end, or clears the mark (error undefined). */
export function setRunMarker(monaco: MonacoApi, model: Monaco.editor.ITextModel, error: ShownError | undefined): void {
  const markers: Monaco.editor.IMarkerData[] = error
    ? [{
        severity: monaco.MarkerSeverity.Error,
        message: error.message,
        source: 'run',
        startLineNumber: error.line,
        startColumn: model.getLineFirstNonWhitespaceColumn(error.line) || 1,
        endLineNumber: error.line,
        endColumn: model.getLineMaxColumn(error.line),
      }]
    : [];
  monaco.editor.setModelMarkers(model, RUN_MARKER_OWNER, markers);
}

/** The run markers on a cell's editor model (for the test hook). */
export async function runMarkers(cellId: string): Promise<Array<{ line: number; message: string }>> {
  const monaco = await loadMonaco();
  return monaco.editor
    .getModelMarkers({ owner: RUN_MARKER_OWNER, resource: cellModelUri(monaco, cellId) })
    .map((m) => ({ line: m.startLineNumber, message: m.message }));
}
