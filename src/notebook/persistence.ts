// The learner's copies live in IndexedDB, one record per notebook id, so edits survive reloads and a
// newer bundled lesson never overwrites them. Storage failures only ever cost persistence, never the lesson.

import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import type { CellModel, NotebookModel } from './model';

export const SAVE_DEBOUNCE_MS = 300;
const RECORD_FORMAT = 1;
const NOTEBOOK_PREFIX = 'notebook:';
const PROGRESS_PREFIX = 'progress:';
const BACKUP_PREFIX = 'backup:';

export interface SavedRecord {
  format: typeof RECORD_FORMAT;
  savedAt: number;
  origin: 'lesson' | 'imported';
  notebook: NotebookModel;
}

export interface OpenedNotebook {
  notebook: NotebookModel;
  /** True when the learner's saved copy was loaded rather than the bundled original. */
  restored: boolean;
  /** The bundled lesson is a newer version than the one the saved copy started from. */
  newerVersionAvailable: boolean;
  /** Set when stored data was unreadable and the original was opened instead. */
  warning?: string;
}

export interface SavedSummary {
  id: string;
  title: string;
  origin: 'lesson' | 'imported';
  savedAt: number;
  version: number;
  cellsEdited: number;
}

export interface LessonProgress {
  /** Ids of cells the learner ran at least once (unique). */
  cellsRun: string[];
  updatedAt: number;
}

export interface ProgressSummary {
  cellsRun: number;
  cellsEdited: number;
  codeCells: number;
}

// ---- pure helpers --------------------------------------------------------------------------

export function isEdited(cell: CellModel): boolean {
  return cell.original !== undefined && cell.source !== cell.original;
}

export function countEdited(notebook: NotebookModel): number {
  return notebook.cells.filter(isEdited).length;
}

