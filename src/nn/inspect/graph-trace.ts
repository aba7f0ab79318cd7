// A model's dataflow, traced through each block's own forward with shapes for values (no tensor is allocated):
// every leaf layer and every merge (residual add, channel concat, fractal join, SE's channel scaling) becomes a
// node that knows which nodes it reads. The shape plot and the architecture graph are both read from this trace;
// its leaf nodes are nn.summary's leaf rows, in the same order and under the same paths.
import * as tf from '@tensorflow/tfjs';
import { CompositeLayer } from '../core/composite';
import { buildShapes, type Flow, type Shape } from '../core/flow';

export type TraceKind = 'input' | 'layer' | 'add' | 'concat' | 'join' | 'scale' | 'pool';

export interface TraceNode {
  /** A layer's path (as nn.summary's rows: "dense1/denselayer2/conv"); for a merge, its block's path and its kind. */
  id: string;
  kind: TraceKind;
  name: string;
  /** The layer's class, or the merge's kind. */
  className: string;
  /** Path of the innermost block around this node; '' at the model's top level. */
  parent: string;
  /** Output, NHWC, batch first. */
  shape: Shape;
  /** Ids of the nodes whose outputs this one reads, in the order it reads them (the main path first). */
  inputs: string[];
  layer?: tf.layers.Layer;
}

export interface TraceBlock {
  path: string;
  name: string;
  className: string;
  parent: string;
  layer: tf.layers.Layer;
  inputShape: Shape;
  outputShape: Shape;
}

export interface ModelTrace {
  modelName: string;
  inputShape: Shape;
  /** In forward order: inputs, leaf layers and merges as the forward reaches them. */
  nodes: TraceNode[];
  /** Every block (CompositeLayer) met, outer before inner. */
  blocks: TraceBlock[];
  /** The top-level layers and blocks, in order. */
  top: Array<{ path: string; className: string; isBlock: boolean; layer: tf.layers.Layer }>;
}

interface Value {
  id: string;
  shape: Shape;
}

/** Model-level merge layers of functional models, by class, and the merge each one is. */
const MERGE_LAYERS: Record<string, TraceKind> = { Add: 'add', Concatenate: 'concat', Average: 'join' };

export function mergeKindOf(node: TraceNode): 'add' | 'concat' | 'join' | null {
  const kind = node.kind === 'layer' ? MERGE_LAYERS[node.className] : node.kind;
  return kind === 'add' || kind === 'concat' || kind === 'join' ? kind : null;
}

function withBatch(shape: ReadonlyArray<number | null>, rank: number): Shape {
  const s = [...shape];
  return s.length === rank - 1 ? [1, ...s] : s;
}

class Tracer {
  readonly nodes: TraceNode[] = [];
  readonly blocks: TraceBlock[] = [];
  private readonly counters = new Map<string, number>();
  /** Concatenations already made, by their inputs: a longer one is drawn as the shorter one plus what it adds. */
  private readonly concats = new Map<string, Value>();

  add(node: TraceNode): Value {
    this.nodes.push(node);
    return { id: node.id, shape: node.shape };
  }

  op(kind: TraceKind, parent: string, inputs: Value[], shape: Shape): Value {
    const key = `${parent}\u0000${kind}`;
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    const name = `(${kind} ${n})`;
    return this.add({ id: parent ? `${parent}/${name}` : name, kind, name, className: kind, parent, shape, inputs: inputs.map((v) => v.id) });
  }

  layer(layer: tf.layers.Layer, x: Value, parent: string): Value {
    const path = parent ? `${parent}/${layer.name}` : layer.name;
    if (layer instanceof CompositeLayer) {
      const block: TraceBlock = { path, name: layer.name, className: layer.getClassName(), parent, layer, inputShape: x.shape, outputShape: x.shape };
      this.blocks.push(block);
      const out = layer.forward(this.flow(path), x);
      block.outputShape = out.shape;
      return out;
    }
    const shape = layer.computeOutputShape(x.shape as tf.Shape) as Shape;
    return this.add({ id: path, kind: 'layer', name: layer.name, className: layer.getClassName(), parent, shape, inputs: [x.id], layer });
  }

