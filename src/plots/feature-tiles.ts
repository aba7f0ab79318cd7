// The bundle behind nn.featureMaps and nn.filters: one grey tile per channel (or kernel). The page draws the tiles'
// grey bytes into canvases (FeatureMapsOutput); the bundle also carries them as one captioned PNG for Jupyter when
// that picture is small enough to be cheap, and a text summary for anything else.
import type { FeatureMapsView, MimeBundle } from '../protocol';
import { drawCaptions, layoutGrid } from './image-grid';
import { encodePng, toBase64 } from './png';

export interface ValueTile {
  label: string;
  /** height × width values, row-major. */
  values: ArrayLike<number>;
  /** The values drawn black and white. */
  min: number;
  max: number;
}

/** Grey bytes for values: min → 0 (black), max → 255; a flat tile (max = min) is all black. */
export function greyBytes(values: ArrayLike<number>, min: number, max: number): Uint8Array {
  const out = new Uint8Array(values.length);
  const span = max - min;
  if (!(span > 0)) return out;
  for (let i = 0; i < values.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, (values[i] - min) / span)) * 255);
  return out;
}

/** Above this many pixels the PNG for Jupyter is left out: encoding it would cost more than the view is worth. */
const MAX_PNG_PIXELS = 1_500_000;

export interface TileBundleOptions {
  kind: FeatureMapsView['kind'];
  title: string;
  width: number;
  height: number;
  perRow: number;
  /** CSS pixels per tile on the page. */
  displaySize: number;
  note?: string;
  /** The text/plain stand-in. */
  text: string;
}

export function tileBundle(tiles: ValueTile[], o: TileBundleOptions): MimeBundle {
  const greys = tiles.map((t) => greyBytes(t.values, t.min, t.max));
  const view: FeatureMapsView = {
    kind: o.kind,
    title: o.title,
    tileWidth: o.width,
    tileHeight: o.height,
    displaySize: o.displaySize,
    perRow: o.perRow,
    tiles: tiles.map((t, i) => ({ label: t.label, grey: toBase64(greys[i]), min: t.min, max: t.max })),
    ...(o.note ? { note: o.note } : {}),
  };
  const bundle: MimeBundle = { 'application/vnd.convlab.feature-maps+json': view, 'text/plain': o.text };
  // Integer upscaling so small maps and 3×3 kernels stay visible in Jupyter, where the page's scaling is absent.
  const scale = Math.max(1, Math.min(8, Math.ceil(28 / Math.max(o.width, o.height))));
  const cellW = Math.max(o.width * scale, 44) + 4;
  const cellH = o.height * scale + 18;
  const rows = Math.ceil(tiles.length / Math.max(1, o.perRow));
  if (tiles.length > 0 && cellW * Math.min(o.perRow, tiles.length) * cellH * rows <= MAX_PNG_PIXELS) {
    const grid = layoutGrid(
      tiles.map((t, i) => ({ pixels: greys[i], caption: t.label })),
      { rows: o.height, cols: o.width, perRow: o.perRow, scale, minCellWidth: 44, captionHeight: 14 },
    );
    drawCaptions(grid);
    bundle['image/png'] = toBase64(encodePng(grid.rgb, grid.width, grid.height, 3));
  }
  return bundle;
}
