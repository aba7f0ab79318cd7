// What a cell's last run says about its lines, reduced to what still holds for the source in the editor: a hint or
// an error belongs to a line as it was run, so it is shown only while that line reads the same. No Monaco here.
import type { ShapeHint } from '../../protocol';
import type { RunLineNotes } from '../core/run-controller';

export interface ShownHint {
  line: number;
  /** The line's text when it ran: once it reads otherwise, the hint goes. */
  text: string;
  /** What the editor shows after the line, e.g. "→ [2, 14, 14, 32]". */
  label: string;
}

export interface ShownError {
  line: number;
  text: string;
  column?: number;
  message: string;
}

/** A shape as nn.summary prints it: batch first, an unknown (symbolic) batch as N. */
function formatShape(shape: ReadonlyArray<number | null>): string {
  return `[${shape.map((d) => (d === null ? 'N' : String(d))).join(', ')}]`;
}

/** "→ [2, 14, 14, 32]"; a layer with several outputs lists each. */
export function shapeHintLabel(hint: ShapeHint): string {
  return `→ ${hint.shapes.map(formatShape).join(', ')}`;
}

/**
 * The hints and the error line of `notes` that still apply: their line exists and reads as it did when it ran.
 * `lineAt(n)` is the editor's line n (1-based), undefined past the end.
 */
export function applicableNotes(
  notes: RunLineNotes | undefined,
  lineAt: (line: number) => string | undefined,
): { hints: ShownHint[]; error?: ShownError } {
  if (!notes) return { hints: [] };
  const ran = notes.source.split('\n');
  const unchanged = (line: number) => ran[line - 1] !== undefined && lineAt(line) === ran[line - 1];
  const hints = notes.hints
    .filter((h) => unchanged(h.line))
    .map((h) => ({ line: h.line, text: ran[h.line - 1], label: shapeHintLabel(h) }));
  const e = notes.error;
  const error = e && unchanged(e.line) ? { line: e.line, text: ran[e.line - 1], column: e.column, message: e.message } : undefined;
  return error ? { hints, error } : { hints };
}
