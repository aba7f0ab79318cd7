// A code cell's editor: a plain <pre> of the source until the cell is near the viewport and Monaco has
// loaded, then a Monaco editor sized to its content. The store stays the source of truth: typing writes
// to it, and changes made elsewhere (the test hook, a reset) are pushed into the editor.
import { useEffect, useRef, useState } from 'react';
import type * as Monaco from 'monaco-editor';
import { cellModelUri, type MonacoApi } from './monaco-loader';
import { useNearViewport } from './useNearViewport';

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
}

const LINE_HEIGHT = 19;


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

  useEffect(() => {
    const host = hostRef.current;
    if (!monaco || !near || !host) return;
    const uri = cellModelUri(monaco, cellId);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(latest.current.source, 'typescript', uri);
    if (model.getValue() !== latest.current.source) model.setValue(latest.current.source);
    const editor = monaco.editor.create(host, {
      model,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      scrollbar: { vertical: 'hidden', alwaysConsumeMouseWheel: false, horizontalScrollbarSize: 8 },
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
      host.style.height = `${Math.max(LINE_HEIGHT + 8, editor.getContentHeight())}px`;
      editor.layout();
    };
    const subs = [
      editor.onDidContentSizeChange(resize),
      model.onDidChangeContent(() => {
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
          {source || ' '}
        </pre>
      )}
      <div ref={hostRef} className={ready ? 'monaco-host' : 'monaco-host pending'} data-editor-ready={ready ? 'true' : 'false'} />
    </div>
  );
}
