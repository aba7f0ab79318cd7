// A still picture of the laid-out graph on a canvas, kept hidden beside the SVG: the notebook's export reads
// canvases (src/ui/outputs/snapshot.ts), so the .ipynb carries the graph as PNG as well as text. Drawn from the same
// layout at scale 1, light colours (Jupyter shows it on white), without the SVG's interactivity.
import { memo, useEffect, useRef } from 'react';
import type { GraphLayout } from './ArchitectureGraphLayout';

const EDGE_COLOURS: Record<string, string> = { sequence: '#64748b', add: '#16a34a', concat: '#2563eb', join: '#9333ea' };
/** Browsers refuse very large canvases; a graph bigger than this is scaled down to fit. */
const MAX_SIDE = 4096;

function draw(canvas: HTMLCanvasElement, layout: GraphLayout): void {
  const k = Math.min(1, MAX_SIDE / Math.max(1, layout.width + 16), MAX_SIDE / Math.max(1, layout.height + 16));
  canvas.width = Math.ceil((layout.width + 16) * k);
  canvas.height = Math.ceil((layout.height + 16) * k);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.scale(k, k);
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, layout.width + 16, layout.height + 16);
  g.translate(8, 8);
  g.font = '11px system-ui, sans-serif';
  g.lineWidth = 1;
  for (const p of layout.nodes.filter((n) => n.visible.children)) {
    g.strokeStyle = '#cbd5e1';
    g.strokeRect(p.x, p.y, p.width, p.height);
    g.fillStyle = '#475569';
    g.fillText(p.visible.node.label, p.x + 6, p.y + 13);
  }
  for (const { edge, points, label } of layout.edges) {
    g.strokeStyle = EDGE_COLOURS[edge.kind] ?? '#64748b';
    g.beginPath();
    points.forEach((pt, i) => (i ? g.lineTo(pt.x, pt.y) : g.moveTo(pt.x, pt.y)));
    g.stroke();
    if (label?.text) {
      g.fillStyle = '#334155';
      g.fillText(label.text, label.x + 3, label.y + 9.5);
    }
  }
  for (const p of layout.nodes.filter((n) => !n.visible.children)) {
    g.fillStyle = '#f8fafc';
    g.fillRect(p.x, p.y, p.width, p.height);
    g.strokeStyle = '#334155';
    g.strokeRect(p.x, p.y, p.width, p.height);
    g.fillStyle = '#0f172a';
    g.textAlign = 'center';
    g.fillText(p.visible.node.label, p.x + p.width / 2, p.y + p.height / 2 + 4, p.width - 4);
    g.textAlign = 'start';
  }
}

export const GraphPicture = memo(function GraphPicture({ layout }: { layout: GraphLayout }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) draw(ref.current, layout);
  }, [layout]);
  return <canvas ref={ref} className="arch-graph-picture" aria-hidden="true" data-testid="graph-picture" />;
});
