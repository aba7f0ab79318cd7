// nn.shapePlot: channels and H×W along depth, one point per leaf layer, the model's blocks shaded and labelled. The
// worker computes the points (shape-points.ts); the page draws them (src/plots/views/ShapePlot.tsx). The plot stays
// live: re-running the cell that defines its model redraws it in place (shape-live.ts).
import * as tf from '@tensorflow/tfjs';
import type { MimeBundle, ShapePlotView } from '../../protocol';
import { formatNCHW, formatNHWC } from '../summary/format';
import type { Shape } from '../core/flow';
import { shapeData, type ShapeData, type ShapePoint } from './shape-points';
import { keepLive, liveDisplayId, runningCell, type LiveView } from './shape-live';

export const SHAPE_PLOT_MIME = 'application/vnd.convlab.shape-plot+json';

type Model = tf.LayersModel | tf.layers.Layer;

export function isModelLike(value: unknown): value is Model {
  return value instanceof tf.LayersModel || value instanceof tf.layers.Layer;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** H×W of an NHWC shape, or '' for a flat one. */
function spatial(shape: Shape): string {
  return shape.length === 4 ? `${shape[1]}×${shape[2]}` : '';
}

export class ShapePlot implements LiveView {
  readonly displayId: string;
  #model: Model;
  #data: ShapeData;

  constructor(model: Model, private readonly inputShape?: number[]) {
    this.#model = model;
    this.#data = shapeData(model, inputShape);
    this.displayId = liveDisplayId('shape-plot');
    keepLive(this);
  }

  /** The model or block drawn now (a re-run of the cell that defines it swaps in the new one). */
  get target(): Model {
    return this.#model;
  }

  get modelName(): string {
    return this.#data.modelName;
  }

  /** One per leaf layer along depth, as drawn: `{ path, className, shape }` with shape NHWC, batch first. */
  get points(): ShapePoint[] {
    return this.#data.points;
  }

  /** The shaded stretches: 'stem', 'dense block 1', 'transition 1', 'stage 2', …, with their first and last point. */
  get regions(): ShapeData['regions'] {
    return this.#data.regions;
  }

  retarget(next: unknown): boolean {
    if (!isModelLike(next)) return false;
    this.#data = shapeData(next, this.inputShape);
    this.#model = next;
    runningCell()?.updateDisplay(this.displayId, this.toMimeBundle());
    return true;
  }

  describe(): string {
    return `shape plot of ${this.modelName}`;
  }

  get title(): string {
    return `${this.modelName} · input ${formatNHWC(this.#data.inputShape)} NHWC`;
  }

  view(): ShapePlotView {
    return {
      title: this.title,
      points: this.points.map((p) => ({
        path: p.path,
        className: p.className,
        shape: p.shape,
        ...(sameShape(p.carried, p.shape) ? {} : { carried: p.carried }),
        ...(p.region ? { region: p.region } : {}),
      })),
      regions: this.regions.map(({ label, kind, start, end }) => ({ label, kind, start, end })),
    };
  }

  toString(): string {
    const header = ['#', 'layer', 'NHWC', 'NCHW', 'channels', 'H×W', 'region'];
    const rows = this.points.map((p, i) => [
      String(i), `${p.path} (${p.className})`, formatNHWC(p.shape), formatNCHW(p.shape),
      String(p.carried[p.carried.length - 1] ?? '?') + (sameShape(p.carried, p.shape) ? '' : ` (after concat; layer ${p.shape[p.shape.length - 1]})`),
      spatial(p.shape), p.region ?? '',
    ]);
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    const line = (cells: string[]) => cells.map((v, c) => v.padEnd(widths[c])).join('  ').trimEnd();
    return [`Shape plot: ${this.title} · ${this.points.length} layers`, line(header), ...rows.map(line)].join('\n');
  }

  toMimeBundle(): MimeBundle {
    return { 'text/plain': this.toString(), [SHAPE_PLOT_MIME]: this.view() };
  }
}

/**
 * Plots channels and spatial size (H×W) per leaf layer of `model` along depth, its blocks shaded and labelled, for an
 * input of [H, W, C] (batch 1) or [N, H, W, C] (default: the model's own input). In a notebook the plot shows at
 * once, and redraws in place when the cell that defines the model runs again. `.points` is what is drawn.
 */
export function shapePlot(model: Model, inputShape?: number[]): ShapePlot {
  if (!isModelLike(model)) throw new Error('nn.shapePlot needs a model or a layer, e.g. nn.shapePlot(nn.d2l.densenet(), [96, 96, 1])');
  return new ShapePlot(model, inputShape);
}
