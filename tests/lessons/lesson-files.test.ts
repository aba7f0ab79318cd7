// The nn lessons' files are what the lesson format requires (running them is run-lessons.test.ts), every code cell
// of the course's lessons compiles, and the course reads in order: each lesson ends by linking the next one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCell } from '../../src/runtime/compile';
import * as nn from '../../src/nn/index';
import * as train from '../../src/train/index';
import * as data from '../../src/data/index';

interface Cell { id: string; cell_type: string; source: string[] }
interface Lesson { cells: Cell[]; metadata: { convlab: { id: string; order: number; version: number; title: string; minutes: number } } }

const lessonsDir = join(__dirname, '..', '..', 'src', 'lessons');
const read = (id: string): Lesson => JSON.parse(readFileSync(join(lessonsDir, `${id}.ipynb`), 'utf8'));

for (const id of ['resnet', 'densenet', 'preactivation', 'resnext', 'senet', 'fractalnet']) {
  describe(`lesson ${id}.ipynb`, () => {
    const nb = JSON.parse(readFileSync(join(lessonsDir, `${id}.ipynb`), 'utf8'));

    it('is nbformat 4.5 with ConvLab metadata and unique cell ids', () => {
      expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
      expect(nb.metadata.kernelspec).toEqual({ name: 'convlab-typescript', display_name: 'TypeScript (ConvLab)', language: 'typescript' });
      expect(nb.metadata.language_info.name).toBe('typescript');
      expect(nb.metadata.convlab).toMatchObject({ id });
      // Bumped whenever a shipped lesson changes, so saved copies are offered the new one.
      expect(Number.isInteger(nb.metadata.convlab.version) && nb.metadata.convlab.version >= 1).toBe(true);
      expect(typeof nb.metadata.convlab.title).toBe('string');
      const ids = (nb.cells as Cell[]).map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const cellId of ids) expect(cellId).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    });
  });
}

describe('the lessons that train (ResNet, pre-activation, ResNeXt, DenseNet, SE, FractalNet)', () => {
  const course = ['resnet', 'preactivation', 'resnext', 'densenet', 'senet', 'fractalnet'];

  it.each(course)('%s: every code cell compiles, and it calls only what nn, train and data export', (id) => {
    const code = read(id).cells.filter((c) => c.cell_type === 'code');
    for (const c of code) expect(() => compileCell(c.source.join('')), c.id).not.toThrow();
    const all = code.map((c) => c.source.join('')).join('\n');
    for (const [lib, mod] of [['nn', nn], ['train', train], ['data', data]] as const) {
      for (const m of all.matchAll(new RegExp(`(?<![\\w.])${lib}\\.(\\w+)`, 'g'))) {
        expect((mod as Record<string, unknown>)[m[1]], `${id}: ${lib}.${m[1]}`).toBeDefined();
      }
    }
  });

  it.each(course)('%s: its training cells read QUICK, print what they ran and the time estimated from a measured speed', (id) => {
    const setup = read(id).cells.find((c) => c.cell_type === 'code' && c.source.join('').includes('data.fashionMnist('));
    const source = setup!.source.join('');
    expect(source).toMatch(/QUICK\s*\?/);
    expect(source).toContain("QUICK ? 'QUICK test run' : 'Default run'");
    expect(source).toContain('train.imagesPerSecond(');
    expect(source).toContain('train.readableTime(');
  });

  it.each(course)('%s: keeps no copy of what the libraries provide (the speed measurement, the time format)', (id) => {
    const code = read(id).cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n');
    expect(code).not.toMatch(/function\s+(measureImagesPerSecond|readableTime)\b/);
    expect(code).not.toMatch(/(?<![\w.])(measureImagesPerSecond|readableTime)\(/);
  });
});

describe('course order', () => {
  const lessons = readdirSync(lessonsDir).filter((f) => f.endsWith('.ipynb')).map((f) => read(f.replace(/\.ipynb$/, '')));
  const ordered = [...lessons].sort((a, b) => a.metadata.convlab.order - b.metadata.convlab.order);

  it('puts the lessons in the course order', () => {
    expect(ordered.map((l) => l.metadata.convlab.id)).toEqual([
      'welcome', 'fashion-mnist', 'resnet', 'preactivation', 'resnext', 'densenet', 'senet', 'fractalnet', 'kernels',
    ]);
    for (const l of ordered) expect(l.metadata.convlab.minutes, l.metadata.convlab.id).toBeGreaterThan(0);
  });

  it('each lesson ends with a markdown cell that links the next one', () => {
    ordered.slice(0, -1).forEach((lesson, i) => {
      const last = lesson.cells[lesson.cells.length - 1];
      const next = ordered[i + 1].metadata.convlab.id;
      expect(last.cell_type, lesson.metadata.convlab.id).toBe('markdown');
      expect(last.source.join(''), `${lesson.metadata.convlab.id} → ${next}`).toContain(`](#/lesson/${next})`);
    });
  });
});
