// The nn lessons' files are what the lesson format requires (running them is run-lessons.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Cell { id: string; cell_type: string; source: string[] }

const lessonsDir = join(__dirname, '..', '..', 'src', 'lessons');

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
  });
}
