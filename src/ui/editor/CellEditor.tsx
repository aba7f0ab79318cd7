// A code cell's editor: a plain <pre> of the source until the cell is near the viewport and Monaco has
// loaded, then a Monaco editor sized to its content. The store stays the source of truth: typing writes
// to it, and changes made elsewhere (the test hook, a reset) are pushed into the editor.
import { useEffect, useRef, useState } from 'react';
import type * as Monaco from 'monaco-editor';
import { cellModelUri, type MonacoApi } from './monaco-loader';
import { useNearViewport } from './useNearViewport';
import { useLineNotes } from './useLineNotes';
import type { RunLineNotes } from '../core/run-controller';

export interface CellEditorProps {
  cellId: string;
  source: string;
  monaco: MonacoApi | null;
  label: string;
  onChange(source: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
  /** Shift+Enter. */
  onRunAndAdvance(): void;
  /** Lets the notebook move the keyboard focus into this cell. */
  registerFocus(cellId: string, focus: (() => void) | null): void;
  /** What the last run said about the lines it ran: shape hints, the error's line. */
  lineNotes?: RunLineNotes;
}

const LINE_HEIGHT = 19;
/**
 * A cell longer than this scrolls inside its editor, and its static source shows this many lines: Monaco lays out
 * every line it shows, and a pasted 100,000-line table held the page for minutes (issue 15, case 28).
 */
const MAX_SHOWN_LINES = 500;
/** Beyond this many characters a cell is edited as plain text: tokenizing megabytes of TypeScript blocks the page. */
const PLAIN_TEXT_FROM_CHARS = 1_000_000;


export function CellEditor(props: CellEditorProps) {
  const { cellId, source, monaco, label } = props;
  const wrapperRef = useRef<HTMLDivElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const near = useNearViewport(wrapperRef);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const applyingExternal = useRef(false);
  const latest = useRef(props);
  latest.current = props;
  const [ready, setReady] = useState(false);
  useLineNotes(monaco, ready ? editorRef.current : null, props.lineNotes);

  useEffect(() => {
    const host = hostRef.current;
    if (!monaco || !near || !host) return;
    const uri = cellModelUri(monaco, cellId);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(latest.current.source, languageFor(latest.current.source.length), uri);
    if (model.getValue() !== latest.current.source) model.setValue(latest.current.source);
    const editor = monaco.editor.create(host, {
      model,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      scrollbar: { vertical: 'auto', alwaysConsumeMouseWheel: false, horizontalScrollbarSize: 8 },
      overviewRulerLanes: 0,
      lineNumbers: 'on',
      lineNumbersMinChars: 3,
      lineHeight: LINE_HEIGHT,
      fontSize: 13,
      folding: false,
      renderLineHighlight: 'none',
      automaticLayout: true,
      fixedOverflowWidgets: true,
      tabSize: 2,
      // A stray "(" or "." should not silently replace what was typed with a suggestion.
      acceptSuggestionOnCommitCharacter: false,
      ariaLabel: `${label} source`,
    });
    editorRef.current = editor;
    const resize = () => {
      host.style.height = `${Math.min(MAX_SHOWN_LINES * LINE_HEIGHT, Math.max(LINE_HEIGHT + 8, editor.getContentHeight()))}px`;
      editor.layout();
    };
    const subs = [
      editor.onDidContentSizeChange(resize),
      model.onDidChangeContent(() => {
        const language = languageFor(model.getValueLength());
        if (model.getLanguageId() !== language) monaco.editor.setModelLanguage(model, language);
        if (!applyingExternal.current) latest.current.onChange(model.getValue());
      }),
    ];
    editor.addAction({
      id: 'convlab.runAndAdvance',
      label: 'Run cell and select below',
      keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      run: () => latest.current.onRunAndAdvance(),
    });
    editor.addAction({
      id: 'convlab.run',
      label: 'Run cell',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => latest.current.onRun(),
    });
    resize();
    latest.current.registerFocus(cellId, () => editor.focus());
    setReady(true);
    return () => {
      latest.current.registerFocus(cellId, null);
      for (const s of subs) s.dispose();
      editor.dispose();
      model.dispose();
      editorRef.current = null;
      setReady(false);
    };
  }, [monaco, near, cellId]);

  // Changes that did not come from typing here.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || model.getValue() === source) return;
    applyingExternal.current = true;
    try {
      // An edit operation rather than setValue, so the learner can still undo it.
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: source }], () => null);
    } finally {
      applyingExternal.current = false;
    }
  }, [source, ready]);

  return (
    <div ref={wrapperRef} className="cell-editor">
      {!ready && (
        <pre className="cell-source-static" aria-label={`${label} source`}>
          {firstLines(source) || ' '}
        </pre>
      )}
      <div ref={hostRef} className={ready ? 'monaco-host' : 'monaco-host pending'} data-editor-ready={ready ? 'true' : 'false'} />
    </div>
  );
}

/** Plain text for a source past PLAIN_TEXT_FROM_CHARS, TypeScript below it. */
function languageFor(length: number): string {
  return length > PLAIN_TEXT_FROM_CHARS ? 'plaintext' : 'typescript';
}

/** The source as the static view shows it: at most MAX_SHOWN_LINES lines, then how many more the editor holds. */
function firstLines(source: string): string {
  let end = -1;
  for (let n = 0; n < MAX_SHOWN_LINES; n++) {
    end = source.indexOf('\n', end + 1);
    if (end < 0) return source;
  }
  const more = source.slice(end + 1).split('\n').length;
  return `${source.slice(0, end)}\n… ${more.toLocaleString()} more line${more === 1 ? '' : 's'}`;
}
