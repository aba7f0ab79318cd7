// Shows a cell's last-run notes in its editor: each shape hint as text after its line, the error's line as a
// marker. Each is tracked by a decoration, which moves with the line as lines above it come and go; once its line
// reads otherwise (the learner edited it), the hint or marker goes.
import { useEffect } from 'react';
import type * as Monaco from 'monaco-editor';
import type { RunLineNotes } from '../core/run-controller';
import type { MonacoApi } from './monaco-loader';
import { applicableNotes } from './line-notes';
import { setRunMarker } from './run-markers';
import './line-notes.css';

interface Tracked {
  /** The line's text as it ran. */
  text: string;
  isError: boolean;
}

export function useLineNotes(
  monaco: MonacoApi | null,
  editor: Monaco.editor.IStandaloneCodeEditor | null,
  notes: RunLineNotes | undefined,
): void {
  useEffect(() => {
    const model = editor?.getModel();
    if (!monaco || !model) return;
    const shown = applicableNotes(notes, (n) => (n <= model.getLineCount() ? model.getLineContent(n) : undefined));
    const decorations: Monaco.editor.IModelDeltaDecoration[] = shown.hints.map((h) => {
      const end = model.getLineMaxColumn(h.line);
      return {
        range: new monaco.Range(h.line, end, h.line, end),
        options: {
          showIfCollapsed: true,
          after: { content: `  ${h.label}`, inlineClassName: 'shape-hint', cursorStops: monaco.editor.InjectedTextCursorStops.None },
        },
      };
    });
    const { error } = shown;
    if (error) {
      // Invisible: it only follows the error's line (the marker itself is drawn by Monaco).
      decorations.push({ range: new monaco.Range(error.line, 1, error.line, 1), options: { stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges } });
    }
    const tracked = new Map<string, Tracked>();
    model.deltaDecorations([], decorations).forEach((id, i) => {
      tracked.set(id, i < shown.hints.length ? { text: shown.hints[i].text, isError: false } : { text: error!.text, isError: true });
    });
    setRunMarker(monaco, model, error);

    const edits = model.onDidChangeContent(() => {
      const gone: string[] = [];
      for (const [id, t] of tracked) {
        const range = model.getDecorationRange(id);
        if (range && model.getLineContent(range.startLineNumber) === t.text) continue;
        gone.push(id);
        tracked.delete(id);
        if (t.isError) setRunMarker(monaco, model, undefined);
      }
      if (gone.length) model.deltaDecorations(gone, []);
    });
    return () => {
      edits.dispose();
      // On unmount the editor's own clean-up may have disposed the model already, and its decorations with it.
      if (model.isDisposed()) return;
      model.deltaDecorations([...tracked.keys()], []);
      setRunMarker(monaco, model, undefined);
    };
  }, [monaco, editor, notes]);
}
