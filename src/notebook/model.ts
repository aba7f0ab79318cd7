// The notebook document as the app holds it: close to nbformat 4 so conversion stays trivial,
// plus what the app needs to protect a learner's edits (the lesson's original source).
// No React and no tfjs here.

export type CellType = 'code' | 'markdown';

/** Outputs are kept in ipynb's own shapes (nbformat 4 output objects). */
export type StoredOutput =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { output_type: 'display_data'; data: Record<string, unknown>; metadata: Record<string, unknown>; display_id?: string }
  | { output_type: 'execute_result'; execution_count: number | null; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[]; line?: number };

export interface CellModel {
  /** nbformat 4.5 cell id: stable across edits, moves and reloads. */
  id: string;
  type: CellType;
  source: string;
  /** The source as the lesson ships it; undefined for cells the learner added. */
  original?: string;
  outputs: StoredOutput[];
  executionCount: number | null;
  metadata: Record<string, unknown>;
}

export interface LessonInfo {
  /** Route id: #/lesson/<id>. */
  id: string;
  title: string;
  summary: string;
  minutes: number;
  /** Bumped when the bundled lesson changes, so a learner's saved copy can be told a newer one exists. */
  version: number;
}

export interface NotebookModel {
  /** Lesson id, or "imported-<uuid>" for imported notebooks. */
  id: string;
  info: LessonInfo;
  cells: CellModel[];
  /** Notebook-level metadata kept verbatim for export (kernelspec, language_info, …). */
  metadata: Record<string, unknown>;
}

export const KERNELSPEC = { name: 'convlab-typescript', display_name: 'TypeScript (ConvLab)', language: 'typescript' };
export const LANGUAGE_INFO = { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript', version: '5' };

/** nbformat 4.5 cell ids: 1–64 chars of [a-zA-Z0-9-_]. Random so that cells added in two tabs never collide. */
export function newCellId(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const CELL_ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;
