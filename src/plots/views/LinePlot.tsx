// The page side of src/plots/live-plot.ts: a uPlot chart created once per display and fed new rows
// with setData, so a training curve grows without remounting or flicker. Loss series go on the left
// axis (y), accuracy-like series on the right (y2).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PlotView } from '../../protocol';
import { xSteps } from './ticks';
import { followWidth } from './follow-width';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
const HEIGHT = 260;

/** Columns for uPlot: x first, then one array per series; nulls leave gaps that spanGaps bridges. */
export function plotColumns(view: PlotView): uPlot.AlignedData {
  const columns: Array<Array<number | null>> = Array.from({ length: view.series.length + 1 }, () => []);
  for (const row of view.rows) {
    for (let i = 0; i < columns.length; i++) columns[i].push(row[i] ?? null);
  }
  return columns as uPlot.AlignedData;
}

/** What decides the chart's structure; anything else (new rows) is only data. */
function shapeKey(view: PlotView): string {
  return JSON.stringify([view.title, view.xLabel, view.yLabel, view.y2Label, view.yLog, view.series]);
}

function options(view: PlotView, width: number): uPlot.Options {
  const hasY2 = view.series.some((s) => s.axis === 'y2');
  const axisColor = getComputedStyle(document.documentElement).getPropertyValue('--text-muted').trim() || '#888';
  const grid = { stroke: getComputedStyle(document.documentElement).getPropertyValue('--grid').trim() || '#8883', width: 1 };
  return {
    title: view.title,
    width,
    height: HEIGHT,
    // The right axis holds accuracy-like series: always show all of 0..1 (a range fitted to the first
    // epochs' points clipped later, better ones), widening only if a series leaves it.
    scales: { x: { time: false }, y: view.yLog ? { distr: 3 } : {}, ...(hasY2 ? { y2: { range: (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] } } : {}) },
    series: [
      { label: view.xLabel },
      ...view.series.map((s, i) => ({ label: s.label, scale: s.axis === 'y2' ? 'y2' : 'y', stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true, points: { show: s.points === true } })),
    ],
    axes: [
      // Read from the data at each redraw: rows keep arriving after the chart is made.
      { label: view.xLabel, stroke: axisColor, grid, incrs: (u: uPlot) => xSteps(u.data[0]) },
      { label: view.yLabel, scale: 'y', stroke: axisColor, grid },
      ...(hasY2 ? [{ label: view.y2Label, scale: 'y2', side: 1 as const, stroke: axisColor, grid: { show: false } }] : []),
    ],
  };
}

export function LinePlot({ view }: { view: PlotView }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;
  const key = shapeKey(view);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const plot = new uPlot(options(viewRef.current, host.clientWidth || 600), plotColumns(viewRef.current), host);
    plotRef.current = plot;
    const stopFollowing = followWidth(plot, host, HEIGHT);
    return () => {
      stopFollowing();
      plot.destroy();
      plotRef.current = null;
    };
  }, [key]);

  useEffect(() => {
    plotRef.current?.setData(plotColumns(view));
  }, [view.rows]);

  return <div ref={hostRef} className="output-plot" role="img" aria-label={`Plot: ${view.title}`} data-points={view.rows.length} />;
}