  private concat(parent: string, xs: Value[]): Value {
    if (xs.length === 1) return xs[0];
    const last = xs[0].shape.length - 1;
    const shape = xs[0].shape.slice();
    shape[last] = xs.reduce<number | null>((sum, v) => (sum === null || v.shape[last] === null ? null : sum + (v.shape[last] as number)), 0);
    const key = (vs: Value[]) => vs.map((v) => v.id).join('\u0000');
    const prefix = xs.length > 2 ? this.concats.get(key(xs.slice(0, -1))) : undefined;
    const out = this.op('concat', parent, prefix ? [prefix, xs[xs.length - 1]] : xs, shape);
    this.concats.set(key(xs), out);
    return out;
  }

  private flow(parent: string): Flow<Value> {
    return {
      training: false,
      layer: (l, x) => this.layer(l, x, parent),
      relu: (x) => x,
      sigmoid: (x) => x,
      add: (a, b) => this.op('add', parent, [a, b], a.shape),
      concat: (xs) => this.concat(parent, xs),
      mean: (xs) => (xs.length === 1 ? xs[0] : this.op('join', parent, xs, xs[0].shape)),
      scaleChannels: (x, w) => this.op('scale', parent, [x, w], x.shape),
      globalAvgPool: (x) => this.op('pool', parent, [x], [x.shape[0], 1, 1, x.shape[3]]),
    };
  }
}

/**
 * Traces `model` (a LayersModel, or a lone layer or block) for an input shape: [H, W, C] (batch 1) or [N, H, W, C];
 * by default the model's own input with batch 1, as nn.summary.
 */
export function traceModel(model: tf.LayersModel | tf.layers.Layer, inputShape?: number[]): ModelTrace {
  const tracer = new Tracer();
  const top: ModelTrace['top'] = [];
  const topEntry = (layer: tf.layers.Layer) => top.push({ path: layer.name, className: layer.getClassName(), isBlock: layer instanceof CompositeLayer, layer });
  if (model instanceof tf.LayersModel) {
    const declared = model.inputs[0].shape;
    const input = inputShape ? withBatch(inputShape, declared.length) : [1, ...declared.slice(1)];
    const values = new Map<string, Value>();
    const first = tracer.add({ id: 'input', kind: 'input', name: 'input', className: 'Input', parent: '', shape: input, inputs: [] });
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') {
        values.set(layer.name, first);
        continue;
      }
      const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
      const ins = inbound.map((l, i) => (l ? values.get(l.name) : undefined) ?? (i === 0 ? first : undefined)).filter((v): v is Value => !!v);
      topEntry(layer);
      if (ins.length > 1) {
        const shape = layer.computeOutputShape(ins.map((v) => v.shape) as tf.Shape[]) as Shape;
        values.set(layer.name, tracer.add({ id: layer.name, kind: 'layer', name: layer.name, className: layer.getClassName(), parent: '', shape, inputs: ins.map((v) => v.id), layer }));
      } else {
        values.set(layer.name, tracer.layer(layer, ins[0] ?? first, ''));
      }
    }
    return { modelName: model.name, inputShape: input, nodes: tracer.nodes, blocks: tracer.blocks, top };
  }
  const input = inputShape ? withBatch(inputShape, 4) : ([1, ...(model.batchInputShape ?? []).slice(1)] as Shape);
  if (input.length !== 4) throw new Error(`tracing a lone layer needs its input shape, e.g. nn.shapePlot(block, [8, 8, 64])`);
  // A block made in a cell may not have seen an input yet: create its weights for this shape (as nn.summary does).
  if (!model.built) buildShapes.layer(model, [null, ...input.slice(1)]);
  const first = tracer.add({ id: 'input', kind: 'input', name: 'input', className: 'Input', parent: '', shape: input, inputs: [] });
  topEntry(model);
  tracer.layer(model, first, '');
  return { modelName: model.name, inputShape: input, nodes: tracer.nodes, blocks: tracer.blocks, top };
}
