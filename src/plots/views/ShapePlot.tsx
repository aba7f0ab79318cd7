// The page side of nn.shapePlot: channels and H×W per leaf layer along depth (uPlot, log scales), the model's
// blocks shaded and labelled, the hovered layer named with its NHWC and NCHW shapes. One chart per display: new data
// (the cell that defines the model ran again) is set into the same chart, so the plot changes in place.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ShapePlotView } from '../../protocol';
import { drawRegionLabels, drawRegions, nchw, nhwc, shapeColumns, squareLabel } from './ShapePlotDrawing';
import { followWidth } from './follow-width';

const HEIGHT = 260;

/** The page theme (<html data-theme>, else the system's): the chart's colours are read from CSS at creation. */
function currentTheme(): string {
  const chosen = document.documentElement.dataset.theme;
  return chosen || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

function usePageTheme(): string {
  const [theme, setTheme] = useState(currentTheme);
  useEffect(() => {
    const update = () => setTheme(currentTheme());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const query = matchMedia('(prefers-color-scheme: dark)');
    query.addEventListener('change', update);
    return () => {
      observer.disconnect();
      query.removeEventListener('change', update);
    };
  }, []);
  return theme;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function hasCarried(view: ShapePlotView): boolean {
  return view.points.some((p) => p.carried);
}

function options(view: () => ShapePlotView, width: number, withCarried: boolean, onHover: (i: number | null) => void): uPlot.Options {
  const text = cssVar('--text-muted', '#888');
  const grid = { stroke: cssVar('--grid', '#8883'), width: 1 };
  const channels = cssVar('--accent', '#2563eb');
  const spatial = cssVar('--danger', '#dc2626');
  const many = view().points.length > 150;
  // Where a block concatenates (DenseNet), the bold line is what the block carries on and the thin one what each
  // layer outputs (a conv's growth rate): the thin sawtooth under a rising bold line is the dense block.
  const layerOutput = withCarried
    ? { label: 'layer output channels', scale: 'ch', stroke: text, width: 1, points: { show: false } }
    : { label: 'channels', scale: 'ch', stroke: channels, width: 2, points: { show: !many, size: 4 } };
  return {
    width,
    height: HEIGHT,
    scales: {
      x: { time: false },
      ch: { distr: 3, log: 2 },
      // Whole powers of 4 at both ends, so that the ticks are the squares 1², 2², 4², … the axis labels.
      hw: { distr: 3, log: 2, range: (_u, min, max) => [4 ** Math.floor(Math.log(Math.max(1, min ?? 1)) / Math.log(4)), 4 ** Math.ceil(Math.log(Math.max(4, max ?? 4)) / Math.log(4))] },
    },
    legend: { live: false },
    cursor: { points: { size: 7 } },
    series: [
      { label: 'layer' },
      layerOutput,
      ...(withCarried ? [{ label: 'channels carried (after concat)', scale: 'ch', stroke: channels, width: 2, points: { show: !many, size: 4 } }] : []),
      { label: 'H×W', scale: 'hw', stroke: spatial, width: 1.5, points: { show: !many, size: 4 }, spanGaps: false },
    ],
    axes: [
      { label: 'layer (depth)', stroke: text, grid },
      { label: 'channels', scale: 'ch', stroke: text, grid },
      { label: 'H×W', scale: 'hw', side: 1, stroke: text, grid: { show: false }, values: (_u, splits) => splits.map(squareLabel) },
    ],
    hooks: {
      drawClear: [(u) => drawRegions(u, view().regions, channels)],
      draw: [(u) => drawRegionLabels(u, view().regions, text)],
      setCursor: [(u) => onHover(u.cursor.idx ?? null)],
    },
  };
}

export function ShapePlot({ view }: { view: ShapePlotView }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;
  /** The data the chart holds now. */
  const drawnRef = useRef<ShapePlotView | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const theme = usePageTheme();
  const withCarried = hasCarried(view);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const started = performance.now();
    const plot = new uPlot(options(() => viewRef.current, host.clientWidth || 600, withCarried, setHovered), shapeColumns(viewRef.current, withCarried), host);
    performance.measure('convlab:shape-plot-draw', { start: started, end: performance.now() });
    plotRef.current = plot;
    drawnRef.current = viewRef.current;
    const stopFollowing = followWidth(plot, host, HEIGHT);
    return () => {
      stopFollowing();
      plot.destroy();
      plotRef.current = null;
    };
  }, [withCarried, theme]);

  // New data for the same chart: the model's cell ran again.
  useEffect(() => {
    const plot = plotRef.current;
    if (!plot || drawnRef.current === view) return;
    const started = performance.now();
    plot.setData(shapeColumns(view, withCarried));
    drawnRef.current = view;
    performance.measure('convlab:shape-plot-draw', { start: started, end: performance.now() });
  }, [view, withCarried]);

  const points = view.points;
  const p = hovered !== null ? points[hovered] : undefined;
  const channels = points.map((q) => (q.carried ?? q.shape)[(q.carried ?? q.shape).length - 1]);
  const first = points[0]?.shape;
  const last = points[points.length - 1]?.shape;
  return (
    <figure className="shape-plot" role="region" aria-label="Shape plot" data-points={points.length}>
      <figcaption className="shape-plot-caption">
        <span className="shape-plot-title">{view.title}</span>
        <span className="shape-plot-summary">
          {points.length} layers · channels {channels[0]} → {Math.max(...(channels as number[]))} max → {channels[channels.length - 1]}
          {first && last ? ` · output ${nhwc(last)}` : ''}
        </span>
      </figcaption>
      <div ref={hostRef} className="shape-plot-chart" />
      <p className="shape-plot-readout" data-hovered={hovered ?? undefined}>
        {p ? (
          <>
            <b>{p.path}</b> ({p.className}) · NHWC {nhwc(p.shape)} · NCHW {nchw(p.shape)}
            {p.carried ? ` · after concat ${nhwc(p.carried)}` : ''}
            {p.region ? ` · ${p.region}` : ''}
          </>
        ) : (
          'Hover the plot to name a layer and its shapes.'
        )}
      </p>
    </figure>
  );
}
