// What of a long text output is kept in the browser's storage. A cell may print megabytes (issue 15, case 13); the
// page holds all of it for this session (Download, Export), but saving it whole would copy those megabytes on every
// keystroke's autosave. Saved copies keep a head and a tail of each long text, with a line saying what was left out.
import type { CellModel, NotebookModel, StoredOutput } from './model';

/** Longest text output saved whole. */
export const STORED_TEXT_MAX_CHARS = 1 << 20;
const TAIL_CHARS = 64 * 1024;

export function boundText(text: string, max = STORED_TEXT_MAX_CHARS): string {
  if (text.length <= max) return text;
  const tail = Math.min(TAIL_CHARS, Math.floor(max / 4));
  const head = max - tail;
  const left = text.length - head - tail;
  return `${text.slice(0, head)}\n[… ${left.toLocaleString('en')} characters of this output were left out when it was saved in the browser …]\n${text.slice(-tail)}`;
}

function boundData(data: Record<string, unknown>, max: number): Record<string, unknown> {
  const plain = data['text/plain'];
  return typeof plain === 'string' && plain.length > max ? { ...data, 'text/plain': boundText(plain, max) } : data;
}

function boundOutput(output: StoredOutput, max: number): StoredOutput {
  if (output.output_type === 'stream') return output.text.length > max ? { ...output, text: boundText(output.text, max) } : output;
  if (output.output_type === 'execute_result' || output.output_type === 'display_data') {
    const data = boundData(output.data, max);
    return data === output.data ? output : { ...output, data };
  }
  return output;
}

function boundCell(cell: CellModel, max: number): CellModel {
  const outputs = cell.outputs.map((o) => boundOutput(o, max));
  return outputs.every((o, i) => o === cell.outputs[i]) ? cell : { ...cell, outputs };
}

/** The notebook as it is saved: the same object when nothing is too long. */
export function boundForStorage(notebook: NotebookModel, max = STORED_TEXT_MAX_CHARS): NotebookModel {
  const cells = notebook.cells.map((c) => boundCell(c, max));
  return cells.every((c, i) => c === notebook.cells[i]) ? notebook : { ...notebook, cells };
}
