// Which document the notebook view shows, and keeping the learner's copy of it safe: opens a route's
// notebook (a bundled lesson, the learner's saved copy of it, an imported notebook, or the scratch pad),
// autosaves every change to IndexedDB, and offers reset / newer-version / import actions over it.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { NotebookModel } from '../../notebook/model';
import { flushOnPageHide, NotebookStore as DocumentStorage, resetCell, type StorageEvent } from '../../notebook/persistence';
import { hasLesson, loadLesson } from '../../lessons';
import type { NotebookStore } from '../core/notebook-store';
import type { RunController } from '../core/run-controller';
import { scratchNotebook } from '../core/scratch';
import type { Route } from './routes';
import { downloadText } from './ExportButton';

export const SCRATCH_ID = 'scratch';

/** The route's document id, or null for pages that show no notebook. */
export function documentIdOf(route: Route): string | null {
  if (route.page === 'scratch') return SCRATCH_ID;
  if (route.page === 'lesson') return route.lessonId;
  return null;
}

export type DocumentState =
  | { status: 'none' }
  | { status: 'loading'; id: string }
  | { status: 'missing'; id: string }
  | { status: 'open'; id: string; original: NotebookModel | null; newerVersion: boolean; warning?: string; asideKey?: string };

export interface DocumentSession {
  state: DocumentState;
  storage: DocumentStorage;
  resetCell(cellId: string): void;
  resetLesson(): Promise<void>;
  takeNewerVersion(): Promise<void>;
  dismissNewerVersion(): void;
  dismissWarning(): void;
  /** Saves an imported notebook and resolves once it can be opened by id. */
  saveImported(notebook: NotebookModel): Promise<void>;
  flush(): Promise<void>;
  /** Why edits are not being saved in this browser (they stay in this tab), or null while saving works. */
  storageProblem: string | null;
  /** Another tab saved the open notebook while this tab had edits of its own: neither is written until resolved. */
  conflict: boolean;
  /** 'theirs' opens what the other tab saved, dropping this tab's edits; 'mine' writes this tab's over it (kept aside). */
  resolveConflict(keep: 'theirs' | 'mine'): Promise<void>;
  /** Offers the unreadable copy that was set aside as a file. */
  downloadAside(): Promise<void>;
}

export async function openDocument(storage: DocumentStorage, id: string): Promise<DocumentState & { notebook?: NotebookModel }> {
  if (hasLesson(id)) {
    const original = await loadLesson(id);
    const opened = await storage.openLesson(original);
    return { status: 'open', id, original, newerVersion: opened.newerVersionAvailable, warning: opened.warning, asideKey: opened.asideKey, notebook: opened.notebook };
  }
  const { notebook: saved, warning, asideKey } = await storage.openSavedCopy(id);
  if (id === SCRATCH_ID) return { status: 'open', id, original: null, newerVersion: false, warning, asideKey, notebook: saved ?? scratchNotebook() };
  return saved ? { status: 'open', id, original: null, newerVersion: false, notebook: saved } : { status: 'missing', id };
}

