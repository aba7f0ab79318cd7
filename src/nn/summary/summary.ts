// nn.summary: a per-layer table with nested blocks as a tree, built by tracing shapes through each
// block's own forward (no tensors are allocated, so it is instant even for ResNet-152 at 224²).
import * as tf from '@tensorflow/tfjs';
import { CompositeLayer } from '../core/composite';
import { buildShapes, visitShapes, type Shape } from '../core/flow';
import { countLayerParams, sizeOf } from '../count-params';
import { leafFlops } from './flops';
import {
  formatBytes, formatCount, formatFlops, formatNCHW, formatNHWC, textTable,
  type SummaryMimeBundle, type TableView,
} from './format';

export interface SummaryRow {
  name: string;
  /** Path from the model, e.g. "layer1.0/conv1". */
  path: string;
  className: string;
  depth: number;
  inputShape: Shape;
  /** NHWC, batch first. */
  outputShape: Shape;
  trainable: number;
  nonTrainable: number;
  /** 2 × multiply-adds, for the whole batch; a block's is the sum of its sublayers'. */
  flops: number;
  /** Bytes of this row's output (float32). */
  activationBytes: number;
  isBlock: boolean;
}

export interface SummaryTotals {
  trainable: number;
  nonTrainable: number;
  flops: number;
  /** Sum over every row's output: roughly what a forward pass keeps alive for backprop. */
  activationBytes: number;
}

const COLUMNS = ['Layer (type)', 'Output shape (NHWC)', 'PyTorch shape (NCHW)', 'Trainable', 'Non-trainable', 'FLOPs', 'Activations'];

export class ModelSummary {
  constructor(
    readonly modelName: string,
    readonly inputShape: Shape,
    readonly rows: SummaryRow[],
    readonly totals: SummaryTotals,
  ) {}

  /** The first row with this name or path. */
  row(nameOrPath: string): SummaryRow | undefined {
    return this.rows.find((r) => r.path === nameOrPath) ?? this.rows.find((r) => r.name === nameOrPath);
  }

  get outputShape(): Shape {
    const top = this.rows.filter((r) => r.depth === 0);
    return top.length ? top[top.length - 1].outputShape : this.inputShape;
  }

  get caption(): string {
    return `${this.modelName} · input ${formatNHWC(this.inputShape)} NHWC (${formatNCHW(this.inputShape)} in PyTorch's NCHW)`;
  }

  private cells(): { rows: string[][]; indent: number[]; totalRows: number[] } {
    const rows = this.rows.map((r) => [
      `${r.name} (${r.className})`,
      formatNHWC(r.outputShape),
      formatNCHW(r.outputShape),
      formatCount(r.trainable),
      formatCount(r.nonTrainable),
      formatFlops(r.flops),
      formatBytes(r.activationBytes),
    ]);
    const t = this.totals;
    rows.push(['Total', '', '', formatCount(t.trainable), formatCount(t.nonTrainable), formatFlops(t.flops), formatBytes(t.activationBytes)]);
    return { rows, indent: [...this.rows.map((r) => r.depth), 0], totalRows: [rows.length - 1] };
  }

  toString(): string {
    const { rows, indent, totalRows } = this.cells();
    return textTable(COLUMNS, rows, indent, totalRows, this.caption);
  }

  toMimeBundle(): SummaryMimeBundle {
    const { rows, indent, totalRows } = this.cells();
    const table: TableView = { caption: this.caption, columns: COLUMNS, rows, indent, totalRows };
    return { 'text/plain': this.toString(), 'application/vnd.convlab.table+json': table };
  }
}

