// The on-disk shapes of an nbformat 4 notebook, as far as ConvLab reads and writes them.
// Strings may be stored whole or as an array of lines: Jupyter writes arrays, hand-made files often strings.

export type MultilineString = string | string[];

export interface IpynbStreamOutput {
  output_type: 'stream';
  name: string;
  text: MultilineString;
}

export interface IpynbDisplayDataOutput {
  output_type: 'display_data';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface IpynbExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface IpynbErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}

export type IpynbOutput = IpynbStreamOutput | IpynbDisplayDataOutput | IpynbExecuteResultOutput | IpynbErrorOutput;

export interface IpynbCodeCell {
  id?: string;
  cell_type: 'code';
  metadata: Record<string, unknown>;
  source: MultilineString;
  outputs: IpynbOutput[];
  execution_count: number | null;
}

export interface IpynbTextCell {
  id?: string;
  cell_type: 'markdown' | 'raw';
  metadata: Record<string, unknown>;
  source: MultilineString;
  attachments?: Record<string, unknown>;
}

export type IpynbCell = IpynbCodeCell | IpynbTextCell;

export interface IpynbNotebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: IpynbCell[];
}

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
