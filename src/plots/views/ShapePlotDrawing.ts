// What the shape plot draws besides its series: the model's regions as shaded bands behind the lines, labelled
// where the label fits; and the columns and shape texts the chart and its readout show.
import type uPlot from 'uplot';
import type { ShapePlotView } from '../../protocol';

type Shape = ReadonlyArray<number | null>;
type Region = ShapePlotView['regions'][number];

export function nhwc(shape: Shape): string {
  return `[${shape.map((d) => (d == null ? 'N' : d)).join(', ')}]`;
}

/** The same tensor as PyTorch prints it. */
export function nchw(shape: Shape): string {
  return shape.length === 4 ? nhwc([shape[0], shape[3], shape[1], shape[2]]) : nhwc(shape);
}

function channelsOf(shape: Shape): number | null {
  return shape[shape.length - 1] ?? null;
}

function areaOf(shape: Shape): number | null {
  return shape.length === 4 && shape[1] != null && shape[2] != null ? (shape[1] as number) * (shape[2] as number) : null;
}

/** x (layer index), channels, [channels after concat,] H×W: what uPlot draws. */
export function shapeColumns(view: ShapePlotView, withCarried: boolean): uPlot.AlignedData {
  const x = view.points.map((_, i) => i);
  const channels = view.points.map((p) => channelsOf(p.shape));
  const carried = view.points.map((p) => channelsOf(p.carried ?? p.shape));
  const area = view.points.map((p) => areaOf(p.shape));
  return (withCarried ? [x, channels, carried, area] : [x, channels, area]) as uPlot.AlignedData;
}

/** A tick of the H×W axis: "16²" at whole powers of 4 (square maps of 2ᵏ × 2ᵏ), nothing between them. */
export function squareLabel(v: number): string {
  const k = Math.log(v) / Math.log(4);
  return v >= 1 && Math.abs(k - Math.round(k)) < 1e-6 ? `${2 ** Math.round(k)}²` : '';
}

function span(u: uPlot, r: Region): [number, number] {
  const left = u.bbox.left, right = u.bbox.left + u.bbox.width;
  const x0 = Math.max(left, u.valToPos(r.start - 0.5, 'x', true));
  const x1 = Math.min(right, u.valToPos(r.end + 0.5, 'x', true));
  return [x0, x1];
}

/** Blocks shaded in turn with two strengths of `color`; the stem and head stay clear. */
export function drawRegions(u: uPlot, regions: Region[], color: string): void {
  const ctx = u.ctx;
  ctx.save();
  ctx.fillStyle = color;
  let n = 0;
  for (const r of regions) {
    if (r.kind !== 'block') continue;
    const [x0, x1] = span(u, r);
    ctx.globalAlpha = n++ % 2 ? 0.07 : 0.14;
    if (x1 > x0) ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
  }
  ctx.restore();
}

/** "dense block 1" where it fits, "d1" where only that fits, nothing in a band too narrow for either. */
export function drawRegionLabels(u: uPlot, regions: Region[], color: string): void {
  const ctx = u.ctx;
  const px = devicePixelRatio || 1;
  ctx.save();
  ctx.fillStyle = color;
  ctx.font = `${Math.round(11 * px)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const r of regions) {
    const [x0, x1] = span(u, r);
    const short = r.label.split(' ').map((w) => (/^\d+$/.test(w) ? w : w[0])).join('');
    const text = [r.label, short].find((t) => ctx.measureText(t).width + 4 * px <= x1 - x0);
    if (text) ctx.fillText(text, x0 + 2 * px, u.bbox.top + 2 * px);
  }
  ctx.restore();
}
