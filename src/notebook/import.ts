// A learner's file → a NotebookModel, or one sentence saying why not. Never throws, never runs anything:
// an imported notebook opens with its stored outputs only, and its HTML is sanitised when rendered.

import { notebookFromIpynb } from './ipynb';
import type { NotebookModel } from './model';
import { checkFileSize, MAX_NOTEBOOK_BYTES, parseNotebookText } from './validate';

export type ImportResult = { ok: true; notebook: NotebookModel; warnings: string[] } | { ok: false; error: string };

/** The part of File we use, so tests can pass a Blob with a name. */
export interface NotebookFile {
  name: string;
  size: number;
  text(): Promise<string>;
}

export function importedNotebookId(): string {
  return `imported-${globalThis.crypto.randomUUID()}`;
}

export function importNotebookText(text: string, fileName: string, id = importedNotebookId()): ImportResult {
  const parsed = parseNotebookText(text);
  if (!parsed.ok) return parsed;
  try {
    const { notebook, warnings } = notebookFromIpynb(parsed.value, { id, fileName });
    return { ok: true, notebook, warnings: [...parsed.warnings, ...warnings] };
  } catch (err) {
    // validate.ts should have caught every shape problem; this guards the promise that import never throws.
    return { ok: false, error: `This notebook could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export async function importNotebookFile(file: NotebookFile, limit = MAX_NOTEBOOK_BYTES): Promise<ImportResult> {
  // Size first: reading a huge file's text would freeze the tab before we could refuse it.
  const tooBig = checkFileSize(file.size, limit);
  if (tooBig) return { ok: false, error: tooBig };
  let text: string;
  try {
    text = await file.text();
  } catch (err) {
    return { ok: false, error: `The file "${file.name}" could not be read${err instanceof Error ? ` (${err.message})` : ''}.` };
  }
  return importNotebookText(text, file.name);
}
