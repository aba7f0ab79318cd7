// The lesson registry (src/lessons/index.ts) against the lesson files themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasLesson, listLessons, loadLesson } from '../../src/lessons';
import { serializeIpynb } from '../../src/notebook/ipynb';
import { parseNotebookText } from '../../src/notebook/validate';
import { nbformatValidator } from './fixtures';

const lessonsDir = join(__dirname, '..', '..', 'src', 'lessons');
const files = readdirSync(lessonsDir).filter((f) => f.endsWith('.ipynb'));

describe('lesson files', () => {
  it('include the welcome lesson', () => {
    expect(files).toContain('welcome.ipynb');
  });

  it.each(files)('%s is nbformat 4.5 with metadata.convlab matching its file name and the index', (file) => {
    const parsed = parseNotebookText(readFileSync(join(lessonsDir, file), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const nb = parsed.value;
    expect(nb.nbformat_minor).toBeGreaterThanOrEqual(5);
    for (const cell of nb.cells) expect(cell.id, `a cell of ${file}`).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(new Set(nb.cells.map((c) => c.id)).size).toBe(nb.cells.length);
    const convlab = nb.metadata.convlab as Record<string, unknown>;
    const id = file.replace(/\.ipynb$/, '');
    expect(convlab).toMatchObject({ id, title: expect.any(String), summary: expect.any(String), minutes: expect.any(Number), version: expect.any(Number), order: expect.any(Number) });
    // The index reads the file itself (at build time): what it lists is the file's entry, less the order.
    const { order: _order, ...entry } = convlab;
    expect(listLessons().find((info) => info.id === id)).toEqual(entry);
  });

  it('every listed lesson has a file, and no two lessons share a place in the course', () => {
    for (const info of listLessons()) expect(hasLesson(info.id), info.id).toBe(true);
    const orders = files.map((file) => (JSON.parse(readFileSync(join(lessonsDir, file), 'utf8')).metadata.convlab as { order: number }).order);
    expect(new Set(orders).size).toBe(files.length);
  });
});

describe('registry', () => {
  it('lists every lesson file once, in the course order their metadata.convlab.order gives', () => {
    const ids = listLessons().map((l) => l.id);
    expect([...ids].sort()).toEqual(files.map((f) => f.replace(/\.ipynb$/, '')).sort());
    expect(ids).toEqual(['welcome', 'fashion-mnist', 'resnet', 'preactivation', 'resnext', 'densenet', 'senet', 'fractalnet', 'kernels']);
  });

  it('loads a lesson lazily with originals set, and its export validates against the schema', async () => {
    const welcome = await loadLesson('welcome');
    expect(welcome.info.title).toBe('Welcome to ConvLab');
    expect(welcome.cells.length).toBeGreaterThan(5);
    expect(welcome.cells.every((c) => c.original === c.source)).toBe(true);
    const validate = nbformatValidator();
    expect(validate(JSON.parse(serializeIpynb(welcome))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the welcome lesson has the DenseNet formula and cell 3 is code', async () => {
    const welcome = await loadLesson('welcome');
    expect(welcome.cells.some((c) => c.source.includes('$$x_\\ell = H_\\ell([x_0, x_1, \\dots, x_{\\ell-1}])$$'))).toBe(true);
    expect(welcome.cells[2].type).toBe('code');
  });

  it('refuses an unknown lesson id', async () => {
    await expect(loadLesson('no-such-lesson')).rejects.toThrow(/no lesson "no-such-lesson"/);
  });
});
