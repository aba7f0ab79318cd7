import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { NotebookStore as DocumentStorage } from '../../src/notebook/persistence';
import { documentIdOf, openDocument, SCRATCH_ID } from '../../src/ui/documents/useDocument';
import { notebookFromCells } from '../../src/ui/core/scratch';

let n = 0;
const freshStorage = () => new DocumentStorage({ store: createStore(`open-document-${n++}`, 'notebooks'), warn: () => {}, channel: null });

describe('openDocument', () => {
  it('maps routes to document ids', () => {
    expect(documentIdOf({ page: 'index' })).toBeNull();
    expect(documentIdOf({ page: 'scratch' })).toBe(SCRATCH_ID);
    expect(documentIdOf({ page: 'lesson', lessonId: 'welcome', cell: 3 })).toBe('welcome');
  });

  it('opens a bundled lesson as shipped, then the learner copy once one is saved', async () => {
    const storage = freshStorage();
    const first = await openDocument(storage, 'welcome');
    expect(first.status).toBe('open');
    expect(first.notebook?.cells.length).toBeGreaterThan(3);
    const edited = { ...first.notebook!, cells: first.notebook!.cells.map((c, i) => (i === 2 ? { ...c, source: c.source + '\n// mine' } : c)) };
    storage.save(edited);
    await storage.flush();
    const again = await openDocument(storage, 'welcome');
    expect(again.notebook?.cells[2].source).toContain('// mine');
    expect(again.status === 'open' && again.original?.cells[2].source).not.toContain('// mine');
  });

  it('opens an imported notebook saved earlier, and says when an id is unknown', async () => {
    const storage = freshStorage();
    const imported = notebookFromCells(['1 + 1'], 'Mine', 'imported-abc');
    storage.save(imported, 'imported');
    await storage.flush();
    expect((await openDocument(storage, 'imported-abc')).notebook?.cells[0].source).toBe('1 + 1');
    expect(await openDocument(storage, 'imported-nope')).toEqual({ status: 'missing', id: 'imported-nope' });
  });

  it('gives a fresh scratch notebook until the learner has saved one', async () => {
    const storage = freshStorage();
    const fresh = await openDocument(storage, SCRATCH_ID);
    expect(fresh.notebook?.id).toBe(SCRATCH_ID);
    storage.save(notebookFromCells(['mine'], 'Scratch notebook', SCRATCH_ID));
    await storage.flush();
    expect((await openDocument(storage, SCRATCH_ID)).notebook?.cells[0].source).toBe('mine');
  });
});
