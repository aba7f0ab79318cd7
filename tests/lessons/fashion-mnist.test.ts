// The Fashion-MNIST lesson: valid nbformat as the app reads it, every code cell compiles in the kernel's
// compiler, and every train/data function it calls exists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotebookText } from '../../src/notebook/validate';
import { compileCell } from '../../src/runtime/compile';
import * as train from '../../src/train/index';
import * as data from '../../src/data/index';

const text = readFileSync(join(__dirname, '..', '..', 'src', 'lessons', 'fashion-mnist.ipynb'), 'utf8');
const nb = JSON.parse(text) as { metadata: { convlab: Record<string, unknown>; kernelspec: { name: string } }; cells: Array<{ id: string; cell_type: string; source: string[] }> };

describe('fashion-mnist lesson', () => {
  it('is a valid notebook with the ConvLab metadata', () => {
    const parsed = parseNotebookText(text);
    expect(parsed.ok ? 'ok' : parsed.error).toBe('ok');
    expect(nb.metadata.kernelspec.name).toBe('convlab-typescript');
    expect(nb.metadata.convlab).toMatchObject({ id: 'fashion-mnist', version: 4 });
    expect(new Set(nb.cells.map((c) => c.id)).size).toBe(nb.cells.length);
  });

  it('every code cell compiles', () => {
    for (const c of nb.cells.filter((c) => c.cell_type === 'code')) {
      expect(() => compileCell(c.source.join('')), c.id).not.toThrow();
    }
  });

  it('calls only functions the libraries export', () => {
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n');
    for (const [lib, mod] of [['train', train], ['data', data]] as const) {
      for (const m of code.matchAll(new RegExp(`\\b${lib}\\.(\\w+)`, 'g'))) {
        expect(typeof (mod as Record<string, unknown>)[m[1]], `${lib}.${m[1]}`).toBe('function');
      }
    }
  });
});
