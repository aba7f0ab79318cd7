// The notebook page. First paint shows the notebook's text and sources as plain markup; the kernel worker
// and Monaco start only after that, so a lesson is readable at once even while TensorFlow.js loads.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { NotebookStore } from './state/notebook-store';
import { scratchNotebook } from './state/scratch';
import { KernelController } from './kernel/controller';
import { loadMonaco, type MonacoApi } from './editor/monaco-loader';
import { installTestHook } from './test-hook';
import { Notebook } from './Notebook';
import { Toolbar } from './Toolbar';
import { StatusBar } from './StatusBar';
import { Banners } from './Banners';
import { useHashRoute } from './documents/routes';
import { hasLesson, loadLesson } from '../lessons';

/** Runs `fn` once the browser has painted (two frames later), or after a short delay where frames never come (background tabs). */
function afterFirstPaint(fn: () => void): () => void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    fn();
  };
  const timer = setTimeout(run, 500);
  const frame = requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(run, 0)));
  return () => {
    done = true;
    clearTimeout(timer);
    cancelAnimationFrame(frame);
  };
}

export function App() {
  const [store] = useState(() => new NotebookStore(scratchNotebook()));
  const [controller] = useState(() => new KernelController(store));
  const [monaco, setMonaco] = useState<MonacoApi | null>(null);
  const kernel = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const notebook = useSyncExternalStore(store.subscribe, store.getSnapshot);

  useEffect(() => installTestHook(store), [store]);

  // #/lesson/<id> opens a bundled lesson; anything else keeps the scratch notebook. (Lesson index, saved
  // copies and import/export plug in here through store.dispatch({ type: 'replaceNotebook', … }).)
  const [route] = useHashRoute();
  const lessonId = route.page === 'lesson' && hasLesson(route.lessonId) ? route.lessonId : null;
  useEffect(() => {
    if (!lessonId) return;
    let current = true;
    loadLesson(lessonId).then(
      (notebook) => current && store.dispatch({ type: 'replaceNotebook', notebook }),
      (err: unknown) => console.error(`Lesson "${lessonId}" failed to load`, err),
    );
    return () => {
      current = false;
    };
  }, [lessonId, store]);

  useEffect(() => {
    let alive = true;
    const cancel = afterFirstPaint(() => {
      controller.start();
      loadMonaco().then(
        (m) => alive && setMonaco(() => m),
        (err: unknown) => console.error('The code editor failed to load; sources stay readable but not editable.', err),
      );
    });
    return () => {
      alive = false;
      cancel();
    };
  }, [controller]);

  // Terminate the worker when the page goes, rather than leaving the GPU device to the garbage collector.
  useEffect(() => () => controller.dispose(), [controller]);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">
          ConvLab <span className="notebook-title">{notebook.info.title}</span>
        </h1>
        <Toolbar controller={controller} kernel={kernel} />
      </header>
      <Banners controller={controller} kernel={kernel} />
      <main className="app-main">
        <Notebook store={store} controller={controller} monaco={monaco} />
        {kernel.log.length > 0 && (
          <details className="kernel-log">
            <summary>Kernel messages ({kernel.log.length})</summary>
            <pre>{kernel.log.join('')}</pre>
          </details>
        )}
      </main>
      <StatusBar kernel={kernel} />
    </div>
  );
}
