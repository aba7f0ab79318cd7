// The learner's copies live in IndexedDB, one record per notebook id, so edits survive reloads and a newer bundled
// lesson never overwrites them. Storage failures only ever cost persistence, never the lesson nor an edit (issue 15):
// an unreadable record is set aside and the original opens (case 16); a save that fails is kept in this tab and the
// learner is told (case 17); a tab writes only over the revision it read, so two tabs never overwrite each other
// silently (case 19); pending saves are written when the page is hidden or closed (case 18).

import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import type { NotebookModel } from './model';
import { countEdited } from './edits';
import { describeStorageError, isProgress, isSavedRecord, newRevision, RECORD_FORMAT, revisionOf, type LessonProgress, type SavedRecord } from './saved-record';
import { tabChannel, type SavedNotice, type TabChannel } from './tab-sync';
import { checkedPut, committedPut, ConflictError } from './idb-writes';
import { boundForStorage } from './storage-bounds';
import { takeJournal, writeJournal } from './unload-journal';

export { isSavedRecord, type LessonProgress, type SavedRecord } from './saved-record';
export { countEdited, isEdited, resetCell } from './edits';
export { flushOnPageHide } from './page-lifecycle';

export const SAVE_DEBOUNCE_MS = 300;
const NOTEBOOK_PREFIX = 'notebook:';
const PROGRESS_PREFIX = 'progress:';
const BACKUP_PREFIX = 'backup:';
/** Copies set aside rather than destroyed: `aside:<id>:<why>:<time>`. Never listed, never overwritten. */
const ASIDE_PREFIX = 'aside:';

export interface OpenedNotebook {
  notebook: NotebookModel;
  /** True when the learner's saved copy was loaded rather than the bundled original. */
  restored: boolean;
  /** The bundled lesson is a newer version than the one the saved copy started from. */
  newerVersionAvailable: boolean;
  /** Set when stored data was unreadable and the original was opened instead. */
  warning?: string;
  /** Where the unreadable copy was set aside (see readAside). */
  asideKey?: string;
}

export interface SavedSummary {
  id: string;
  title: string;
  origin: 'lesson' | 'imported';
  savedAt: number;
  version: number;
  cellsEdited: number;
}

export interface ProgressSummary {
  cellsRun: number;
  cellsEdited: number;
  codeCells: number;
}

/** What the page must tell the learner about storage. */
export type StorageEvent =
  /** Reading or saving failed: edits stay in this tab only (exportable) until a save succeeds. */
  | { type: 'problem'; message: string }
  /** A save of this notebook succeeded: any problem is over. */
  | { type: 'saved'; id: string }
  /** Another tab saved this notebook since this tab read it, and this tab has edits of its own: neither is written. */
  | { type: 'conflict'; id: string }
  /** Another tab saved this notebook and this tab has nothing unsaved: reopen it to follow. */
  | { type: 'changed-elsewhere'; id: string };

// ---- the store ----------------------------------------------------------------------------

export interface NotebookStoreOptions {
  /** An idb-keyval store; tests pass one per case. */
  store?: UseStore;
  debounceMs?: number;
  warn?: (message: string) => void;
  onEvent?: (event: StorageEvent) => void;
  /** How tabs tell each other of saves; default a BroadcastChannel, null for none. */
  channel?: TabChannel | null;
  /** Where a closing page's last edits also go (see unload-journal.ts); default localStorage, null for none. */
  journal?: Storage | null;
}

type WriteMode = 'checked' | 'forced' | 'final';

interface PendingSave {
  notebook: NotebookModel;
  origin: SavedRecord['origin'];
  /** Order of the save() calls: a later one holds the newer notebook. */
  seq: number;
}

export class NotebookStore {
  private readonly store: UseStore;
  private readonly debounceMs: number;
  private readonly warn: (message: string) => void;
  private readonly onEvent: (event: StorageEvent) => void;
  private readonly channel: TabChannel | null;
  private readonly journal: Storage | null | undefined;
  private readonly pending = new Map<string, PendingSave>();
  /** Saves that failed or were refused: this tab serves them until one is written, so no edit is lost. */
  private readonly unsaved = new Map<string, PendingSave>();
  /** The revision of each notebook's record this tab last read or wrote (null: there was none). */
  private readonly revisions = new Map<string, string | null>();
  /** Notebooks another tab changed while this one had edits: not written until the learner chooses. */
  private readonly conflicts = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(options: NotebookStoreOptions = {}) {
    this.store = options.store ?? createStore('convlab', 'notebooks');
    this.debounceMs = Math.min(options.debounceMs ?? SAVE_DEBOUNCE_MS, 500);
    this.warn = options.warn ?? ((message) => console.warn(`[convlab] ${message}`));
    this.onEvent = options.onEvent ?? (() => {});
    this.channel = options.channel === undefined ? tabChannel() : options.channel;
    this.journal = options.journal;
    this.channel?.listen((notice) => this.onNotice(notice));
  }

  dispose(): void {
    this.channel?.close();
  }

