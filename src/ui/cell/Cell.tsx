// One notebook cell: header (prompt, buttons, menu), its source (Monaco or rendered markdown) and outputs.
import { memo, useCallback } from 'react';
import type { CellModel } from '../../notebook/model';
import { isEdited } from '../../notebook/persistence';
import { EditedMark, ResetCellButton } from '../documents/ResetControls';
import type { CellRunState, RunLineNotes } from '../core/run-controller';
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
  resetCell(cellId: string): void;
  select(cellId: string): void;
  /** Opens (cellId) or closes (null) a markdown cell's source for editing. */
  editMarkdown(cellId: string | null): void;
  registerFocus(cellId: string, focus: (() => void) | null): void;
}

export interface CellProps {
  cell: CellModel;
  index: number;
  count: number;
  runState: CellRunState | undefined;
  finishedRuns: number;
  monaco: MonacoApi | null;
  selected: boolean;
  editingMarkdown: boolean;
  actions: CellActions;
  /** The last run's shape hints and error line, for the editor. */
  lineNotes?: RunLineNotes;
}

function prompt(cell: CellModel, runState: CellRunState | undefined): string {
  if (runState) return '[*]';
  return `[${cell.executionCount ?? ' '}]`;
}

function MarkdownSource({ cell, label, editing, actions }: { cell: CellModel; label: string; editing: boolean; actions: CellActions }) {
  const setEditing = (on: boolean) => actions.editMarkdown(on ? cell.id : null);
  if (!editing) {
    return <Markdown source={cell.source || '*Empty text cell: double-click to write.*'} className="cell-markdown" onDoubleClick={() => setEditing(true)} />;
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

export const Cell = memo(function Cell({ cell, index, count, runState, finishedRuns, monaco, selected, editingMarkdown, actions, lineNotes }: CellProps) {
  const label = `Cell ${index + 1}`;
  const isCode = cell.type === 'code';
  const edited = isEdited(cell);
  const { run } = actions;
  const cellId = cell.id;
  const retry = useCallback(() => run(cellId), [run, cellId]);
  return (
    <section
      className={`cell cell-${cell.type}${runState ? ` cell-${runState}` : ''}${selected ? ' cell-selected' : ''}`}
      aria-label={label}
      data-cell-id={cell.id}
      data-run-state={runState ?? 'idle'}
      data-finished-runs={finishedRuns}
      data-selected={selected ? 'true' : undefined}
      tabIndex={-1}
      onFocusCapture={() => actions.select(cell.id)}
      onPointerDownCapture={() => actions.select(cell.id)}
    >
      <div className="cell-header">
        {isCode && (
          <span className="prompt" aria-label={runState ? `${label} ${runState}` : `${label} execution count`}>
            {prompt(cell, runState)}
          </span>
        )}
        <EditedMark edited={edited} />
        <div className="cell-buttons">
          <ResetCellButton edited={edited} onReset={() => actions.resetCell(cell.id)} />
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
          lineNotes={lineNotes}
        />
      ) : (
        <MarkdownSource cell={cell} label={label} editing={editingMarkdown} actions={actions} />
      )}
      {isCode && <OutputArea outputs={cell.outputs} label={`Output of cell ${index + 1}`} onRetry={retry} />}
    </section>
  );
});
