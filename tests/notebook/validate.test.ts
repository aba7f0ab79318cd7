import { describe, expect, it } from 'vitest';
import { importNotebookFile, importNotebookText } from '../../src/notebook/import';
import { MAX_NOTEBOOK_BYTES, checkFileSize, parseNotebookText, validateNotebookJson } from '../../src/notebook/validate';
import { fixtureText } from './fixtures';

function errorOf(text: string): string {
  const result = parseNotebookText(text);
  if (result.ok) throw new Error('expected a validation error');
  return result.error;
}

const cell = (fields: Record<string, unknown>) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [fields] });

describe('validateNotebookJson', () => {
  it('accepts every valid fixture', () => {
    for (const name of ['basic.ipynb', 'xss.ipynb', 'old-minor.ipynb']) expect(parseNotebookText(fixtureText(name)).ok, name).toBe(true);
  });

  it('says when the text is not JSON', () => {
    expect(errorOf(fixtureText('not-json.ipynb'))).toMatch(/^This file is not valid JSON.*cannot be a notebook\.$/);
    expect(errorOf('')).toMatch(/not valid JSON/);
  });

  it('says when the JSON is not an object', () => {
    expect(errorOf('[1, 2]')).toBe('A notebook file holds a JSON object; this one holds a list.');
    expect(errorOf('"text"')).toBe('A notebook file holds a JSON object; this one holds a string.');
    expect(errorOf('null')).toBe('A notebook file holds a JSON object; this one holds null.');
  });

  it('names the nbformat it cannot open', () => {
    expect(errorOf(fixtureText('wrong-nbformat.ipynb'))).toMatch(/nbformat 3; ConvLab opens nbformat 4 notebooks only/);
    expect(errorOf('{"cells": []}')).toMatch(/no "nbformat" field/);
    expect(errorOf('{"nbformat": "4", "cells": []}')).toMatch(/nbformat "4"/);
  });

  it('requires a cells list', () => {
    expect(errorOf('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}')).toBe('This notebook has no "cells" list.');
    expect(errorOf('{"nbformat": 4, "cells": {}}')).toBe('This notebook has no "cells" list.');
  });

  it('points at the bad cell by its 1-based number', () => {
    expect(errorOf(JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'markdown', source: '' }, 7] }))).toBe('Cell 2 is a number, not a cell object.');
    expect(errorOf(cell({ cell_type: 'heading', source: '' }))).toBe('Cell 1 has cell_type "heading"; expected "code", "markdown" or "raw".');
    expect(errorOf(cell({ source: '' }))).toMatch(/Cell 1 has cell_type undefined/);
    expect(errorOf(cell({ cell_type: 'code', source: 42 }))).toBe("Cell 1's source is a number; expected a string or a list of strings.");
    expect(errorOf(cell({ cell_type: 'code', source: ['a', 1] }))).toMatch(/source is a list/);
    expect(errorOf(cell({ cell_type: 'code', source: '', outputs: {} }))).toBe("Cell 1's outputs are an object, not a list.");
    expect(errorOf(cell({ cell_type: 'code', source: '', metadata: [] }))).toMatch(/metadata is a list/);
    expect(errorOf(cell({ cell_type: 'code', source: '', execution_count: 1.5 }))).toMatch(/execution_count/);
  });

  it('checks outputs and drops unknown output types with a warning', () => {
    expect(errorOf(cell({ cell_type: 'code', source: '', outputs: [{ output_type: 'stream', text: 3 }] }))).toMatch(/^Output 1 of cell 1 is a stream/);
    expect(errorOf(cell({ cell_type: 'code', source: '', outputs: [{ output_type: 'display_data' }] }))).toBe('Output 1 of cell 1 has no data bundle.');
    expect(errorOf(cell({ cell_type: 'code', source: '', outputs: [{ output_type: 'error', ename: 'E' }] }))).toMatch(/ename\/evalue/);
    const result = importNotebookText(cell({ cell_type: 'code', source: '', outputs: [{ output_type: 'future_thing' }] }), 'f.ipynb');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.notebook.cells[0].outputs).toEqual([]);
      expect(result.warnings[0]).toMatch(/unknown output_type "future_thing"/);
    }
  });

  it('never throws, whatever the input', () => {
    const odd: unknown[] = [undefined, 0, true, {}, { nbformat: 4, cells: [null] }, { nbformat: 4, cells: [{ cell_type: 'code', source: '', outputs: [null] }] }];
    for (const value of odd) expect(() => validateNotebookJson(value)).not.toThrow();
  });
});