/** The notebook with one cell's source back to the lesson's; cells without an original are unchanged. */
export function resetCell(notebook: NotebookModel, cellId: string): NotebookModel {
  return {
    ...notebook,
    cells: notebook.cells.map((c) => (c.id === cellId && c.original !== undefined ? { ...c, source: c.original } : c)),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCell(value: unknown): value is CellModel {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    (value.type === 'code' || value.type === 'markdown') &&
    typeof value.source === 'string' &&
    (value.original === undefined || typeof value.original === 'string') &&
    Array.isArray(value.outputs) &&
    value.outputs.every((o) => isRecord(o) && typeof o.output_type === 'string') &&
    (value.executionCount === null || typeof value.executionCount === 'number') &&
    isRecord(value.metadata)
  );
}

/** Stored data can be anything (an older app, a half-written record, a curious learner's devtools). */
export function isSavedRecord(value: unknown): value is SavedRecord {
  if (!isRecord(value) || value.format !== RECORD_FORMAT || typeof value.savedAt !== 'number') return false;
  if (value.origin !== 'lesson' && value.origin !== 'imported') return false;
  const nb = value.notebook;
  if (!isRecord(nb) || typeof nb.id !== 'string' || !Array.isArray(nb.cells) || !isRecord(nb.metadata)) return false;
  const info = nb.info;
  if (!isRecord(info) || typeof info.title !== 'string' || typeof info.version !== 'number') return false;
  return nb.cells.every(isCell);
}

function isProgress(value: unknown): value is LessonProgress {
  return isRecord(value) && Array.isArray(value.cellsRun) && value.cellsRun.every((id) => typeof id === 'string');
}

// ---- the store ----------------------------------------------------------------------------

export interface NotebookStoreOptions {
  /** An idb-keyval store; tests pass one per case. */
  store?: UseStore;
  debounceMs?: number;
  warn?: (message: string) => void;
}

export class NotebookStore {
  private readonly store: UseStore;
  private readonly debounceMs: number;
  private readonly warn: (message: string) => void;
  private readonly pending = new Map<string, { notebook: NotebookModel; origin: SavedRecord['origin'] }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(options: NotebookStoreOptions = {}) {
    this.store = options.store ?? createStore('convlab', 'notebooks');
    this.debounceMs = Math.min(options.debounceMs ?? SAVE_DEBOUNCE_MS, 500);
    this.warn = options.warn ?? ((message) => console.warn(`[convlab] ${message}`));
  }

  private async safely<T>(what: string, action: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await action();
    } catch (err) {
      this.warn(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      return fallback;
    }
  }

  private async readRecord(id: string): Promise<{ record?: SavedRecord; corrupt: boolean }> {
    const raw = await this.safely('Reading the saved notebook', () => get<unknown>(NOTEBOOK_PREFIX + id, this.store), undefined);
    if (raw === undefined) return { corrupt: false };
    if (isSavedRecord(raw)) return { record: raw, corrupt: false };
    return { corrupt: true };
  }

  /** Opens a bundled lesson: the learner's copy when one is saved and readable, else the original. */
  async openLesson(original: NotebookModel): Promise<OpenedNotebook> {
    await this.writing;
    const pending = this.pending.get(original.id);
    const { record, corrupt } = pending
      ? { record: { format: RECORD_FORMAT, savedAt: Date.now(), origin: pending.origin, notebook: pending.notebook } as SavedRecord, corrupt: false }
      : await this.readRecord(original.id);
    if (corrupt) {
      const warning = `The saved copy of "${original.info.title}" could not be read, so the lesson opened as shipped.`;
      this.warn(warning);
      // Kept aside rather than deleted: the learner's work might still be recoverable by hand.
      await this.safely('Setting the unreadable copy aside', async () => {
        const raw = await get<unknown>(NOTEBOOK_PREFIX + original.id, this.store);
        await set(BACKUP_PREFIX + original.id, raw, this.store);
        await del(NOTEBOOK_PREFIX + original.id, this.store);
      }, undefined);
      return { notebook: structuredClone(original), restored: false, newerVersionAvailable: false, warning };
    }
    if (!record) return { notebook: structuredClone(original), restored: false, newerVersionAvailable: false };
    return {
      notebook: record.notebook,
      restored: true,
      newerVersionAvailable: record.notebook.info.version < original.info.version,
    };
  }

  /** Opens a notebook the learner imported earlier (no bundled original exists). */
  async openSaved(id: string): Promise<NotebookModel | undefined> {
    await this.writing;
    const pending = this.pending.get(id);
    if (pending) return pending.notebook;
    const { record, corrupt } = await this.readRecord(id);
    if (corrupt) this.warn(`The saved notebook ${id} could not be read.`);
    return record?.notebook;
  }

  /** Debounced save of the learner's copy; call on every change. */
  save(notebook: NotebookModel, origin: SavedRecord['origin'] = notebook.id.startsWith('imported-') ? 'imported' : 'lesson'): void {
    this.pending.set(notebook.id, { notebook, origin });
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.debounceMs);
  }

  /** Writes pending saves now: call on pagehide and visibilitychange (hidden). */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending.clear();
    const run = async () => {
      for (const { notebook, origin } of batch) {
        const record: SavedRecord = { format: RECORD_FORMAT, savedAt: Date.now(), origin, notebook };
        await this.safely(`Saving "${notebook.info.title}"`, () => set(NOTEBOOK_PREFIX + notebook.id, record, this.store), undefined);
      }
    };
    this.writing = this.writing.then(run);
    return this.writing;
  }

  /** Resolves once every write started so far has finished (does not start pending ones: see flush). */
  whenWritten(): Promise<void> {
    return this.writing;
  }

  /** Forgets the learner's copy and progress; returns a fresh copy of the original to show. */
  async resetLesson(original: NotebookModel): Promise<NotebookModel> {
    this.pending.delete(original.id);
    await this.writing;
    await this.safely('Resetting the lesson', async () => {
      await del(NOTEBOOK_PREFIX + original.id, this.store);
      await del(PROGRESS_PREFIX + original.id, this.store);
    }, undefined);
    return structuredClone(original);
  }

  /**
   * Switches to the newer bundled lesson. The learner's copy is kept under a backup key (not shown in
   * the list) so taking the update never silently destroys work.
   */
  async takeNewerVersion(original: NotebookModel): Promise<NotebookModel> {
    await this.flush();
    await this.safely('Keeping the previous copy', async () => {
      const raw = await get<unknown>(NOTEBOOK_PREFIX + original.id, this.store);
      if (raw !== undefined) await set(BACKUP_PREFIX + original.id, raw, this.store);
      await del(NOTEBOOK_PREFIX + original.id, this.store);
    }, undefined);
    return structuredClone(original);
  }

  async remove(id: string): Promise<void> {
    this.pending.delete(id);
    await this.writing;
    await this.safely('Removing the notebook', async () => {
      await del(NOTEBOOK_PREFIX + id, this.store);
      await del(PROGRESS_PREFIX + id, this.store);
    }, undefined);
  }

  /** Saved lesson copies and imported notebooks, newest first; unreadable records are skipped. */
  async listSaved(): Promise<SavedSummary[]> {
    await this.flush();
    const all = await this.safely('Listing saved notebooks', () => entries<IDBValidKey, unknown>(this.store), []);
    const out: SavedSummary[] = [];
    for (const [key, value] of all) {
      if (typeof key !== 'string' || !key.startsWith(NOTEBOOK_PREFIX) || !isSavedRecord(value)) continue;
      const nb = value.notebook;
      out.push({ id: nb.id, title: nb.info.title, origin: value.origin, savedAt: value.savedAt, version: nb.info.version, cellsEdited: countEdited(nb) });
    }
    return out.sort((a, b) => b.savedAt - a.savedAt);
  }

  /** Records that a cell ran (for the lesson index's "cells run"). */
  async markRun(notebookId: string, cellId: string): Promise<void> {
    await this.safely('Recording progress', async () => {
      const raw = await get<unknown>(PROGRESS_PREFIX + notebookId, this.store);
      const progress: LessonProgress = isProgress(raw) ? raw : { cellsRun: [], updatedAt: 0 };
      if (progress.cellsRun.includes(cellId)) return;
      await set(PROGRESS_PREFIX + notebookId, { cellsRun: [...progress.cellsRun, cellId], updatedAt: Date.now() }, this.store);
    }, undefined);
  }

  /** Per-lesson progress against the notebook the learner sees (saved copy, else the original). */
  async progress(original: NotebookModel): Promise<ProgressSummary> {
    const raw = await this.safely('Reading progress', () => get<unknown>(PROGRESS_PREFIX + original.id, this.store), undefined);
    const run = new Set(isProgress(raw) ? raw.cellsRun : []);
    const { notebook } = await this.openLesson(original);
    const code = notebook.cells.filter((c) => c.type === 'code');
    return { cellsRun: code.filter((c) => run.has(c.id)).length, cellsEdited: countEdited(notebook), codeCells: code.length };
  }
}

/** Flushes pending saves when the tab is hidden or closed; returns the cleanup for useEffect. */
export function flushOnPageHide(store: NotebookStore, target: Window = window): () => void {
  const onHide = () => void store.flush();
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
