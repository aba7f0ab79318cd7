// Plain-text stand-ins for ConvLab's own MIME types: Jupyter and GitHub know nothing of our plots,
// tables or progress bars, so an exported notebook carries a readable text/plain beside each of them.

import type { DownloadView, PlotView, ProgressView, TableView, TensorView } from '../protocol';

function tableText(table: TableView): string {
  const indent = table.indent ?? [];
  const rows = table.rows.map((row, r) => row.map((cell, c) => (c === 0 ? '  '.repeat(indent[r] ?? 0) : '') + String(cell)));
  const widths = table.columns.map((col, c) => Math.max(col.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  const out = [line(table.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (table.caption) out.unshift(table.caption);
  return out.join('\n');
}

function plotText(plot: PlotView): string {
  const last = plot.rows[plot.rows.length - 1];
  const series = plot.series.map((s, i) => {
    const value = last?.[i + 1];
    return value === undefined || value === null ? s.label : `${s.label} ${Number(value.toPrecision(4))}`;
  });
  const at = last ? ` at ${plot.xLabel} ${last[0]}` : '';
  return `Plot: ${plot.title} (${plot.rows.length} points${at}${series.length ? `; ${series.join(', ')}` : ''})`;
}

function progressText(p: ProgressView): string {
  return `${p.label}: ${p.value}/${p.max}${p.detail ? ` · ${p.detail}` : ''}${p.done ? ' (done)' : ''}`;
}

function tensorText(t: TensorView): string {
  return `Tensor ${t.dtype} [${t.shape.join(', ')}]\n${t.values}`;
}

function downloadText(d: DownloadView): string {
  return `${d.label}: ${d.files.map((f) => f.filename).join(', ')}`;
}

/** text/plain for a bundle that lacks one, from the richest ConvLab type present; undefined if none. */
export function plainTextFor(data: Record<string, unknown>): string | undefined {
  const table = data['application/vnd.convlab.table+json'] as TableView | undefined;
  if (table && Array.isArray(table.columns) && Array.isArray(table.rows)) return tableText(table);
  const plot = data['application/vnd.convlab.plot+json'] as PlotView | undefined;
  if (plot && Array.isArray(plot.rows) && Array.isArray(plot.series)) return plotText(plot);
  const progress = data['application/vnd.convlab.progress+json'] as ProgressView | undefined;
  if (progress && typeof progress.label === 'string') return progressText(progress);
  const tensor = data['application/vnd.convlab.tensor+json'] as TensorView | undefined;
  if (tensor && Array.isArray(tensor.shape)) return tensorText(tensor);
  const download = data['application/vnd.convlab.download+json'] as DownloadView | undefined;
  if (download && Array.isArray(download.files)) return downloadText(download);
  return undefined;
}
