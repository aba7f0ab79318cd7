// The page: the lesson index (#/) or one notebook (#/lesson/<id>, #/scratch). First paint shows the
// notebook's text and sources as plain markup; the kernel worker and Monaco start only after that, so a
// lesson is readable at once even while TensorFlow.js loads.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { NotebookModel } from '../notebook/model';
import { NotebookStore } from './core/notebook-store';
import { scratchNotebook } from './core/scratch';
import { RunController } from './core/run-controller';
import { loadMonaco, type MonacoApi } from './editor/monaco-loader';
import { installTestHook } from './core/test-hook';
import { Notebook } from './Notebook';
import { AppHeader } from './AppHeader';
import { StatusBar } from './StatusBar';
import { Banners } from './Banners';
import { lessonHref, useHashRoute } from './documents/routes';
import { documentIdOf, useDocument } from './documents/useDocument';
import { NotebookDropZone, type ImportHandlers } from './documents/ImportButton';
import { ShortcutHelp } from './documents/ShortcutHelp';
import { IndexPage } from './pages/IndexPage';
import { DocumentNotices } from './pages/DocumentNotices';
import { exportNotebook } from './documents/ExportButton';
import { outputSnapshot } from './outputs/snapshot';
import { LongText } from './outputs/LongText';
import { afterFirstPaint } from './after-first-paint';

export function App() {
  const [store] = useState(() => new NotebookStore(scratchNotebook()));
  const [controller] = useState(() => new RunController(store));
  const [monaco, setMonaco] = useState<MonacoApi | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const toggleHelp = useCallback(() => setHelpOpen((o) => !o), []);
  const [importWarnings, setImportWarnings] = useState<string[]>([]);
  const kernel = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const notebook = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [route] = useHashRoute();
  const doc = useDocument(route, store, controller);

  useEffect(() => installTestHook(store), [store]);

  // A "Kernel restarted" notice belongs to the page where it happened: going to another notebook or to the index
  // leaves it behind (a cell link within the same notebook does not).
  const pageKey = documentIdOf(route) ?? route.page;
  const shownPage = useRef(pageKey);
  useEffect(() => {
    if (shownPage.current === pageKey) return;
    shownPage.current = pageKey;
    controller.leftPage();
  }, [pageKey, controller]);

  // The kernel starts once the page has painted; it works off the main thread while the learner reads.
  useEffect(() => afterFirstPaint(() => controller.start()), [controller]);

  const showsNotebook = route.page === 'lesson' || route.page === 'scratch';
  const open = doc.state.status === 'open';

  // Monaco is megabytes of main-thread work: load it only once a notebook's text is on screen (the lesson
  // index never needs it), so it never delays the first read.
  const wantsEditor = showsNotebook && open && monaco === null;
  useEffect(() => {
    if (!wantsEditor) return;
    let alive = true;
    const cancel = afterFirstPaint(() => {
      loadMonaco().then(
        (m) => alive && setMonaco(() => m),
        (err: unknown) => console.error('The code editor failed to load; sources stay readable but not editable.', err),
      );
    });
    return () => {
      alive = false;
      cancel();
    };
  }, [wantsEditor]);

  // Terminate the worker when the page goes, rather than leaving the GPU device to the garbage collector.
  useEffect(() => () => controller.dispose(), [controller]);

  useEffect(() => {
    document.title = showsNotebook && open ? `${notebook.info.title} · ConvLab` : 'ConvLab';
  }, [showsNotebook, open, notebook.info.title]);

  const importHandlers: ImportHandlers = {
    // Imported notebooks open without running anything: the learner decides what to run.
    onImport: useCallback(
      (imported: NotebookModel, warnings: string[]) => {
        void doc.saveImported(imported).then(() => {
          setImportWarnings(warnings);
          window.location.hash = lessonHref(imported.id);
        });
      },
      [doc],
    ),
  };

  return (
    <NotebookDropZone className="app" {...importHandlers}>
      <AppHeader
        notebook={showsNotebook && open ? notebook : null}
        isLesson={doc.state.status === 'open' && doc.state.original !== null}
        controller={controller}
        kernel={kernel}
        importHandlers={importHandlers}
        onResetLesson={() => void doc.resetLesson()}
        onExport={() => void doc.flush()}
        onHelp={toggleHelp}
      />
      <Banners controller={controller} kernel={kernel} />
      <DocumentNotices
        doc={doc}
        title={notebook.info.title}
        importWarnings={importWarnings}
        onDismissImportWarnings={() => setImportWarnings([])}
        onExport={() => exportNotebook(store.getSnapshot(), outputSnapshot)}
      />
      <main className="app-main">
        {route.page === 'index' && <IndexPage storage={doc.storage} />}
        {route.page === 'not-found' && (
          <p role="alert">
            There is no page at “{route.hash}”. <a href="#/">Go to the lessons</a>
          </p>
        )}
        {showsNotebook && doc.state.status === 'loading' && <p className="muted">Opening the notebook…</p>}
        {showsNotebook && open && (
          <Notebook
            store={store}
            controller={controller}
            monaco={monaco}
            resetCell={doc.resetCell}
            highlight={route.page === 'lesson' ? route.cell : undefined}
            keysEnabled={!helpOpen}
            onHelp={toggleHelp}
          />
        )}
        {kernel.log.length > 0 && (
          <details className="kernel-log">
            <summary>Kernel messages ({kernel.log.length})</summary>
            {/* A stray print from a timer can be megabytes: drawn as a preview, like a cell's output. */}
            <LongText text={kernel.log.join('')} className="kernel-log-text" fileName="kernel-messages.txt" />
          </details>
        )}
      </main>
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <StatusBar kernel={kernel} />
    </NotebookDropZone>
  );
}
