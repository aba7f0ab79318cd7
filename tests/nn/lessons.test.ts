// The nn lessons run top to bottom against the real `nn` (CPU backend), and their metadata is what
// the lesson format requires. The kernel shows each cell's last expression; here cells simply run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { transform } from 'sucrase';
import { beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../src/nn';
import { cpu } from './setup';

beforeAll(cpu);

interface Cell { id: string; cell_type: string; source: string[] }

const lessonsDir = join(__dirname, '..', '..', 'src', 'lessons');
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

for (const id of ['resnet', 'densenet']) {
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

    it('runs every code cell in order without an error', async () => {
      const shown: unknown[] = [];
      const display = (v: unknown) => void shown.push(v);
      const log = console.log;
      console.log = (...a: unknown[]) => void shown.push(a.join(' '));
      try {
        const code = (nb.cells as Cell[]).filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n;\n');
        const js = transform(code, { transforms: ['typescript'] }).code;
        await new AsyncFunction('tf', 'nn', 'display', js)(tf, nn, display);
      } finally {
        console.log = log;
      }
      expect(shown.length).toBeGreaterThan(0);
    });
  });
}
