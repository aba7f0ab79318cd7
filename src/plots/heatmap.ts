// The bundle behind heat maps such as nn.seGates: the values for the page (HeatmapOutput draws them on a canvas),
// and the same panels as one PNG for Jupyter, with each panel's label above it.
import type { HeatmapView, MimeBundle } from '../protocol';
import { heatCellSize, unitPosition, viridis } from '../util/colormap';
import { drawCaptions, type CaptionBox } from './image-grid';
import { encodePng, toBase64 } from './png';

const LABEL_HEIGHT = 16;
const GAP = 6;

function heatmapPng(view: HeatmapView): string {
  const sizes = view.panels.map((p) => heatCellSize(p.rows, p.cols));
  const width = Math.max(120, ...view.panels.map((p, i) => p.cols * sizes[i].w)) + 2 * GAP;
  const height = view.panels.reduce((sum, p, i) => sum + LABEL_HEIGHT + p.rows * sizes[i].h + GAP, GAP);
  const rgb = new Uint8Array(width * height * 3).fill(255);
  const captions: CaptionBox[] = [];
  const [lo, hi] = view.range;
  let top = GAP;
  view.panels.forEach((p, i) => {
    const { w, h } = sizes[i];
    captions.push({ x: GAP, y: top, width: width - 2 * GAP, height: LABEL_HEIGHT, text: p.label, color: [0, 0, 0] });
    top += LABEL_HEIGHT;
    for (let r = 0; r < p.rows; r++) {
      for (let c = 0; c < p.cols; c++) {
        const colour = viridis(unitPosition(p.values[r * p.cols + c], lo, hi, view.scale));
        for (let y = 0; y < h; y++) {
          let at = ((top + r * h + y) * width + GAP + c * w) * 3;
          for (let x = 0; x < w; x++, at += 3) { rgb[at] = colour[0]; rgb[at + 1] = colour[1]; rgb[at + 2] = colour[2]; }
        }
      }
    }
    top += p.rows * h + GAP;
  });
  drawCaptions({ width, height, rgb, captions });
  return toBase64(encodePng(rgb, width, height, 3));
}

export function heatmapBundle(view: HeatmapView, text: string): MimeBundle {
  return { 'application/vnd.convlab.heatmap+json': view, 'image/png': heatmapPng(view), 'text/plain': text };
}
