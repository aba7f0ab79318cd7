// The on-disk shapes of an nbformat 4 notebook, as far as ConvLab reads and writes them, each checked by the
// compiler against @jupyterlab/nbformat's type for it (see ../jupyter.ts). Where ConvLab's type is looser than
// nbformat's, the field is named in `loosens`: the model keeps JSON values (output data, metadata) as unknown, and
// the reader takes any file validate.ts accepts, checking those fields itself as it converts them.
import type * as nbformat from '@jupyterlab/nbformat';
import type { Jupyter } from '../jupyter';

/** Strings may be stored whole or as an array of lines: Jupyter writes arrays, hand-made files often strings. */
export type MultilineString = nbformat.MultilineString;

/** Any stream name: Jupyter's are stdout and stderr, and the reader shows any other as stdout. */
export type IpynbStreamOutput = Jupyter<nbformat.IStream, {
  output_type: 'stream';
  name: string;
  text: MultilineString;
}, { loosens: 'name' }>;

export type IpynbDisplayDataOutput = Jupyter<nbformat.IDisplayData, {
  output_type: 'display_data';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}, { loosens: 'data' | 'metadata' }>;

export type IpynbExecuteResultOutput = Jupyter<nbformat.IExecuteResult, {
  output_type: 'execute_result';
  execution_count: number | null;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}, { loosens: 'data' | 'metadata' }>;

export type IpynbErrorOutput = Jupyter<nbformat.IError, {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}>;

export type IpynbOutput = IpynbStreamOutput | IpynbDisplayDataOutput | IpynbExecuteResultOutput | IpynbErrorOutput;

/** `outputs` is loosened only as a list: each output is checked above. */
export type IpynbCodeCell = Jupyter<nbformat.ICodeCell, {
  id?: string;
  cell_type: 'code';
  metadata: Record<string, unknown>;
  source: MultilineString;
  outputs: IpynbOutput[];
  execution_count: number | null;
}, { loosens: 'metadata' | 'outputs' }>;

export type IpynbTextCell = Jupyter<nbformat.IMarkdownCell | nbformat.IRawCell, {
  id?: string;
  cell_type: 'markdown' | 'raw';
  metadata: Record<string, unknown>;
  source: MultilineString;
  attachments?: Record<string, unknown>;
}, { loosens: 'metadata' | 'attachments' }>;

export type IpynbCell = IpynbCodeCell | IpynbTextCell;

/** `cells` is loosened only as a list: each cell is checked above. */
export type IpynbNotebook = Jupyter<nbformat.INotebookContent, {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: IpynbCell[];
}, { loosens: 'metadata' | 'cells' }>;

/** The version ConvLab writes: 4.5 is the first with cell ids. */
export const NBFORMAT = 4;
export const NBFORMAT_MINOR = 5;

/** Mime types whose payload is JSON rather than (multi-line) text, per nbformat's mimebundle rule. */
export function isJsonMimeType(mime: string): boolean {
  return /^application\/(.*\+)?json$/.test(mime);
}

export function joinMultiline(value: MultilineString): string {
  return Array.isArray(value) ? value.join('') : value;
}

/** Jupyter's convention: every line keeps its "\n" except the last; "" becomes []. join(split(s)) === s. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  const out = lines.slice(0, -1).map((line) => `${line}\n`);
  const last = lines[lines.length - 1];
  if (last !== '') out.push(last);
  return out;
}