  private async safely<T>(what: string, action: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await action();
    } catch (err) {
      this.warn(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      this.onEvent({ type: 'problem', message: describeStorageError(err) });
      return fallback;
    }
  }

  /** What this tab holds for `id` that storage does not (a pending or a failed save). */
  private local(id: string): PendingSave | undefined {
    return this.pending.get(id) ?? this.unsaved.get(id);
  }

  private async readRaw(id: string): Promise<unknown> {
    const raw = await this.safely('Reading the saved notebook', () => get<unknown>(NOTEBOOK_PREFIX + id, this.store), undefined);
    this.revisions.set(id, revisionOf(raw));
    // A page closed before its last write reached IndexedDB left it in the journal: taken, and saved properly.
    const journaled = takeJournal(id, raw, this.journal);
    if (!journaled) return raw;
    this.save(journaled.notebook, journaled.origin);
    return journaled;
  }

  /** Moves an unreadable record out of the way (kept, not deleted: the learner's work may be recoverable). */
  private async setAsideUnreadable(id: string, raw: unknown): Promise<string> {
    const key = `${ASIDE_PREFIX}${id}:unreadable:${Date.now()}`;
    await this.safely('Setting the unreadable copy aside', async () => {
      await set(key, raw, this.store);
      await del(NOTEBOOK_PREFIX + id, this.store);
    }, undefined);
    this.revisions.set(id, null);
    return key;
  }

  /** Opens a bundled lesson: this tab's unsaved copy, else the learner's saved copy when readable, else the original. */
  async openLesson(original: NotebookModel): Promise<OpenedNotebook> {
    await this.writing;
    const local = this.local(original.id);
    if (local) return { notebook: local.notebook, restored: true, newerVersionAvailable: local.notebook.info.version < original.info.version };
    const raw = await this.readRaw(original.id);
    if (raw !== undefined && !isSavedRecord(raw)) {
      const warning = `The saved copy of "${original.info.title}" could not be read, so the lesson opened as shipped. The unreadable copy was set aside in this browser.`;
      this.warn(warning);
      const asideKey = await this.setAsideUnreadable(original.id, raw);
      return { notebook: structuredClone(original), restored: false, newerVersionAvailable: false, warning, asideKey };
    }
    if (raw === undefined) return { notebook: structuredClone(original), restored: false, newerVersionAvailable: false };
    return { notebook: raw.notebook, restored: true, newerVersionAvailable: raw.notebook.info.version < original.info.version };
  }

  /** Opens a notebook with no bundled original (imported, scratch); says so when its record was unreadable. */
  async openSavedCopy(id: string): Promise<{ notebook?: NotebookModel; warning?: string; asideKey?: string }> {
    await this.writing;
    const local = this.local(id);
    if (local) return { notebook: local.notebook };
    const raw = await this.readRaw(id);
    if (raw === undefined) return {};
    if (isSavedRecord(raw)) return { notebook: raw.notebook };
    const warning = `The saved notebook "${id}" could not be read. The unreadable copy was set aside in this browser.`;
    this.warn(warning);
    return { warning, asideKey: await this.setAsideUnreadable(id, raw) };
  }

  async openSaved(id: string): Promise<NotebookModel | undefined> {
    return (await this.openSavedCopy(id)).notebook;
  }

  /** A copy set aside earlier (an unreadable record), as stored. */
  async readAside(key: string): Promise<unknown> {
    return key.startsWith(ASIDE_PREFIX) ? this.safely('Reading the set-aside copy', () => get<unknown>(key, this.store), undefined) : undefined;
  }

