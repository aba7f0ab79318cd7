// The shape of what persistence.ts stores, and the checks that stored data has it. Stored data can be anything
// (an older app, a half-written record, a curious learner's devtools), so nothing is trusted until checked here.
import type { CellModel, NotebookModel } from './model';

export const RECORD_FORMAT = 1;

export interface SavedRecord {
  format: typeof RECORD_FORMAT;
  savedAt: number;
  origin: 'lesson' | 'imported';
  notebook: NotebookModel;
  /**
   * A fresh random id per write. A tab remembers the revision it read or wrote last and writes only over that one,
   * so two tabs editing one notebook never overwrite each other silently. Records from before revisions have none.
   */
  revision?: string;
}

export interface LessonProgress {
  /** Ids of cells the learner ran at least once (unique). */
  cellsRun: string[];
  updatedAt: number;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCell(value: unknown): value is CellModel {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    (value.type === 'code' || value.type === 'markdown') &&
    typeof value.source === 'string' &&
    (value.original === undefined || typeof value.original === 'string') &&
    Array.isArray(value.outputs) &&
    value.outputs.every((o) => isRecord(o) && typeof o.output_type === 'string') &&
    (value.executionCount === null || typeof value.executionCount === 'number') &&
    isRecord(value.metadata)
  );
}

export function isSavedRecord(value: unknown): value is SavedRecord {
  if (!isRecord(value) || value.format !== RECORD_FORMAT || typeof value.savedAt !== 'number') return false;
  if (value.origin !== 'lesson' && value.origin !== 'imported') return false;
  if (value.revision !== undefined && typeof value.revision !== 'string') return false;
  const nb = value.notebook;
  if (!isRecord(nb) || typeof nb.id !== 'string' || !Array.isArray(nb.cells) || !isRecord(nb.metadata)) return false;
  const info = nb.info;
  if (!isRecord(info) || typeof info.title !== 'string' || typeof info.version !== 'number') return false;
  return nb.cells.every(isCell);
}

export function isProgress(value: unknown): value is LessonProgress {
  return isRecord(value) && Array.isArray(value.cellsRun) && value.cellsRun.every((id) => typeof id === 'string');
}

/** What a tab compares before writing: null for "no record", a fixed word for records older than revisions. */
export function revisionOf(stored: unknown): string | null {
  if (stored === undefined) return null;
  return isRecord(stored) && typeof stored.revision === 'string' ? stored.revision : 'unrevised';
}

export function newRevision(): string {
  return globalThis.crypto.randomUUID();
}

/** One sentence for the learner about why storage failed; what it costs them is said by the caller. */
export function describeStorageError(err: unknown): string {
  const name = err instanceof Error || (typeof DOMException !== 'undefined' && err instanceof DOMException) ? (err as Error).name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'QuotaExceededError' || /quota/i.test(message)) return "This browser's storage for ConvLab is full.";
  if (['SecurityError', 'InvalidStateError', 'UnknownError', 'ReferenceError', 'NotFoundError', 'NotAllowedError'].includes(name) || typeof indexedDB === 'undefined') {
    return 'This browser does not let ConvLab store data (private browsing, or site data turned off).';
  }
  return `Saving in this browser failed (${message}).`;
}
