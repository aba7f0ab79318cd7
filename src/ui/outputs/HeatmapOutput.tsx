// Heat maps (nn.seGates: channels × images per SE block) on the page: each panel's values drawn one pixel per cell
// into a canvas and scaled up with hard edges, in viridis, which reads on the light and the dark theme alike.
// Hovering a cell names it and its value.
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { HeatmapView } from '../../protocol';
import { heatCellSize, unitPosition, viridis, viridisGradient } from '../../util/colormap';
import './inspect-views.css';

type Panel = HeatmapView['panels'][number];

function HeatPanel({ panel, view }: { panel: Panel; view: HeatmapView }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<string | null>(null);
  const { w, h } = heatCellSize(panel.rows, panel.cols);
  const [lo, hi] = view.range;

  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(panel.cols, panel.rows);
    for (let i = 0; i < panel.rows * panel.cols; i++) {
      const [r, g, b] = viridis(unitPosition(panel.values[i], lo, hi, view.scale));
      image.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(image, 0, 0);
  }, [panel, lo, hi, view.scale]);

  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const col = Math.floor(((e.clientX - box.left) / box.width) * panel.cols);
    const row = Math.floor(((e.clientY - box.top) / box.height) * panel.rows);
    if (row < 0 || col < 0 || row >= panel.rows || col >= panel.cols) return setHover(null);
    const where = [panel.rows > 1 ? `${view.rowLabel} ${row}` : '', `${view.colLabel} ${col}${panel.colNames?.[col] ? ` (${panel.colNames[col]})` : ''}`].filter(Boolean);
    setHover(`${where.join(', ')}: ${panel.values[row * panel.cols + col].toFixed(view.digits ?? 3)}`);
  };

  return (
    <figure className="heat-panel" data-rows={panel.rows} data-cols={panel.cols}>
      <figcaption className="heat-label">{panel.label}</figcaption>
      <div className="heat-body">
        {/* Set vertically, the arrow turns a quarter clockwise and points down the rows. */}
        {panel.rows > 1 && <span className="heat-axis heat-axis-rows">{view.rowLabel}s →</span>}
        <canvas
          ref={ref}
          className="heat-canvas"
          width={panel.cols}
          height={panel.rows}
          style={{ width: panel.cols * w, height: panel.rows * h }}
          role="img"
          aria-label={`${panel.label}: ${panel.rows} ${view.rowLabel}s × ${panel.cols} ${view.colLabel}s`}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
        />
      </div>
      <span className="heat-axis heat-axis-cols">{view.colLabel}s →</span>
      <output className="heat-readout">{hover ?? '\u00a0'}</output>
    </figure>
  );
}

export function HeatmapOutput({ view }: { view: HeatmapView }) {
  return (
    <section className="output-heatmap" aria-label={view.name} data-panels={view.panels.length}>
      <p className="inspect-title">{view.title}</p>
      <div className="heat-scale">
        <span>{view.range[0]}</span>
        <span className="heat-scale-bar" style={{ background: viridisGradient() }} aria-hidden="true" />
        <span>{view.range[1]}</span>
      </div>
      <div className="heat-panels">
        {view.panels.map((p, i) => <HeatPanel key={i} panel={p} view={view} />)}
      </div>
    </section>
  );
}
