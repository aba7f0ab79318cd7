// A closing page's last edits (issue 15, case 18): written to IndexedDB and, synchronously, to a journal in
// localStorage; the next open takes the journal when IndexedDB missed the write, and drops it otherwise.
import 'fake-indexeddb/auto';
import { createStore, get, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { notebookFromIpynb } from '../../src/notebook/ipynb';
import type { NotebookModel } from '../../src/notebook/model';
import { NotebookStore } from '../../src/notebook/persistence';
import { parseNotebookText } from '../../src/notebook/validate';
import { fixtureText } from './fixtures';

function lesson(): NotebookModel {
  const parsed = parseNotebookText(fixtureText('basic.ipynb'));
  if (!parsed.ok) throw new Error(parsed.error);
  return notebookFromIpynb(parsed.value, { id: 'basic', asLesson: true }).notebook;
}

const edit = (nb: NotebookModel, source: string): NotebookModel => ({ ...nb, cells: nb.cells.map((c, i) => (i === 1 ? { ...c, source } : c)) });

/** localStorage as a Map. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  };
}

let n = 0;
const freshDb = () => createStore(`journal-${++n}`, 'notebooks');

describe('the unload journal (issue 15, case 18)', () => {
  it('a closing page whose IndexedDB write never landed: the next open finds the edit and saves it properly', async () => {
    const idb = freshDb();
    const journal = memoryStorage();
    // The closing page's writes go nowhere (the page is gone before they leave).
    const lost: ReturnType<typeof createStore> = () => new Promise(() => {});
    const closing = new NotebookStore({ store: lost, channel: null, journal, warn: () => {} });
    closing.save(edit(lesson(), 'typed just before closing'));
    void closing.flushFinal();
    expect(journal.length).toBe(1);

    const next = new NotebookStore({ store: idb, channel: null, journal, warn: () => {} });
    expect((await next.openLesson(lesson())).notebook.cells[1].source).toBe('typed just before closing');
    expect(journal.length).toBe(0);
    await next.flush();
    expect(await get('notebook:basic', idb)).toMatchObject({ notebook: { cells: expect.arrayContaining([expect.objectContaining({ source: 'typed just before closing' })]) } });
  });

  it('when the write did land, or another tab saved later, the journal is dropped', async () => {
    const idb = freshDb();
    const journal = memoryStorage();
    const closing = new NotebookStore({ store: idb, channel: null, journal, warn: () => {} });
    await closing.openLesson(lesson());
    closing.save(edit(lesson(), 'landed'));
    await closing.flushFinal();
    const next = new NotebookStore({ store: idb, channel: null, journal, warn: () => {} });
    expect((await next.openLesson(lesson())).notebook.cells[1].source).toBe('landed');
    expect(journal.length).toBe(0);

    const stale = new NotebookStore({ store: () => new Promise(() => {}), channel: null, journal, warn: () => {} });
    stale.save(edit(lesson(), 'stale journal'));
    void stale.flushFinal();
    const record = (await get('notebook:basic', idb)) as { savedAt: number };
    await set('notebook:basic', { ...record, savedAt: Date.now() + 60_000 }, idb); // another tab, later
    const after = new NotebookStore({ store: idb, channel: null, journal, warn: () => {} });
    expect((await after.openLesson(lesson())).notebook.cells[1].source).toBe('landed');
    expect(journal.length).toBe(0);
  });
});
