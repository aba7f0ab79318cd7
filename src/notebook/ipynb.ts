// ipynb (nbformat 4) ↔ NotebookModel. Import takes any nbformat 4 file validate.ts accepts;
// export always writes valid nbformat 4.5 that Jupyter opens (ids on every cell, text beside our own MIME types).

import {
  CELL_ID_PATTERN,
  KERNELSPEC,
  LANGUAGE_INFO,
  newCellId,
  type CellModel,
  type LessonInfo,
  type NotebookModel,
  type StoredOutput,
} from './model';
import {
  NBFORMAT,
  NBFORMAT_MINOR,
  isJsonMimeType,
  joinMultiline,
  splitLines,
  type IpynbCell,
  type IpynbNotebook,
  type IpynbOutput,
  type MultilineString,
} from './ipynb-format';
import { plainTextFor } from './plain-text';

/** The model has no raw cells; they travel as markdown cells carrying this flag and are written back as raw. */
export const RAW_CELL_FLAG = 'convlab_raw';
/**
 * Output metadata listing the MIME types export added for Jupyter's sake (text/plain, image/png);
 * import drops them again so ConvLab → file → ConvLab gives back the very same outputs.
 */
export const GENERATED_MIME_KEY = 'convlab_generated';

export interface FromIpynbOptions {
  /** Lesson id, or "imported-<uuid>". */
  id: string;
  /** Lessons remember each cell's shipped source so edits can be marked and reset. */
  asLesson?: boolean;
  /** Used for the title when the file carries no metadata.convlab and no heading. */
  fileName?: string;
}

export interface FromIpynbResult {
  notebook: NotebookModel;
  warnings: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBundle(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(data)) {
    out[mime] = !isJsonMimeType(mime) && (typeof value === 'string' || Array.isArray(value)) ? joinMultiline(value as MultilineString) : value;
  }
  return out;
}

function readRich(output: { data: Record<string, unknown>; metadata: unknown }) {
  const { [GENERATED_MIME_KEY]: generated, ...metadata } = isRecord(output.metadata) ? output.metadata : {};
  const data = readBundle(output.data);
  if (Array.isArray(generated)) for (const mime of generated) if (typeof mime === 'string') delete data[mime];
  return { data, metadata };
}

function readOutput(output: IpynbOutput): StoredOutput | null {
  switch (output.output_type) {
    case 'stream':
      return { output_type: 'stream', name: output.name === 'stderr' ? 'stderr' : 'stdout', text: joinMultiline(output.text) };
    case 'display_data':
      return { output_type: 'display_data', ...readRich(output) };
    case 'execute_result':
      return {
        output_type: 'execute_result',
        execution_count: Number.isInteger(output.execution_count) ? output.execution_count : null,
        ...readRich(output),
      };
    case 'error': {
      const traceback = (output.traceback as unknown) === undefined ? [] : output.traceback;
      return { output_type: 'error', ename: output.ename, evalue: output.evalue, traceback: Array.isArray(traceback) ? traceback : [traceback] };
    }
    default:
      return null;
  }
}

/**
 * The lesson info a file's metadata.convlab gives, whatever the file holds there (the one reader of it: documents
 * and the lesson index both use it). `fallbackTitle` when it names no title.
 */
export function lessonInfoFrom(id: string, convlabMetadata: unknown, fallbackTitle: string): LessonInfo {
  const convlab = isRecord(convlabMetadata) ? convlabMetadata : {};
  return {
    id,
    title: typeof convlab.title === 'string' && convlab.title ? convlab.title : fallbackTitle,
    summary: typeof convlab.summary === 'string' ? convlab.summary : '',
    minutes: typeof convlab.minutes === 'number' && convlab.minutes >= 0 ? convlab.minutes : 0,
    version: typeof convlab.version === 'number' ? convlab.version : 0,
  };
}

