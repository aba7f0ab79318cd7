import 'fake-indexeddb/auto';
import { createStore, get, set } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { notebookFromIpynb } from '../../src/notebook/ipynb';
import type { NotebookModel } from '../../src/notebook/model';
import { NotebookStore, countEdited, isEdited, isSavedRecord, resetCell } from '../../src/notebook/persistence';
import { parseNotebookText } from '../../src/notebook/validate';
import { fixtureText } from './fixtures';

function lesson(version = 1): NotebookModel {
  const parsed = parseNotebookText(fixtureText('basic.ipynb'));
  if (!parsed.ok) throw new Error(parsed.error);
  const nb = notebookFromIpynb(parsed.value, { id: 'basic', asLesson: true }).notebook;
  nb.info.version = version;
  return nb;
}

function edit(nb: NotebookModel, cellId: string, source: string): NotebookModel {
  return { ...nb, cells: nb.cells.map((c) => (c.id === cellId ? { ...c, source } : c)) };
}

let dbCount = 0;
let idb: ReturnType<typeof createStore>;
let warnings: string[];
let store: NotebookStore;

beforeEach(() => {
  // A database per test: no test sees another's saves.
  idb = createStore(`convlab-test-${++dbCount}`, 'notebooks');
  warnings = [];
  store = new NotebookStore({ store: idb, warn: (m) => warnings.push(m) });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('edited marks and resetCell (pure)', () => {
  it('a cell is edited when its source differs from the original', () => {
    const nb = edit(lesson(), 'code-1', 'changed');
    expect(nb.cells.map(isEdited)).toEqual([false, true, false, false, false]);
    expect(countEdited(nb)).toBe(1);
  });

  it('cells the learner added (no original) are never marked edited', () => {
    const nb = lesson();
    nb.cells.push({ id: 'mine', type: 'code', source: 'x', outputs: [], executionCount: null, metadata: {} });
    expect(isEdited(nb.cells[5])).toBe(false);
  });

  it('resetCell restores one cell and leaves the rest alone', () => {
    const nb = edit(edit(lesson(), 'code-1', 'one'), 'code-2', 'two');
    const reset = resetCell(nb, 'code-1');
    expect(reset.cells[1].source).toBe(lesson().cells[1].source);
    expect(reset.cells[2].source).toBe('two');
    expect(nb.cells[1].source).toBe('one'); // input not mutated
  });
});

describe('NotebookStore', () => {
  it('opens the original when nothing is saved', async () => {
    const opened = await store.openLesson(lesson());
    expect(opened).toMatchObject({ restored: false, newerVersionAvailable: false });
    expect(opened.notebook).toEqual(lesson());
  });

  it('saves (debounced) and a new store in the same database reloads the edit with its mark', async () => {
    // Only the debounce timer is faked; fake-indexeddb schedules with setImmediate and must keep running.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    store.save(edit(lesson(), 'code-1', 'edited source'));
    store.save(edit(lesson(), 'code-1', 'edited source, later'));
    expect(await get('notebook:basic', idb)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(500);
    vi.useRealTimers();
    await store.whenWritten();
    expect(await get('notebook:basic', idb)).toMatchObject({ notebook: { cells: expect.arrayContaining([expect.objectContaining({ source: 'edited source, later' })]) } });
    const reloaded = new NotebookStore({ store: idb });
    const opened = await reloaded.openLesson(lesson());
    expect(opened.restored).toBe(true);
    expect(opened.notebook.cells[1].source).toBe('edited source, later');
    expect(isEdited(opened.notebook.cells[1])).toBe(true);
  });

  it('flush() writes at once (pagehide)', async () => {
    store.save(edit(lesson(), 'code-2', 'x'));
    await store.flush();
    const record = await get('notebook:basic', idb);
    expect(isSavedRecord(record)).toBe(true);
  });

  it('opening before the debounce fires sees the pending edit', async () => {
    store.save(edit(lesson(), 'code-2', 'pending'));
    expect((await store.openLesson(lesson())).notebook.cells[2].source).toBe('pending');
  });

  it('resetLesson forgets the copy and progress and returns the original', async () => {
    store.save(edit(lesson(), 'code-1', 'x'));
    await store.flush();
    await store.markRun('basic', 'code-1');
    const fresh = await store.resetLesson(lesson());
    expect(fresh).toEqual(lesson());
    expect((await store.openLesson(lesson())).restored).toBe(false);
    expect((await store.progress(lesson())).cellsRun).toBe(0);
  });

  it('resetLesson cancels a save still waiting for its debounce', async () => {
    store.save(edit(lesson(), 'code-1', 'x'));
    await store.resetLesson(lesson());
    await store.flush();
    expect(await get('notebook:basic', idb)).toBeUndefined();
  });

  it('keeps the learner copy when the bundled lesson is newer, and can take the new one', async () => {
    store.save(edit(lesson(1), 'code-1', 'my work'));
    await store.flush();
    const opened = await store.openLesson(lesson(2));
    expect(opened.newerVersionAvailable).toBe(true);
    expect(opened.notebook.cells[1].source).toBe('my work');
    const taken = await store.takeNewerVersion(lesson(2));
    expect(taken.info.version).toBe(2);
    expect(taken.cells[1].source).toBe(lesson().cells[1].source);
    const after = await store.openLesson(lesson(2));
    expect(after).toMatchObject({ restored: false, newerVersionAvailable: false });
    // The old copy is kept aside, not destroyed.
    expect(await get('backup:basic', idb)).toMatchObject({ notebook: { cells: expect.arrayContaining([expect.objectContaining({ source: 'my work' })]) } });
  });

  it('same version: no notice', async () => {
    store.save(edit(lesson(2), 'code-1', 'x'));
    await store.flush();
    expect((await store.openLesson(lesson(2))).newerVersionAvailable).toBe(false);
  });

  it.each([
    ['a string', 'garbage'],
    ['a wrong format number', { format: 99, savedAt: 1, origin: 'lesson', notebook: {} }],
    ['cells that are not cells', { format: 1, savedAt: 1, origin: 'lesson', notebook: { id: 'basic', info: { title: 't', version: 1 }, metadata: {}, cells: [{ id: 1 }] } }],
    ['no notebook', { format: 1, savedAt: 1, origin: 'lesson' }],
  ])('corrupt stored data (%s) is ignored with a warning and the original opens', async (_label, value) => {
    await set('notebook:basic', value, idb);
    const opened = await store.openLesson(lesson());
    expect(opened.restored).toBe(false);
    expect(opened.notebook).toEqual(lesson());
    expect(opened.warning).toMatch(/could not be read/);
    expect(warnings.length).toBeGreaterThan(0);
    expect(await get('notebook:basic', idb)).toBeUndefined();
    expect(await get('backup:basic', idb)).toEqual(value);
  });

  it('a failing database costs persistence only, never the lesson', async () => {
    const failing = (() => Promise.reject(new Error('QuotaExceededError'))) as unknown as ReturnType<typeof createStore>;
    const broken = new NotebookStore({ store: failing, warn: (m) => warnings.push(m) });
    broken.save(edit(lesson(), 'code-1', 'x'));
    await expect(broken.flush()).resolves.toBeUndefined();
    const opened = await broken.openLesson(lesson());
    expect(opened.notebook).toEqual(lesson());
    expect(await broken.listSaved()).toEqual([]);
    expect(warnings.some((w) => w.includes('QuotaExceededError'))).toBe(true);
  });

  it('lists saved lessons and imported notebooks, skipping unreadable records', async () => {
    store.save(edit(lesson(), 'code-1', 'x'));
    const imported = { ...lesson(), id: 'imported-1234', info: { ...lesson().info, id: 'imported-1234', title: 'Mine' } };
    store.save(imported);
    await set('notebook:broken', { nope: true }, idb);
    const list = await store.listSaved();
    expect(list.map((s) => [s.id, s.origin, s.cellsEdited]).sort()).toEqual([
      ['basic', 'lesson', 1],
      ['imported-1234', 'imported', 0],
    ]);
    expect(await store.openSaved('imported-1234')).toMatchObject({ info: { title: 'Mine' } });
    await store.remove('imported-1234');
    expect(await store.openSaved('imported-1234')).toBeUndefined();
  });

  it('tracks cells run (once each) and cells edited per lesson', async () => {
    await store.markRun('basic', 'code-1');
    await store.markRun('basic', 'code-1');
    await store.markRun('basic', 'code-2');
    store.save(edit(lesson(), 'code-2', 'x'));
    await store.flush();
    expect(await store.progress(lesson())).toEqual({ cellsRun: 2, cellsEdited: 1, codeCells: 3 });
  });

  it('corrupt progress counts as none', async () => {
    await set('progress:basic', 'bad', idb);
    expect(await store.progress(lesson())).toEqual({ cellsRun: 0, cellsEdited: 0, codeCells: 3 });
    await store.markRun('basic', 'code-3');
    expect((await store.progress(lesson())).cellsRun).toBe(1);
  });
});
