// How much of a long text output the page draws. A 10 MB print drawn whole blocked the main thread for ten seconds
// (issue 15, case 13); drawn as a head and a tail it costs what a normal output does. The cell keeps the whole text
// (export, download): only the page's view is cut. Pure functions, so the cut is tested without a browser.

export interface PreviewBudget {
  /** Lines and characters shown from the start (whichever runs out first). */
  headLines: number;
  headChars: number;
  /** Lines and characters shown from the end: a training log's latest lines matter most. */
  tailLines: number;
  tailChars: number;
}

/** What the page draws at first; each "Show more" adds another head's worth. */
export const PREVIEW_BUDGET: PreviewBudget = { headLines: 500, headChars: 25_000, tailLines: 50, tailChars: 5_000 };

export interface TextPreview {
  head: string;
  tail: string;
  hiddenChars: number;
  hiddenLines: number;
  totalChars: number;
  totalLines: number;
}

export function countNewlines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * Newlines in a text that grows by appending (a stream being printed): each call counts only what was added since
 * the last, so a million-line output arriving in pieces is scanned once in all, not once per piece.
 */
export class GrowingNewlineCount {
  private text = '';
  private newlines = 0;

  of(text: string): number {
    if (text.length >= this.text.length && text.startsWith(this.text)) {
      this.newlines += countNewlines(text.slice(this.text.length));
    } else {
      this.newlines = countNewlines(text);
    }
    this.text = text;
    return this.newlines;
  }
}

/** Lines as a reader counts them: a final newline does not start another line. */
export function countLines(text: string): number {
  return linesOf(text, countNewlines(text));
}

function linesOf(text: string, newlines: number): number {
  if (text.length === 0) return 0;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

/** Index just past the `lines`-th newline from `from`, or `from + chars`, whichever comes first. */
function headEnd(text: string, lines: number, chars: number): number {
  const limit = Math.min(text.length, chars);
  let end = 0;
  for (let n = 0; n < lines; n++) {
    const nl = text.indexOf('\n', end);
    if (nl === -1 || nl >= limit) return limit;
    end = nl + 1;
  }
  return end;
}

/** Index where the last `lines` lines (at most `chars` characters) begin. */
function tailStart(text: string, lines: number, chars: number): number {
  const limit = Math.max(0, text.length - chars);
  // A final newline ends the last line rather than starting an empty one.
  let pos = text.endsWith('\n') ? text.length - 1 : text.length;
  for (let n = 0; n < lines; n++) {
    if (pos <= limit) return limit;
    const nl = text.lastIndexOf('\n', pos - 1);
    if (nl < limit) return limit;
    pos = nl;
  }
  return pos + 1;
}

/**
 * The head and tail to draw, or null when the whole text fits the budget. `more` is how many times the learner
 * asked to see more: each adds another head's worth of lines and characters. `newlinesInText` may say how many
 * newlines the whole text holds (see GrowingNewlineCount).
 */
export function previewText(text: string, budget: PreviewBudget = PREVIEW_BUDGET, more = 0, newlinesInText?: () => number): TextPreview | null {
  const headLines = budget.headLines * (more + 1);
  const headChars = budget.headChars * (more + 1);
  const whole = headChars + budget.tailChars;
  // Cheap refusals first: most outputs are short.
  if (text.length <= whole && countLines(text) <= headLines + budget.tailLines) return null;
  const head = headEnd(text, headLines, headChars);
  const tail = Math.max(head, tailStart(text, budget.tailLines, budget.tailChars));
  if (tail <= head) return null;
  // One pass over the whole text (the slow part for megabytes, unless the caller counts as it grows); the hidden
  // middle's count follows from it.
  const newlines = newlinesInText ? newlinesInText() : countNewlines(text);
  const hidden = text.slice(head, tail);
  const headText = text.slice(0, head);
  const tailText = text.slice(tail);
  return {
    head: headText,
    tail: tailText,
    hiddenChars: hidden.length,
    hiddenLines: linesOf(hidden, newlines - countNewlines(headText) - countNewlines(tailText)),
    totalChars: text.length,
    totalLines: linesOf(text, newlines),
  };
}

export function formatSize(chars: number): string {
  if (chars < 1_000) return `${chars} characters`;
  if (chars < 1_000_000) return `${(chars / 1_000).toFixed(1)} thousand characters`;
  return `${(chars / 1_000_000).toFixed(1)} million characters`;
}