function readInfo(metadata: Record<string, unknown>, cells: CellModel[], options: FromIpynbOptions): LessonInfo {
  const heading = cells.find((c) => c.type === 'markdown')?.source.match(/^#{1,6}\s+(.+)$/m)?.[1]?.trim();
  const fallbackTitle = typeof metadata.title === 'string' ? metadata.title : heading ?? options.fileName?.replace(/\.ipynb$/i, '') ?? 'Untitled notebook';
  return lessonInfoFrom(options.id, metadata.convlab, fallbackTitle);
}

/** Converts a validated ipynb (see validate.ts) into the app's model. */
export function notebookFromIpynb(nb: IpynbNotebook, options: FromIpynbOptions): FromIpynbResult {
  const warnings: string[] = [];
  const seen = new Set<string>();
  const cells: CellModel[] = nb.cells.map((cell: IpynbCell, index) => {
    let id = typeof cell.id === 'string' && CELL_ID_PATTERN.test(cell.id) && !seen.has(cell.id) ? cell.id : '';
    if (!id) {
      // Files older than 4.5 have no ids; duplicates would make edits land on the wrong cell.
      if (typeof cell.id === 'string') warnings.push(`Cell ${index + 1} had an invalid or repeated id "${cell.id}"; it was given a new one.`);
      do id = newCellId(); while (seen.has(id));
    }
    seen.add(id);
    const source = joinMultiline(cell.source);
    const metadata: Record<string, unknown> = isRecord(cell.metadata) ? { ...cell.metadata } : {};
    if (cell.cell_type === 'raw') metadata[RAW_CELL_FLAG] = true;
    const outputs =
      cell.cell_type === 'code' && Array.isArray(cell.outputs)
        ? cell.outputs.map(readOutput).filter((o): o is StoredOutput => o !== null)
        : [];
    const executionCount = cell.cell_type === 'code' && Number.isInteger(cell.execution_count) ? cell.execution_count : null;
    const model: CellModel = {
      id,
      type: cell.cell_type === 'code' ? 'code' : 'markdown',
      source,
      outputs,
      executionCount,
      metadata,
    };
    if (options.asLesson) model.original = source;
    return model;
  });
  const metadata = isRecord(nb.metadata) ? { ...nb.metadata } : {};
  const info = readInfo(metadata, cells, options);
  return { notebook: { id: options.id, info, cells, metadata }, warnings };
}

export interface ToIpynbOptions {
  /**
   * A PNG (base64, no data: prefix) of a rich output the page drew itself (a plot), so the exported
   * notebook shows a picture in Jupyter too. Called per display/execute_result output.
   */
  imageFor?: (cellId: string, outputIndex: number) => string | undefined;
}

function writeRich(data: Record<string, unknown>, metadata: Record<string, unknown>, png: string | undefined) {
  const out: Record<string, unknown> = {};
  const generated: string[] = [];
  for (const [mime, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (isJsonMimeType(mime)) out[mime] = value;
    // Images stay one base64 string as Jupyter writes them; other text is split into lines.
    else if (typeof value === 'string') out[mime] = mime.startsWith('image/') ? value : splitLines(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[mime] = value;
    else out[mime] = splitLines(String(value));
  }
  if (out['text/plain'] === undefined) {
    const text = plainTextFor(data);
    if (text !== undefined) {
      out['text/plain'] = splitLines(text);
      generated.push('text/plain');
    }
  }
  if (png && out['image/png'] === undefined) {
    out['image/png'] = png;
    generated.push('image/png');
  }
  return { data: out, metadata: generated.length ? { ...metadata, [GENERATED_MIME_KEY]: generated } : { ...metadata } };
}

function writeOutput(output: StoredOutput, cellId: string, index: number, options: ToIpynbOptions): IpynbOutput {
  switch (output.output_type) {
    case 'stream':
      return { output_type: 'stream', name: output.name, text: splitLines(output.text) };
    case 'display_data':
      // display_id is transient (live updates only); nbformat does not allow it on disk.
      return { output_type: 'display_data', ...writeRich(output.data, output.metadata, options.imageFor?.(cellId, index)) };
    case 'execute_result':
      return {
        output_type: 'execute_result',
        execution_count: output.execution_count,
        ...writeRich(output.data, output.metadata, options.imageFor?.(cellId, index)),
      };
    case 'error':
      return { output_type: 'error', ename: output.ename, evalue: output.evalue, traceback: [...output.traceback] };
  }
}

function writeCell(cell: CellModel, used: Set<string>, options: ToIpynbOptions): IpynbCell {
  let id = CELL_ID_PATTERN.test(cell.id) && !used.has(cell.id) ? cell.id : '';
  if (!id) do id = newCellId(); while (used.has(id));
  used.add(id);
  const { [RAW_CELL_FLAG]: raw, ...metadata } = cell.metadata;
  const source = splitLines(cell.source);
  if (cell.type === 'markdown') return { id, cell_type: raw === true ? 'raw' : 'markdown', metadata, source };
  return {
    id,
    cell_type: 'code',
    metadata,
    source,
    outputs: cell.outputs.map((o, i) => writeOutput(o, cell.id, i, options)),
    execution_count: Number.isInteger(cell.executionCount) && (cell.executionCount as number) >= 0 ? cell.executionCount : null,
  };
}

export function notebookToIpynb(model: NotebookModel, options: ToIpynbOptions = {}): IpynbNotebook {
  const used = new Set<string>();
  const { orig_nbformat: _dropped, ...metadata } = model.metadata;
  // ConvLab's keys the model does not hold (a lesson's course `order`) travel on; the info's own keys win.
  const convlab = isRecord(metadata.convlab) ? metadata.convlab : {};
  return {
    nbformat: NBFORMAT,
    nbformat_minor: NBFORMAT_MINOR,
    metadata: {
      ...metadata,
      kernelspec: { ...KERNELSPEC },
      language_info: { ...LANGUAGE_INFO },
      convlab: { ...convlab, ...model.info },
    },
    cells: model.cells.map((cell) => writeCell(cell, used, options)),
  };
}

/** The file text, formatted as Jupyter formats it (one-space indent, trailing newline) so diffs stay small. */
export function serializeIpynb(model: NotebookModel, options: ToIpynbOptions = {}): string {
  return `${JSON.stringify(notebookToIpynb(model, options), null, 1)}\n`;
}

export function exportFileName(model: NotebookModel): string {
  const base = model.info.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || model.id;
  return `${base}.ipynb`;
}