  /** Debounced save of the learner's copy; call on every change. */
  save(notebook: NotebookModel, origin: SavedRecord['origin'] = notebook.id.startsWith('imported-') ? 'imported' : 'lesson'): void {
    this.pending.set(notebook.id, { notebook, origin, seq: ++this.seq });
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.debounceMs);
  }

  /**
   * Writes pending saves now: call when the tab is hidden. Each write starts at once rather than behind earlier
   * ones: IndexedDB runs writes to one store in the order they began.
   */
  flush(): Promise<void> {
    return this.writePending('checked');
  }

  /** As flush, for a page being closed or reloaded: each write commits at once (see idb-writes.ts). */
  flushFinal(): Promise<void> {
    return this.writePending('final');
  }

  private writePending(mode: WriteMode): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    // A closing page also tries once more what failed before (a full IndexedDB): its journal may still take it.
    const retried = mode === 'final' ? [...this.unsaved.values()].filter((u) => !this.pending.has(u.notebook.id)) : [];
    const batch = [...this.pending.values(), ...retried];
    this.pending.clear();
    const written = Promise.all(batch.map((entry) => this.write(entry, mode)));
    this.writing = Promise.all([this.writing, written]).then(() => undefined);
    return this.writing;
  }

  /**
   * Writes one notebook: over the revision this tab knows ('checked'), over anything ('forced', the learner chose),
   * or committed at once without the check ('final', the page is closing). Never throws.
   */
  private async write(entry: PendingSave, mode: WriteMode): Promise<void> {
    const id = entry.notebook.id;
    const revision = newRevision();
    const record: SavedRecord = { format: RECORD_FORMAT, savedAt: Date.now(), origin: entry.origin, notebook: boundForStorage(entry.notebook), revision };
    if (this.conflicts.has(id) && mode !== 'forced') {
      this.unsaved.set(id, entry);
      // Closing in a conflict: the other tab's copy stays; this tab's is kept aside rather than lost with the page.
      if (mode === 'final') await this.safely('Keeping this tab\'s copy', () => this.store('readwrite', (objects) => committedPut(objects, `${ASIDE_PREFIX}${id}:unsaved:${Date.now()}`, record)), undefined);
      return;
    }
    let before: string | null | undefined;
    try {
      if (mode === 'final') {
        before = this.revisions.get(id);
        this.revisions.set(id, revision);
        this.channel?.post({ id, revision }); // now: the page may be gone before the write reports back
        writeJournal(record, this.journal);
        await this.store('readwrite', (objects) => committedPut(objects, NOTEBOOK_PREFIX + id, record));
      } else {
        await this.store('readwrite', (objects) => checkedPut(objects, NOTEBOOK_PREFIX + id, record, (stored) => {
          // Read here, inside the transaction: writes run in order, so this is what the previous write left.
          // undefined: this tab never read the record (a fresh import), so there is nothing to compare with.
          before = this.revisions.get(id);
          if (mode === 'checked' && before !== undefined && revisionOf(stored) !== before) return false;
          this.revisions.set(id, revision);
          return true;
        }));
      }
    } catch (err) {
      if (this.revisions.get(id) === revision) {
        if (before === undefined) this.revisions.delete(id);
        else this.revisions.set(id, before);
      }
      if (!this.pending.has(id)) this.unsaved.set(id, entry);
      if (err instanceof ConflictError) {
        this.conflicts.add(id);
        this.onEvent({ type: 'conflict', id });
        return;
      }
      this.warn(`Saving "${entry.notebook.info.title}" failed: ${err instanceof Error ? err.message : String(err)}`);
      this.onEvent({ type: 'problem', message: describeStorageError(err) });
      return;
    }
    // An unsaved copy older than this write is now in storage; a newer one (queued meanwhile) stays.
    if ((this.unsaved.get(id)?.seq ?? Infinity) <= entry.seq) this.unsaved.delete(id);
    this.conflicts.delete(id);
    this.channel?.post({ id, revision });
    this.onEvent({ type: 'saved', id });
  }

  private onNotice({ id, revision }: SavedNotice): void {
    if (!this.revisions.has(id) || this.revisions.get(id) === revision) return;
    if (this.local(id)) {
      this.conflicts.add(id);
      this.onEvent({ type: 'conflict', id });
    } else {
      this.onEvent({ type: 'changed-elsewhere', id });
    }
  }

  /** Conflict, "keep the other tab's version": forgets this tab's edits to `id`; reopen it afterwards. */
  discardLocal(id: string): void {
    this.pending.delete(id);
    this.unsaved.delete(id);
    this.conflicts.delete(id);
    this.revisions.delete(id);
  }

  /** Conflict, "keep this tab's version": writes it over the other tab's, which is set aside first. */
  async overwrite(id: string): Promise<void> {
    const entry = this.local(id);
    this.pending.delete(id);
    this.unsaved.delete(id);
    await this.writing;
    if (!entry) return;
    await this.safely('Setting the other copy aside', async () => {
      const other = await get<unknown>(NOTEBOOK_PREFIX + id, this.store);
      if (other !== undefined) await set(`${ASIDE_PREFIX}${id}:overwritten:${Date.now()}`, other, this.store);
    }, undefined);
    this.conflicts.delete(id);
    const done = this.write(entry, 'forced');
    this.writing = Promise.all([this.writing, done]).then(() => undefined);
    await done;
  }

  /** Resolves once every write started so far has finished (does not start pending ones: see flush). */
  whenWritten(): Promise<void> {
    return this.writing;
  }

  /** This tab's copy of `id` is gone from storage (reset, removed): forget what was pending and tell other tabs. */
  private forget(id: string): void {
    this.pending.delete(id);
    this.unsaved.delete(id);
    this.conflicts.delete(id);
    this.revisions.set(id, null);
    this.channel?.post({ id, revision: null });
  }

  /** Forgets the learner's copy and progress; returns a fresh copy of the original to show. */
  async resetLesson(original: NotebookModel): Promise<NotebookModel> {
    this.pending.delete(original.id);
    await this.writing;
    await this.safely('Resetting the lesson', async () => {
      await del(NOTEBOOK_PREFIX + original.id, this.store);
      await del(PROGRESS_PREFIX + original.id, this.store);
    }, undefined);
    this.forget(original.id);
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
    this.forget(original.id);
    return structuredClone(original);
  }

  async remove(id: string): Promise<void> {
    this.pending.delete(id);
    await this.writing;
    await this.safely('Removing the notebook', async () => {
      await del(NOTEBOOK_PREFIX + id, this.store);
      await del(PROGRESS_PREFIX + id, this.store);
    }, undefined);
    this.forget(id);
    this.revisions.delete(id);
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
