// Two tabs on one notebook (issue 15, case 19): a tab writes only over the revision it read, so neither overwrites
// the other silently; tabs tell each other of saves, and a tab with nothing unsaved follows the other.
import 'fake-indexeddb/auto';
import { createStore, entries, get } from 'idb-keyval';
import { afterEach, describe, expect, it } from 'vitest';
import { notebookFromIpynb } from '../../src/notebook/ipynb';
import type { NotebookModel } from '../../src/notebook/model';
import { NotebookStore, type StorageEvent } from '../../src/notebook/persistence';
import { tabChannel } from '../../src/notebook/tab-sync';
import { parseNotebookText } from '../../src/notebook/validate';
import { fixtureText } from './fixtures';

function lesson(): NotebookModel {
  const parsed = parseNotebookText(fixtureText('basic.ipynb'));
  if (!parsed.ok) throw new Error(parsed.error);
  return notebookFromIpynb(parsed.value, { id: 'basic', asLesson: true }).notebook;
}

const edit = (nb: NotebookModel, cellId: string, source: string): NotebookModel => ({ ...nb, cells: nb.cells.map((c) => (c.id === cellId ? { ...c, source } : c)) });
const sourceIn = (record: unknown, index: number) => (record as { notebook: NotebookModel }).notebook.cells[index].source;

let n = 0;
const opened: NotebookStore[] = [];

function tabs(withChannel: boolean) {
  const idb = createStore(`tabs-${++n}`, 'notebooks');
  const name = `convlab-test-tabs-${n}`;
  const tab = () => {
    const events: StorageEvent[] = [];
    const store = new NotebookStore({ store: idb, warn: () => {}, onEvent: (e) => events.push(e), channel: withChannel ? tabChannel(name) : null });
    opened.push(store);
    return { store, events };
  };
  return { idb, a: tab(), b: tab() };
}

/** BroadcastChannel delivers on a later turn of the event loop. */
const delivered = () => new Promise((r) => setTimeout(r, 50));

afterEach(() => {
  for (const s of opened.splice(0)) s.dispose();
});

describe('two tabs on one notebook (issue 15, case 19)', () => {
  it('the second writer is refused, keeps its edit in memory, and may overwrite only on request (the other copy set aside)', async () => {
    const { idb, a, b } = tabs(false);
    await a.store.openLesson(lesson());
    await b.store.openLesson(lesson());
    a.store.save(edit(lesson(), 'code-1', 'from A'));
    await a.store.flush();
    b.store.save(edit(lesson(), 'code-2', 'from B'));
    await b.store.flush();
    expect(b.events).toContainEqual({ type: 'conflict', id: 'basic' });
    expect(sourceIn(await get('notebook:basic', idb), 1)).toBe('from A');
    expect((await b.store.openLesson(lesson())).notebook.cells[2].source).toBe('from B');

    await b.store.overwrite('basic');
    const stored = await get('notebook:basic', idb);
    expect(sourceIn(stored, 2)).toBe('from B');
    const aside = (await entries(idb)).filter(([k]) => String(k).startsWith('aside:basic:overwritten:'));
    expect(aside).toHaveLength(1);
    expect(sourceIn(aside[0][1], 1)).toBe('from A');
  });

  it('a tab with nothing unsaved follows the other; a tab with edits is told of the conflict and can take the other version', async () => {
    const { a, b } = tabs(true);
    await a.store.openLesson(lesson());
    await b.store.openLesson(lesson());
    a.store.save(edit(lesson(), 'code-1', 'A1'));
    await a.store.flush();
    await delivered();
    expect(b.events).toEqual([{ type: 'changed-elsewhere', id: 'basic' }]);
    expect((await b.store.openLesson(lesson())).notebook.cells[1].source).toBe('A1');

    b.store.save(edit(lesson(), 'code-2', 'B pending'));
    a.store.save(edit(lesson(), 'code-1', 'A2'));
    await a.store.flush();
    await delivered();
    expect(b.events.at(-1)).toEqual({ type: 'conflict', id: 'basic' });
    await b.store.flush(); // refused while in conflict: nothing is written over A2
    b.store.discardLocal('basic');
    expect((await b.store.openLesson(lesson())).notebook.cells[1].source).toBe('A2');
  });

  it('one tab saving twice in a row is no conflict with itself', async () => {
    const { idb, a } = tabs(false);
    await a.store.openLesson(lesson());
    a.store.save(edit(lesson(), 'code-1', 'one'));
    const first = a.store.flush();
    a.store.save(edit(lesson(), 'code-1', 'two'));
    await Promise.all([first, a.store.flush()]);
    expect(a.events.map((e) => e.type)).toEqual(['saved', 'saved']);
    expect(sourceIn(await get('notebook:basic', idb), 1)).toBe('two');
  });
});
