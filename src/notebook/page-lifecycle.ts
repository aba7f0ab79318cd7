// When the page goes away, pending saves are written: a hidden tab may be discarded by the browser without another
// word, and a closing or reloading one has only its pagehide event left (issue 15, case 18).
import type { NotebookStore } from './persistence';

/** Flushes pending saves when the tab is hidden or closed; returns the cleanup for useEffect. */
export function flushOnPageHide(store: NotebookStore, target: Window = window): () => void {
  // Closing or reloading: each write commits at once, and goes to the unload journal too (see persistence.ts).
  const onHide = () => void store.flushFinal();
  const onVisibility = () => {
    if (target.document.visibilityState === 'hidden') void store.flush();
  };
  target.addEventListener('pagehide', onHide);
  target.document.addEventListener('visibilitychange', onVisibility);
  return () => {
    target.removeEventListener('pagehide', onHide);
    target.document.removeEventListener('visibilitychange', onVisibility);
  };
}
