// The last edits of a page being closed or reloaded, written where a closing page can still write synchronously
// (issue 15, case 18). An IndexedDB write begun at pagehide usually lands, but not always: the page may be gone before
// its request leaves. So the same record also goes to localStorage, at once; the next open takes it when it is newer
// than what IndexedDB holds, and drops it otherwise. Outputs are cut short there (localStorage holds a few MB).
import { isRecord, isSavedRecord, type SavedRecord } from './saved-record';
import { boundForStorage } from './storage-bounds';

const PREFIX = 'convlab:unload-journal:';
/** Per text output, in the journal: sources matter here, outputs can be run again. */
const JOURNAL_TEXT_MAX_CHARS = 16 * 1024;

function storage(given?: Storage | null): Storage | null {
  if (given !== undefined) return given;
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // some browsers throw on access when site data is off
  }
}

/** Writes the record synchronously; a full or missing localStorage only costs this safety net. */
export function writeJournal(record: SavedRecord, given?: Storage | null): void {
  const store = storage(given);
  if (!store) return;
  try {
    store.setItem(PREFIX + record.notebook.id, JSON.stringify({ ...record, notebook: boundForStorage(record.notebook, JOURNAL_TEXT_MAX_CHARS) }));
  } catch {
    // Quota: the IndexedDB write may still land.
  }
}

/**
 * The journal's record for `id` when it is newer than `stored` (what IndexedDB holds), else undefined; either way the
 * journal entry is removed, so it is taken once.
 */
export function takeJournal(id: string, stored: unknown, given?: Storage | null): SavedRecord | undefined {
  const store = storage(given);
  if (!store) return undefined;
  let entry: unknown;
  try {
    const text = store.getItem(PREFIX + id);
    if (text === null) return undefined;
    store.removeItem(PREFIX + id);
    entry = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isSavedRecord(entry) || entry.notebook.id !== id) return undefined;
  const storedAt = isRecord(stored) && typeof stored.savedAt === 'number' ? stored.savedAt : -Infinity;
  return entry.savedAt > storedAt ? entry : undefined;
}