describe('files that are not notebooks at all (issue 15, case 23)', () => {
  const decoded = (bytes: number[]) => new TextDecoder().decode(new Uint8Array(bytes));

  it('names a PNG, a PDF or a ZIP picked by mistake', () => {
    const png = decoded([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(errorOf(png)).toBe('This file is a PNG image, not a notebook.');
    expect(errorOf('%PDF-1.7\n%...')).toBe('This file is a PDF document, not a notebook.');
    expect(errorOf(decoded([0x50, 0x4b, 3, 4, 20, 0]))).toMatch(/^This file is a ZIP archive/);
  });

  it('calls other binary data binary, and leaves text with the odd stray character alone', () => {
    const random = Array.from({ length: 4096 }, (_, i) => (i * 2654435761) % 251);
    expect(errorOf(decoded(random))).toBe('This file is binary data, not a notebook (an .ipynb file is JSON text).');
    const text = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { note: 'caf\uFFFD, naïve, 日本語' }, cells: [] });
    expect(parseNotebookText(text).ok).toBe(true);
  });

  it('refuses a notebook of thousands of cells before anything is drawn', () => {
    const cells = Array.from({ length: 5_000 }, () => ({ cell_type: 'markdown', metadata: {}, source: 'x' }));
    expect(errorOf(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }))).toBe(
      'This notebook has 5,000 cells; ConvLab opens notebooks of up to 1,000 cells (split it in Jupyter).',
    );
  });

  it('names a cell type nbformat 4 does not have, a number included ("heading": see above)', () => {
    expect(errorOf(cell({ cell_type: 42, source: '', metadata: {} }))).toBe('Cell 1 has cell_type 42; expected "code", "markdown" or "raw".');
  });
});

describe('file size', () => {
  it('refuses files over the limit with both sizes in the message', () => {
    expect(checkFileSize(MAX_NOTEBOOK_BYTES)).toBeNull();
    expect(checkFileSize(50 * 1024 * 1024)).toBe('This file is 50.0 MB; notebooks up to 20.0 MB can be imported.');
  });

  it('checks the size before reading the text', async () => {
    let read = false;
    const big = { name: 'big.ipynb', size: 50 * 1024 * 1024, text: async () => ((read = true), '{}') };
    const result = await importNotebookFile(big);
    expect(result).toEqual({ ok: false, error: 'This file is 50.0 MB; notebooks up to 20.0 MB can be imported.' });
    expect(read).toBe(false);
  });

  it('reports an unreadable file instead of throwing', async () => {
    const broken = { name: 'b.ipynb', size: 10, text: () => Promise.reject(new Error('gone')) };
    expect(await importNotebookFile(broken)).toEqual({ ok: false, error: 'The file "b.ipynb" could not be read (gone).' });
  });

  it('imports a good file under a fresh imported- id without running anything', async () => {
    const text = fixtureText('basic.ipynb');
    const file = new File([text], 'basic.ipynb');
    const result = await importNotebookFile(file);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.notebook.id).toMatch(/^imported-[0-9a-f-]{36}$/);
    expect(result.notebook.cells[1].executionCount).toBe(1);
    expect(result.notebook.cells.every((c) => c.original === undefined)).toBe(true);
  });
});