export function useDocument(route: Route, store: NotebookStore, controller: RunController): DocumentSession {
  const onStorageEvent = useRef<(event: StorageEvent) => void>(() => {});
  const [storage] = useState(() => new DocumentStorage({ onEvent: (event) => onStorageEvent.current(event) }));
  const [state, setState] = useState<DocumentState>({ status: 'none' });
  const [storageProblem, setStorageProblem] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<ReadonlySet<string>>(new Set());
  // The notebook object this hook last put in the store: that one is not a learner's change to save.
  const placed = useRef<NotebookModel | null>(null);
  const openId = state.status === 'open' ? state.id : null;
  const wantedId = documentIdOf(route);

  const place = useCallback(
    (notebook: NotebookModel) => {
      placed.current = notebook;
      store.dispatch({ type: 'replaceNotebook', notebook });
    },
    [store],
  );

  useEffect(() => {
    if (wantedId === null) {
      setState({ status: 'none' });
      return;
    }
    let current = true;
    setState({ status: 'loading', id: wantedId });
    const before = store.getSnapshot();
    openDocument(storage, wantedId).then(
      ({ notebook, ...next }) => {
        if (!current) return;
        // Something else (the e2e hook, an import) replaced the notebook meanwhile: theirs wins.
        if (notebook && store.getSnapshot() === before) place(notebook);
        setState(next);
      },
      (err: unknown) => {
        if (!current) return;
        console.error(`Opening "${wantedId}" failed`, err);
        setState({ status: 'missing', id: wantedId });
      },
    );
    return () => {
      current = false;
    };
  }, [wantedId, storage, store, place]);

  // Autosave: every change the learner makes to the open document (sources, cells, outputs).
  useEffect(() => {
    if (openId === null) return;
    return store.subscribe(() => {
      const notebook = store.getSnapshot();
      if (notebook.id !== openId || notebook === placed.current) return;
      storage.save(notebook);
    });
  }, [openId, store, storage]);

  useEffect(() => flushOnPageHide(storage), [storage]);

  // Reopens the open notebook from storage (another tab saved it) and shows that version.
  const reopen = useCallback(
    async (id: string) => {
      const { notebook } = await openDocument(storage, id);
      if (notebook && store.getSnapshot().id === id) place(notebook);
    },
    [storage, store, place],
  );

  onStorageEvent.current = (event) => {
    switch (event.type) {
      case 'problem':
        setStorageProblem(event.message);
        return;
      case 'saved':
        setStorageProblem(null);
        setConflicts((all) => withOut(all, event.id));
        return;
      case 'conflict':
        setConflicts((all) => (all.has(event.id) ? all : new Set([...all, event.id])));
        return;
      case 'changed-elsewhere':
        if (event.id === openId) void reopen(event.id);
        return;
    }
  };

  // Progress for the lesson index: which cells the learner has run.
  useEffect(() => {
    if (openId === null) return;
    let seen = controller.getSnapshot().finished;
    return controller.subscribe(() => {
      const finished = controller.getSnapshot().finished;
      if (finished === seen) return;
      const ids = store.getSnapshot().id === openId ? new Set(store.getSnapshot().cells.map((c) => c.id)) : new Set<string>();
      for (const [cellId, n] of Object.entries(finished)) if (n !== (seen[cellId] ?? 0) && ids.has(cellId)) void storage.markRun(openId, cellId);
      seen = finished;
    });
  }, [openId, controller, store, storage]);

  const original = state.status === 'open' ? state.original : null;
  return useMemo<DocumentSession>(
    () => ({
      state,
      storage,
      resetCell: (cellId) => store.dispatch({ type: 'replaceNotebook', notebook: resetCell(store.getSnapshot(), cellId) }),
      resetLesson: async () => {
        if (!original) return;
        place(await storage.resetLesson(original));
        setState((s) => (s.status === 'open' ? { ...s, newerVersion: false } : s));
      },
      takeNewerVersion: async () => {
        if (!original) return;
        place(await storage.takeNewerVersion(original));
        setState((s) => (s.status === 'open' ? { ...s, newerVersion: false } : s));
      },
      dismissNewerVersion: () => setState((s) => (s.status === 'open' ? { ...s, newerVersion: false } : s)),
      dismissWarning: () => setState((s) => (s.status === 'open' ? { ...s, warning: undefined } : s)),
      saveImported: async (notebook) => {
        storage.save(notebook, 'imported');
        await storage.flush();
      },
      flush: () => storage.flush(),
      storageProblem,
      conflict: openId !== null && conflicts.has(openId),
      resolveConflict: async (keep) => {
        if (openId === null) return;
        if (keep === 'mine') await storage.overwrite(openId);
        else {
          storage.discardLocal(openId);
          await reopen(openId);
        }
        setConflicts((all) => withOut(all, openId));
      },
      downloadAside: async () => {
        const key = state.status === 'open' ? state.asideKey : undefined;
        if (!key) return;
        const raw = await storage.readAside(key);
        downloadText(`unreadable-${state.status === 'open' ? state.id : 'notebook'}.json`, asJson(raw), 'application/json');
      },
    }),
    [state, storage, store, original, place, storageProblem, conflicts, openId, reopen],
  );
}

function withOut(all: ReadonlySet<string>, id: string): ReadonlySet<string> {
  if (!all.has(id)) return all;
  const next = new Set(all);
  next.delete(id);
  return next;
}

/** Whatever was stored, as text a learner (or a helper) can read; JSON where it can be. */
function asJson(raw: unknown): string {
  try {
    return JSON.stringify(raw, null, 1) ?? String(raw);
  } catch {
    return String(raw);
  }
}