function traceLayer(layer: tf.layers.Layer, input: Shape, depth: number, parentPath: string, rows: SummaryRow[]): Shape {
  const path = parentPath ? `${parentPath}/${layer.name}` : layer.name;
  const params = countLayerParams(layer);
  const row: SummaryRow = {
    name: layer.name, path, className: layer.getClassName(), depth, inputShape: input, outputShape: input,
    trainable: params.trainable, nonTrainable: params.nonTrainable, flops: 0, activationBytes: 0,
    isBlock: layer instanceof CompositeLayer,
  };
  rows.push(row);
  if (layer instanceof CompositeLayer) {
    const first = rows.length;
    row.outputShape = layer.forward(visitShapes((child, s) => traceLayer(child, s, depth + 1, path, rows)), input);
    row.flops = rows.slice(first).filter((r) => r.depth === depth + 1).reduce((s, r) => s + r.flops, 0);
  } else {
    row.outputShape = layer.computeOutputShape(input as tf.Shape) as Shape;
    row.flops = leafFlops(layer, input, row.outputShape);
  }
  row.activationBytes = 4 * sizeOf(row.outputShape);
  return row.outputShape;
}

function withBatch(shape: ReadonlyArray<number | null>, rank: number): Shape {
  const s = [...shape];
  return s.length === rank - 1 ? [1, ...s] : s;
}

export interface SummaryOptions {
  /**
   * In a notebook, nn.summary shows its table as soon as it is called; `show: false` only returns the summary,
   * for a cell that wants its totals (`.totals.trainable`) rather than every layer's row.
   */
  show?: boolean;
}

/**
 * Per-layer summary of a model (or of a single block) for an input shape: [H, W, C] (batch 1) or
 * [N, H, W, C]. Default: the model's own input shape with batch 1. `options` is for the notebook's wrapper
 * (src/runtime/builtins.ts), which shows the table; the summary itself is the same either way.
 */
// eslint-disable-next-line no-unused-vars -- read by the notebook's wrapper, not here (see above)
export function summary(model: tf.LayersModel | tf.layers.Layer, inputShape?: number[], options: SummaryOptions = {}): ModelSummary {
  const rows: SummaryRow[] = [];
  if (model instanceof tf.LayersModel) {
    const declared = model.inputs[0].shape;
    const input = inputShape ? withBatch(inputShape, declared.length) : [1, ...declared.slice(1)];
    const shapes = new Map<string, Shape>();
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') {
        shapes.set(layer.name, input);
        continue;
      }
      const node = layer.inboundNodes[0];
      const ins = node.inboundLayers.map((l, i) => (l ? shapes.get(l.name) : undefined) ?? (i === 0 ? input : undefined));
      const inShape = ins.length > 1 ? (ins as unknown as Shape) : (ins[0] ?? input);
      if (ins.length > 1) {
        // Merge layers (add, concatenate) of functional models: leaves with several inputs.
        const out = layer.computeOutputShape(ins as tf.Shape[]) as Shape;
        const p = countLayerParams(layer);
        rows.push({
          name: layer.name, path: layer.name, className: layer.getClassName(), depth: 0, inputShape: ins[0] as Shape, outputShape: out,
          trainable: p.trainable, nonTrainable: p.nonTrainable, flops: 0, activationBytes: 4 * sizeOf(out), isBlock: false,
        });
        shapes.set(layer.name, out);
      } else {
        shapes.set(layer.name, traceLayer(layer, inShape, 0, '', rows));
      }
    }
    return new ModelSummary(model.name, input, rows, totalsOf(model, rows));
  }
  const input = inputShape ? withBatch(inputShape, 4) : ([1, ...(model.batchInputShape ?? []).slice(1)] as Shape);
  if (input.length !== 4) throw new Error(`summary of a lone layer needs its input shape, e.g. nn.summary(block, [8, 8, 64])`);
  // A block made in a cell may not have seen an input yet: create its weights for this shape.
  if (!model.built) buildShapes.layer(model, [null, ...input.slice(1)]);
  traceLayer(model, input, 0, '', rows);
  return new ModelSummary(model.name, input, rows, totalsOf(model, rows));
}

function totalsOf(model: tf.LayersModel | tf.layers.Layer, rows: SummaryRow[]): SummaryTotals {
  const params = countLayerParams(model as tf.layers.Layer);
  return {
    trainable: params.trainable,
    nonTrainable: params.nonTrainable,
    flops: rows.filter((r) => r.depth === 0).reduce((s, r) => s + r.flops, 0),
    activationBytes: rows.reduce((s, r) => s + r.activationBytes, 0),
  };
}
