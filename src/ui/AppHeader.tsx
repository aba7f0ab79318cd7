// The sticky header: where you are, document controls (import, export, reset) and the kernel toolbar.
import type { NotebookModel } from '../notebook/model';
import type { RunController, KernelView } from './core/run-controller';
import { Toolbar } from './Toolbar';
import { DarkModeToggle } from './documents/DarkModeToggle';
import { ExportButton } from './documents/ExportButton';
import { ImportButton, type ImportHandlers } from './documents/ImportButton';
import { ResetLessonButton } from './documents/ResetControls';
import { outputSnapshot } from './outputs/snapshot';

export interface AppHeaderProps {
  /** The open notebook, or null on pages without one (the lesson index). */
  notebook: NotebookModel | null;
  isLesson: boolean;
  controller: RunController;
  kernel: KernelView;
  importHandlers: ImportHandlers;
  onResetLesson(): void;
  onExport(): void;
  onHelp(): void;
}

export function AppHeader({ notebook, isLesson, controller, kernel, importHandlers, onResetLesson, onExport, onHelp }: AppHeaderProps) {
  return (
    <header className="app-header">
      <h1 className="app-title">
        <a href="#/" className="home-link" title="All lessons">
          ConvLab
        </a>
        {notebook && <span className="notebook-title">{notebook.info.title}</span>}
      </h1>
      <div className="document-controls" role="group" aria-label="Document">
        <ImportButton {...importHandlers} />
        {notebook && <ExportButton getNotebook={() => notebook} imageFor={outputSnapshot} onBeforeExport={onExport} />}
        {notebook && isLesson && <ResetLessonButton lessonTitle={notebook.info.title} onReset={onResetLesson} />}
      </div>
      {notebook && <Toolbar controller={controller} kernel={kernel} />}
      <div className="header-end">
        <button type="button" className="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={onHelp}>
          ?
        </button>
        <DarkModeToggle />
      </div>
    </header>
  );
}
