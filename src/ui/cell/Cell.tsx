// One notebook cell: header (prompt, buttons, menu), its source (Monaco or rendered markdown) and outputs.
import { memo, useState } from 'react';
import type { CellModel } from '../../notebook/model';
import type { CellRunState } from '../kernel/controller';
import type { MonacoApi } from '../editor/monaco-loader';
import { CellEditor } from '../editor/CellEditor';
import { OutputArea } from '../outputs/OutputArea';
import { Markdown } from '../markdown/Markdown';
import { CellMenu } from './CellMenu';

export interface CellActions {
  setSource(cellId: string, source: string): void;
  run(cellId: string): void;
  runAndAdvance(cellId: string): void;
  runFrom(cellId: string): void;
  interrupt(): void;
  clearOutput(cellId: string): void;
  addBelow(cellId: string, type: 'code' | 'markdown'): void;
  move(cellId: string, delta: -1 | 1): void;
  remove(cellId: string): void;
  registerFocus(cellId: string, focus: (() => void) | null): void;
}

export interface CellProps {
  cell: CellModel;
  index: number;
  count: number;
  runState: CellRunState | undefined;
  finishedRuns: number;
  monaco: MonacoApi | null;
  actions: CellActions;
}

function prompt(cell: CellModel, runState: CellRunState | undefined): string {
  if (runState) return '[*]';
  return `[${cell.executionCount ?? ' '}]`;
}

function MarkdownSource({ cell, label, actions }: { cell: CellModel; label: string; actions: CellActions }) {
  const [editing, setEditing] = useState(false);
  if (!editing) {
    return <Markdown source={cell.source} className="cell-markdown" onDoubleClick={() => setEditing(true)} />;
  }
  return (
    <textarea
      className="markdown-editor"
      aria-label={`${label} text`}
      autoFocus
      value={cell.source}
      rows={Math.max(3, cell.source.split('\n').length + 1)}
      onChange={(e) => actions.setSource(cell.id, e.target.value)}
      onBlur={() => setEditing(false)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.shiftKey || e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          setEditing(false);
          if (e.shiftKey) actions.runAndAdvance(cell.id);
        }
      }}
    />
  );
}

export const Cell = memo(function Cell({ cell, index, count, runState, finishedRuns, monaco, actions }: CellProps) {
  const label = `Cell ${index + 1}`;
  const isCode = cell.type === 'code';
  return (
    <section className={`cell cell-${cell.type}${runState ? ` cell-${runState}` : ''}`} aria-label={label} data-cell-id={cell.id} data-run-state={runState ?? 'idle'} data-finished-runs={finishedRuns} tabIndex={-1}>
      <div className="cell-header">
        {isCode && (
          <span className="prompt" aria-label={runState ? `${label} ${runState}` : `${label} execution count`}>
            {prompt(cell, runState)}
          </span>
        )}
        <div className="cell-buttons">
          {isCode && (
            <>
              <button type="button" onClick={() => actions.run(cell.id)} title="Run cell (Ctrl+Enter; Shift+Enter runs and moves on)">
                Run cell
              </button>
              <button type="button" onClick={() => actions.interrupt()} disabled={!runState}>
                Interrupt
              </button>
              <button type="button" onClick={() => actions.clearOutput(cell.id)} disabled={cell.outputs.length === 0}>
                Clear output
              </button>
            </>
          )}
          <CellMenu
            label={label}
            onRunFromHere={() => actions.runFrom(cell.id)}
            onAddBelow={(type) => actions.addBelow(cell.id, type)}
            onMove={(delta) => actions.move(cell.id, delta)}
            onDelete={() => actions.remove(cell.id)}
            canMoveUp={index > 0}
            canMoveDown={index < count - 1}
          />
        </div>
      </div>
      {isCode ? (
        <CellEditor
          cellId={cell.id}
          source={cell.source}
          monaco={monaco}
          label={label}
          onChange={(source) => actions.setSource(cell.id, source)}
          onRun={() => actions.run(cell.id)}
          onRunAndAdvance={() => actions.runAndAdvance(cell.id)}
          registerFocus={actions.registerFocus}
        />
      ) : (
        <MarkdownSource cell={cell} label={label} actions={actions} />
      )}
      {isCode && <OutputArea outputs={cell.outputs} label={`Output of cell ${index + 1}`} />}
    </section>
  );
});
