// Import validation: every way a file can fail to be a notebook ends in one sentence a learner can act on.
// Nothing here throws; callers get { ok: false, error } and change nothing.

import type { IpynbNotebook } from './ipynb-format';

/** Larger files are refused before their text is read: a 50 MB "notebook" is almost surely not one. */
export const MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024;

/**
 * More cells than this are refused: every cell is drawn on the page, and thousands would freeze it for seconds.
 * Lessons have tens of cells; a long course chapter a few hundred.
 */
export const MAX_NOTEBOOK_CELLS = 1_000;

/** Files a learner may pick by mistake, told apart by how their text starts (bytes that are not UTF-8 read as U+FFFD). */
const KNOWN_BINARIES: Array<[string, string]> = [
  ['\uFFFDPNG\r\n\u001a\n', 'a PNG image'],
  ['\uFFFD\uFFFD\uFFFD', 'a JPEG image or other binary data'],
  ['GIF87a', 'a GIF image'],
  ['GIF89a', 'a GIF image'],
  ['%PDF-', 'a PDF document'],
  ['PK\u0003\u0004', 'a ZIP archive (an .xlsx, .docx or .zip file)'],
];

/** A sentence naming what the file is when it is binary rather than text, else null. */
export function describeBinary(text: string): string | null {
  for (const [start, what] of KNOWN_BINARIES) if (text.startsWith(start)) return `This file is ${what}, not a notebook.`;
  const head = text.slice(0, 1024);
  let odd = 0;
  for (const ch of head) if (ch === '\u0000' || ch === '\uFFFD') odd++;
  // JSON text has no NUL bytes and, as UTF-8, decodes cleanly; a few stray characters are tolerated.
  if (head.includes('\u0000') || odd > head.length / 20) return 'This file is binary data, not a notebook (an .ipynb file is JSON text).';
  return null;
}

export type Validated<T> = { ok: true; value: T; warnings: string[] } | { ok: false; error: string };

const CELL_TYPES = ['code', 'markdown', 'raw'];
const OUTPUT_TYPES = ['stream', 'display_data', 'execute_result', 'error'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMultiline(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((line) => typeof line === 'string'));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function checkFileSize(bytes: number, limit = MAX_NOTEBOOK_BYTES): string | null {
  if (bytes <= limit) return null;
  return `This file is ${formatBytes(bytes)}; notebooks up to ${formatBytes(limit)} can be imported.`;
}

export function parseNotebookText(text: string): Validated<IpynbNotebook> {
  const binary = describeBinary(text);
  if (binary) return { ok: false, error: binary };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // V8 quotes the start of the text in its message; keep it short and on one line.
    const reason = err instanceof Error ? err.message.replace(/\s+/g, ' ').trim() : '';
    const detail = reason ? ` (${reason.length > 120 ? `${reason.slice(0, 117)}...` : reason})` : '';
    return { ok: false, error: `This file is not valid JSON${detail}, so it cannot be a notebook.` };
  }
  return validateNotebookJson(json);
}

function validateOutput(output: unknown, where: string, warnings: string[]): string | null {
  if (!isRecord(output)) return `${where} is ${describe(output)}, not an output object.`;
  const type = output.output_type;
  if (typeof type !== 'string') return `${where} has no output_type.`;
  if (!OUTPUT_TYPES.includes(type)) {
    warnings.push(`${where} has unknown output_type "${type}" and was left out.`);
    return null;
  }
  if (type === 'stream' && !isMultiline(output.text)) return `${where} is a stream whose text is not a string or a list of strings.`;
  if ((type === 'display_data' || type === 'execute_result') && !isRecord(output.data)) return `${where} has no data bundle.`;
  if (type === 'error') {
    if (typeof output.ename !== 'string' || typeof output.evalue !== 'string') return `${where} is an error without ename/evalue strings.`;
    if (output.traceback !== undefined && !isMultiline(output.traceback)) return `${where} has a traceback that is not a list of strings.`;
  }
  return null;
}

function validateCell(cell: unknown, index: number, warnings: string[]): string | null {
  const where = `Cell ${index + 1}`;
  if (!isRecord(cell)) return `${where} is ${describe(cell)}, not a cell object.`;
  if (typeof cell.cell_type !== 'string' || !CELL_TYPES.includes(cell.cell_type)) {
    return `${where} has cell_type ${JSON.stringify(cell.cell_type) ?? 'undefined'}; expected "code", "markdown" or "raw".`;
  }
  if (!isMultiline(cell.source)) return `${where}'s source is ${describe(cell.source)}; expected a string or a list of strings.`;
  if (cell.metadata !== undefined && !isRecord(cell.metadata)) return `${where}'s metadata is ${describe(cell.metadata)}, not an object.`;
  if (cell.id !== undefined && typeof cell.id !== 'string') return `${where}'s id is ${describe(cell.id)}, not a string.`;
  if (cell.cell_type !== 'code') return null;
  if (cell.outputs !== undefined) {
    if (!Array.isArray(cell.outputs)) return `${where}'s outputs are ${describe(cell.outputs)}, not a list.`;
    for (let o = 0; o < cell.outputs.length; o++) {
      const problem = validateOutput(cell.outputs[o], `Output ${o + 1} of cell ${index + 1}`, warnings);
      if (problem) return problem;
    }
  }
  const count = cell.execution_count;
  if (count !== undefined && count !== null && !Number.isInteger(count)) return `${where}'s execution_count is not a whole number.`;
  return null;
}

/** Structural checks: enough for ipynb.ts to convert without guessing. Lenient where Jupyter itself is. */
export function validateNotebookJson(json: unknown): Validated<IpynbNotebook> {
  if (!isRecord(json)) return { ok: false, error: `A notebook file holds a JSON object; this one holds ${describe(json)}.` };
  if (json.nbformat === undefined) return { ok: false, error: 'This JSON has no "nbformat" field, so it is not a Jupyter notebook.' };
  if (json.nbformat !== 4) {
    return { ok: false, error: `This notebook uses nbformat ${JSON.stringify(json.nbformat)}; ConvLab opens nbformat 4 notebooks only (re-save it from a current Jupyter).` };
  }
  if (!Array.isArray(json.cells)) return { ok: false, error: 'This notebook has no "cells" list.' };
  if (json.cells.length > MAX_NOTEBOOK_CELLS) {
    return { ok: false, error: `This notebook has ${json.cells.length.toLocaleString('en')} cells; ConvLab opens notebooks of up to ${MAX_NOTEBOOK_CELLS.toLocaleString('en')} cells (split it in Jupyter).` };
  }
  if (json.metadata !== undefined && !isRecord(json.metadata)) return { ok: false, error: 'The notebook\'s metadata is not an object.' };
  const warnings: string[] = [];
  for (let i = 0; i < json.cells.length; i++) {
    const problem = validateCell(json.cells[i], i, warnings);
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, value: json as unknown as IpynbNotebook, warnings };
}
