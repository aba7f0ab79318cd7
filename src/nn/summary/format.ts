// Renderings of a summary: a fixed-width text table (what print shows) and the table MIME payload.
import type { Shape } from '../core/flow';

/** Structurally the TableView of src/protocol.ts (kept apart so nn's summaries need nothing of the notebook). */
export interface TableView {
  caption?: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  indent?: number[];
  totalRows?: number[];
  heatmap?: boolean;
}

/** The subset of the kernel's MimeBundle a summary fills. */
export interface SummaryMimeBundle {
  'text/plain': string;
  'application/vnd.convlab.table+json': TableView;
}

/** NHWC as tfjs reports it, batch first: [1, 48, 48, 64]. */
export function formatNHWC(shape: Shape): string {
  return `[${shape.map((d) => (d == null ? 'N' : String(d))).join(', ')}]`;
}

/** The same tensor as PyTorch would print it (NCHW): [1, 64, 48, 48]. Rank ≠ 4 is unchanged. */
export function formatNCHW(shape: Shape): string {
  if (shape.length !== 4) return formatNHWC(shape);
  const [n, h, w, c] = shape;
  return formatNHWC([n, c, h, w]);
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function scaled(n: number, base: number, units: string[]): string {
  let i = 0;
  let v = n;
  while (Math.abs(v) >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return i === 0 ? `${Math.round(v)} ${units[0]}`.trim() : `${v.toPrecision(3)} ${units[i]}`;
}

export function formatFlops(n: number): string {
  return n === 0 ? '–' : scaled(n, 1000, ['', 'K', 'M', 'G', 'T']);
}

export function formatBytes(n: number): string {
  return scaled(n, 1024, ['B', 'KiB', 'MiB', 'GiB']);
}

export function textTable(columns: string[], rows: string[][], indent: number[], totalRows: number[], caption?: string): string {
  const cells = rows.map((r, i) => r.map((c, j) => (j === 0 ? '  '.repeat(indent[i] ?? 0) + c : c)));
  const widths = columns.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j].length)));
  // Names left-aligned, everything else (shapes and numbers) right-aligned.
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  const out: string[] = [];
  if (caption) out.push(caption);
  out.push(rule, line(columns), rule);
  cells.forEach((r, i) => {
    if (totalRows.includes(i)) out.push(rule);
    out.push(line(r));
  });
  out.push(rule);
  return out.join('\n');
}
