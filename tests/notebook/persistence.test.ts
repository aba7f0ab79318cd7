import 'fake-indexeddb/auto';
import { createStore, get, set } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { notebookFromIpynb } from '../../src/notebook/ipynb';
import type { NotebookModel } from '../../src/notebook/model';
import { NotebookStore, countEdited, isEdited, isSavedRecord, resetCell, type StorageEvent } from '../../src/notebook/persistence';
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
  store = new NotebookStore({ store: idb, warn: (m) => warnings.push(m), channel: null });
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
    const reloaded = new NotebookStore({ store: idb, channel: null });
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
    // Set aside under its own key, never over an earlier backup.
    expect(opened.asideKey).toMatch(/^aside:basic:unreadable:\d+$/);
    expect(await get(opened.asideKey!, idb)).toEqual(value);
    expect(await store.readAside(opened.asideKey!)).toEqual(value);
  });

  it('a failing database costs persistence only: the lesson opens, the edit stays in this tab, the page is told', async () => {
    const failing = (() => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))) as unknown as ReturnType<typeof createStore>;
    const events: StorageEvent[] = [];
    const broken = new NotebookStore({ store: failing, warn: (m) => warnings.push(m), onEvent: (e) => events.push(e), channel: null });
    broken.save(edit(lesson(), 'code-1', 'x'));
    await expect(broken.flush()).resolves.toBeUndefined();
    expect(events).toContainEqual({ type: 'problem', message: "This browser's storage for ConvLab is full." });
    // Kept in memory: opening the lesson again in this tab shows the edit.
    expect((await broken.openLesson(lesson())).notebook.cells[1].source).toBe('x');
    expect(await broken.listSaved()).toEqual([]);
    expect(warnings.some((w) => w.includes('quota'))).toBe(true);
  });

  it('IndexedDB missing altogether (open throws): the lesson opens and the learner is told', async () => {
    const unavailable = (() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    }) as unknown as ReturnType<typeof createStore>;
    const events: StorageEvent[] = [];
    const broken = new NotebookStore({ store: unavailable, warn: () => {}, onEvent: (e) => events.push(e), channel: null });
    expect((await broken.openLesson(lesson())).notebook).toEqual(lesson());
    expect(events[0]).toEqual({ type: 'problem', message: expect.stringMatching(/does not let ConvLab store data/) });
    broken.save(edit(lesson(), 'code-2', 'kept'));
    await broken.flush();
    expect((await broken.openLesson(lesson())).notebook.cells[2].source).toBe('kept');
  });

  it('a save that fails, then succeeds, clears the problem and stores the latest edit', async () => {
    let full = true;
    const flaky: ReturnType<typeof createStore> = (mode, callback) => (full && mode === 'readwrite' ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : idb(mode, callback));
    const events: StorageEvent[] = [];
    const s = new NotebookStore({ store: flaky, warn: () => {}, onEvent: (e) => events.push(e), channel: null });
    await s.openLesson(lesson());
    s.save(edit(lesson(), 'code-1', 'first'));
    await s.flush();
    full = false;
    s.save(edit(lesson(), 'code-1', 'second'));
    await s.flush();
    expect(events.map((e) => e.type)).toEqual(['problem', 'saved']);
    expect(await get('notebook:basic', idb)).toMatchObject({ notebook: { cells: expect.arrayContaining([expect.objectContaining({ source: 'second' })]) } });
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

describe('long outputs in saved copies (issue 15, case 13)', () => {
  it('a saved copy keeps a head and a tail of a megabytes-long output, saying what was left out; short ones whole', async () => {
    const nb = lesson();
    const long = 'a'.repeat(3 << 20) + 'THE END';
    nb.cells[1] = { ...nb.cells[1], outputs: [{ output_type: 'stream', name: 'stdout', text: long }, { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': 'short' }, metadata: {} }] };
    store.save(nb);
    await store.flush();
    const saved = (await get('notebook:basic', idb)) as { notebook: NotebookModel };
    const [stream, result] = saved.notebook.cells[1].outputs;
    expect(stream.output_type === 'stream' && stream.text.length).toBeLessThan(1.1 * (1 << 20));
    expect(stream.output_type === 'stream' && stream.text).toMatch(/^a+\n\[… 2,097,159 characters of this output were left out when it was saved in the browser …\]\na+THE END$/);
    expect(result).toEqual(nb.cells[1].outputs[1]);
  });
});
