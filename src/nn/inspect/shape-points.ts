// The data of a shape plot: one point per leaf layer along depth, read from nn.summary's rows (shapes traced without
// allocating a tensor), each with the stretch of the model it lies in and the feature map the network carries on.
import type * as tf from '@tensorflow/tfjs';
import type { Shape } from '../core/flow';
import { summary } from '../summary/summary';
import { mergeKindOf, traceModel, type ModelTrace } from './graph-trace';
import { regionOf, shapeRegions, type ShapeRegion } from './shape-regions';

export interface ShapePoint {
  /** Path from the model, as nn.summary's rows: "dense1/denselayer2/conv". */
  path: string;
  className: string;
  /** The layer's output, NHWC, batch first: nn.summary's outputShape for this row. */
  shape: Shape;
  /**
   * The feature map the network carries on past this layer: `shape`, except where a block concatenates this layer's
   * output onto the earlier features (DenseNet), where it is that concatenation: [1, 24, 24, 96] after a conv of 32.
   */
  carried: Shape;
  /** The stretch of the model the layer lies in: 'stem', 'dense block 1', 'transition 1', 'stage 2', 'head'. */
  region?: string;
}

export interface ShapeData {
  modelName: string;
  inputShape: Shape;
  points: ShapePoint[];
  /** Each region with the first and last index of its points. */
  regions: Array<ShapeRegion & { start: number; end: number }>;
  trace: ModelTrace;
}

/** Where a concatenation appends a layer's output, the concatenation's shape, by the layer's id. */
function appendedInto(trace: ModelTrace): Map<string, Shape> {
  const into = new Map<string, Shape>();
  for (const node of trace.nodes) {
    if (mergeKindOf(node) === 'concat' && node.inputs.length > 1) into.set(node.inputs[node.inputs.length - 1], node.shape);
  }
  return into;
}

export function shapeData(model: tf.LayersModel | tf.layers.Layer, inputShape?: number[]): ShapeData {
  const rows = summary(model, inputShape, { show: false }).rows.filter((r) => !r.isBlock);
  const trace = traceModel(model, inputShape);
  const regions = shapeRegions(trace);
  const appended = appendedInto(trace);
  const regionAt = rows.map((r) => regionOf(regions, r.path));
  const points = rows.map((r, i): ShapePoint => ({
    path: r.path,
    className: r.className,
    shape: r.outputShape,
    carried: appended.get(r.path) ?? r.outputShape,
    region: regionAt[i]?.label,
  }));
  const spans = regions
    .map((region) => ({ ...region, start: regionAt.indexOf(region), end: regionAt.lastIndexOf(region) }))
    .filter((r) => r.start >= 0);
  return { modelName: trace.modelName, inputShape: trace.inputShape, points, regions: spans, trace };
}

/**
 * Channels and spatial size along depth: one point per leaf layer of `model` (a LayersModel, or a lone layer or
 * block) for an input of [H, W, C] (batch 1) or [N, H, W, C]; by default the model's own input with batch 1.
 */
export function shapePoints(model: tf.LayersModel | tf.layers.Layer, inputShape?: number[]): ShapePoint[] {
  return shapeData(model, inputShape).points;
}
