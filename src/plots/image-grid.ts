// A grid of small grey images with a caption under each (sample images, predictions).
// The page shows it from an image-grid view (one small PNG per image, captions as text in the theme's colours);
// the bundle also carries the whole grid as one PNG for Jupyter. That picture's layout is a pure function (tested
// in Node); its captions are drawn with OffscreenCanvas where it exists (the worker): Node has no font rasteriser.
import type { ImageGridView, MimeBundle } from '../protocol';
import { encodePng, toBase64 } from './png';

export interface GridTile {
  /** rows × cols grey bytes (0 = black). */
  pixels: Uint8Array;
  caption: string;
  /** Caption colour in the PNG, e.g. green for a right prediction and red for a wrong one. */
  color?: [number, number, number];
  /** The same verdict for the page, which picks colours that read on its light or dark theme. */
  tone?: 'right' | 'wrong';
}

export interface GridOptions {
  rows: number;
  cols: number;
  /** Images per grid row. */
  perRow?: number;
  /** Integer upscaling so 28 px images stay readable. */
  scale?: number;
  captionHeight?: number;
  gap?: number;
  /** Room for captions wider than the image. */
  minCellWidth?: number;
}

export interface CaptionBox { x: number; y: number; width: number; height: number; text: string; color: [number, number, number] }

export interface GridPixels {
  width: number;
  height: number;
  /** RGB, row-major. */
  rgb: Uint8Array;
  captions: CaptionBox[];
}

const BACKGROUND = 255;

export function layoutGrid(tiles: GridTile[], opts: GridOptions): GridPixels {
  const scale = opts.scale ?? 2;
  const gap = opts.gap ?? 4;
  const captionHeight = opts.captionHeight ?? 14;
  const perRow = Math.max(1, Math.min(opts.perRow ?? 8, tiles.length));
  const gridRows = Math.ceil(tiles.length / perRow);
  const tileW = opts.cols * scale, tileH = opts.rows * scale;
  const cellW = Math.max(tileW, opts.minCellWidth ?? 60) + gap, cellH = tileH + captionHeight + gap;
  const width = perRow * cellW + gap, height = gridRows * cellH + gap;
  const rgb = new Uint8Array(width * height * 3).fill(BACKGROUND);
  const captions: CaptionBox[] = [];
  tiles.forEach((tile, t) => {
    if (tile.pixels.length !== opts.rows * opts.cols) throw new Error(`tile ${t}: expected ${opts.rows * opts.cols} pixels, got ${tile.pixels.length}`);
    const cx = gap + (t % perRow) * cellW, cy = gap + Math.floor(t / perRow) * cellH;
    const ox = cx + Math.floor((cellW - gap - tileW) / 2);
    for (let y = 0; y < tileH; y++) {
      const src = Math.floor(y / scale) * opts.cols;
      const rowStart = ((cy + y) * width + ox) * 3;
      for (let x = 0; x < tileW; x++) {
        const v = tile.pixels[src + Math.floor(x / scale)];
        const at = rowStart + x * 3;
        rgb[at] = v; rgb[at + 1] = v; rgb[at + 2] = v;
      }
    }
    captions.push({ x: cx, y: cy + tileH, width: cellW - gap, height: captionHeight, text: tile.caption, color: tile.color ?? [0, 0, 0] });
  });
  return { width, height, rgb, captions };
}

/** Draws the captions into the RGB buffer; false where no OffscreenCanvas exists (Node). */
export function drawCaptions(grid: GridPixels): boolean {
  if (typeof OffscreenCanvas === 'undefined') return false;
  const canvas = new OffscreenCanvas(grid.width, grid.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) return false;
  const rgba = new ImageData(grid.width, grid.height);
  for (let i = 0, j = 0; i < grid.rgb.length; i += 3, j += 4) {
    rgba.data[j] = grid.rgb[i]; rgba.data[j + 1] = grid.rgb[i + 1]; rgba.data[j + 2] = grid.rgb[i + 2]; rgba.data[j + 3] = 255;
  }
  ctx.putImageData(rgba, 0, 0);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const c of grid.captions) {
    ctx.font = `${Math.max(8, Math.min(12, c.height - 3))}px sans-serif`;
    ctx.fillStyle = `rgb(${c.color.join(',')})`;
    ctx.fillText(c.text, c.x + c.width / 2, c.y + c.height / 2, c.width);
  }
  const out = ctx.getImageData(0, 0, grid.width, grid.height).data;
  for (let i = 0, j = 0; i < grid.rgb.length; i += 3, j += 4) {
    grid.rgb[i] = out[j]; grid.rgb[i + 1] = out[j + 1]; grid.rgb[i + 2] = out[j + 2];
  }
  return true;
}

/** What showSamples/showPredictions return: shown as a PNG by the notebook. */
export class ImageGrid {
  private bundle: MimeBundle | null = null;
  constructor(readonly tiles: GridTile[], readonly options: GridOptions, readonly title = '') {}

  toMimeBundle(): MimeBundle {
    if (!this.bundle) {
      const grid = layoutGrid(this.tiles, this.options);
      drawCaptions(grid);
      const png = encodePng(grid.rgb, grid.width, grid.height, 3);
      const perRow = Math.max(1, Math.min(this.options.perRow ?? 8, this.tiles.length));
      const lines: string[] = [];
      for (let i = 0; i < this.tiles.length; i += perRow) lines.push(this.tiles.slice(i, i + perRow).map((t) => t.caption).join(' | '));
      this.bundle = {
        'application/vnd.convlab.image-grid+json': this.view(),
        'image/png': toBase64(png),
        'text/plain': (this.title ? this.title + '\n' : '') + lines.join('\n'),
      };
    }
    return this.bundle;
  }

  /** What the page shows: each image as its own small PNG, captions as text. */
  private view(): ImageGridView {
    const { rows, cols } = this.options;
    const scale = this.options.scale ?? 2;
    return {
      ...(this.title ? { title: this.title } : {}),
      perRow: Math.max(1, Math.min(this.options.perRow ?? 8, this.tiles.length)),
      imageWidth: cols * scale,
      imageHeight: rows * scale,
      tiles: this.tiles.map((t) => ({
        png: toBase64(encodePng(t.pixels, cols, rows, 1)),
        caption: t.caption,
        ...(t.tone ? { tone: t.tone } : {}),
      })),
    };
  }
}
