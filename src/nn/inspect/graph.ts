// nn.graph: a model's architecture as nodes and edges. Blocks are nodes that contain their layers (the page shows
// them collapsed and expands them on demand), consecutive residual blocks of a stage and the layers of the stem and
// the head are grouped, merges are small nodes, and every edge carries its tensor's shape. The page lays it out
// (elkjs) and draws it (src/plots/views/ArchitectureGraph.tsx).
import type * as tf from '@tensorflow/tfjs';
import type { GraphView, MimeBundle } from '../../protocol';
import { cellThatMade } from '../../cell/context';
import type { Shape } from '../core/flow';
import { formatNHWC } from '../summary/format';
import { mergeKindOf, traceModel, type ModelTrace, type TraceNode } from './graph-trace';
import { regionItems, shapeRegions } from './shape-regions';
import { isModelLike } from './shape-plot';
import { keepLive, liveDisplayId, runningCell, type LiveView } from './shape-live';

export const GRAPH_MIME = 'application/vnd.convlab.graph+json';

export type GraphNode = GraphView['nodes'][number] & { shape: Shape };
export type EdgeKind = GraphView['edges'][number]['kind'];
export interface GraphEdge {
  from: string;
  to: string;
  /** How the target takes this tensor in: 'sequence' (the main path), 'add', 'concat' or 'join'. */
  kind: EdgeKind;
  shape: Shape;
}

type Model = tf.LayersModel | tf.layers.Layer;

const OP_LABELS: Record<string, string> = { add: '+', concat: 'concat', join: 'join', scale: '× gate', pool: 'global avg pool' };

/** The merge a node performs decides the kind of every input after its first (the main path). */
function edgesOf(trace: ModelTrace): GraphEdge[] {
  const shapes = new Map(trace.nodes.map((n) => [n.id, n.shape]));
  return trace.nodes.flatMap((node) =>
    node.inputs.map((from, i): GraphEdge => ({ from, to: node.id, kind: i > 0 ? (mergeKindOf(node) ?? 'sequence') : 'sequence', shape: shapes.get(from) ?? [] })),
  );
}

function nodesOf(trace: ModelTrace, modelCell: string | undefined): GraphNode[] {
  const regions = shapeRegions(trace);
  const items = new Set(regionItems(trace).map((i) => i.path));
  // A region of several top-level items (a stage, the stem) becomes a group node holding them.
  const groupOf = new Map<string, string>();
  const outputs = new Map<string, Shape>([...trace.blocks.map((b) => [b.path, b.outputShape] as const), ...trace.nodes.map((n) => [n.id, n.shape] as const)]);
  const nodes: GraphNode[] = [];
  for (const r of regions) {
    if (r.paths.length < 2) continue;
    const id = `[${r.label}]`;
    const first = r.paths[0];
    const parent = first.includes('/') ? first.slice(0, first.lastIndexOf('/')) : undefined;
    const shape = outputs.get(r.paths[r.paths.length - 1]) ?? [];
    nodes.push({ id, label: r.label, kind: 'group', className: r.kind === 'block' ? 'stage' : r.kind, shape, ...(parent ? { parent } : {}) });
    for (const p of r.paths) groupOf.set(p, id);
  }
  const parentFor = (path: string, natural: string) => groupOf.get(path) ?? (natural || undefined);
  const made = (layer: tf.layers.Layer | undefined) => {
    const cell = layer ? cellThatMade(layer) : undefined;
    return cell && cell !== modelCell ? { cellId: cell } : {};
  };
  for (const b of trace.blocks) {
    const parent = items.has(b.path) ? parentFor(b.path, b.parent) : b.parent || undefined;
    nodes.push({ id: b.path, label: b.name, kind: 'block', className: b.className, shape: b.outputShape, ...(parent ? { parent } : {}), ...made(b.layer) });
  }
  for (const n of trace.nodes) nodes.push(nodeOf(n, items.has(n.id) ? parentFor(n.id, n.parent) : n.parent || undefined, made(n.layer)));
  return inForwardOrder(nodes);
}

/** Each node where the forward first reaches it (a block or group: its first layer), outer before inner. */
function inForwardOrder(nodes: GraphNode[]): GraphNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rank = new Map<string, number>();
  const depth = (n: GraphNode): number => (n.parent ? 1 + depth(byId.get(n.parent)!) : 0);
  nodes.forEach((n, i) => {
    if (n.kind === 'group' || n.kind === 'block') return;
    for (let at: GraphNode | undefined = n; at && !rank.has(at.id); at = at.parent ? byId.get(at.parent) : undefined) rank.set(at.id, i);
  });
  return nodes
    .map((n) => ({ n, r: rank.get(n.id) ?? Infinity, d: depth(n) }))
    .sort((a, b) => a.r - b.r || a.d - b.d)
    .map(({ n }) => n);
}

function nodeOf(n: TraceNode, parent: string | undefined, made: { cellId?: string }): GraphNode {
  const kind = n.kind === 'input' ? 'input' : n.kind === 'layer' ? 'layer' : 'op';
  const label = kind === 'op' ? (OP_LABELS[n.kind] ?? n.kind) : n.name;
  return { id: n.id, label, kind, className: n.className, shape: n.shape, ...(parent ? { parent } : {}), ...made };
}

export class ArchitectureGraph implements LiveView {
  readonly displayId: string;
  #model: Model;
  #modelName = '';
  #inputShape: Shape = [];
  #nodes: GraphNode[] = [];
  #edges: GraphEdge[] = [];
  #cellId: string | undefined;

  constructor(model: Model, private readonly inputShape?: number[]) {
    this.#model = model;
    this.compute(model);
    this.displayId = liveDisplayId('graph');
    keepLive(this);
  }

  private compute(model: Model): void {
    const trace = traceModel(model, this.inputShape);
    this.#cellId = cellThatMade(model) ?? runningCell()?.cellId;
    this.#modelName = trace.modelName;
    this.#inputShape = trace.inputShape;
    this.#nodes = nodesOf(trace, this.#cellId);
    this.#edges = edgesOf(trace);
  }

  get target(): Model {
    return this.#model;
  }

  /** Blocks, groups, layers, merges and the input; `parent` says which block or group holds a node. */
  get nodes(): GraphNode[] {
    return this.#nodes;
  }

  /** Every tensor passed between nodes, with its shape and how its target takes it in (`kind`). */
  get edges(): GraphEdge[] {
    return this.#edges;
  }

  /** The page's id of the cell that built the model (clicking a node selects it), where known. */
  get cellId(): string | undefined {
    return this.#cellId;
  }

  retarget(next: unknown): boolean {
    if (!isModelLike(next)) return false;
    this.compute(next);
    this.#model = next;
    runningCell()?.updateDisplay(this.displayId, this.toMimeBundle());
    return true;
  }

  describe(): string {
    return `architecture graph of ${this.#modelName}`;
  }

  get title(): string {
    return `${this.#modelName} · input ${formatNHWC(this.#inputShape)} NHWC`;
  }

  toString(): string {
    const counts = new Map<string, number>();
    for (const e of this.#edges) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    const top = this.#nodes.filter((n) => !n.parent && n.kind !== 'op');
    return [
      `Architecture graph: ${this.title} · ${this.#nodes.length} nodes, ${this.#edges.length} edges (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')})`,
      ...top.map((n) => `  ${n.label}${n.kind === 'group' ? '' : ` (${n.className})`} → ${formatNHWC(n.shape)}`),
    ].join('\n');
  }

  toMimeBundle(): MimeBundle {
    const view: GraphView = { title: this.title, nodes: this.#nodes, edges: this.#edges, ...(this.#cellId ? { cellId: this.#cellId } : {}) };
    return { 'text/plain': this.toString(), [GRAPH_MIME]: view };
  }
}

/**
 * The architecture of `model` (a LayersModel, or a lone layer or block) for an input of [H, W, C] (batch 1) or
 * [N, H, W, C] (default: the model's own input): `{ nodes, edges }`, each edge with its `kind` ('sequence' | 'add' |
 * 'concat' | 'join') and `shape`. In a notebook it is drawn at once, blocks collapsed; clicking a node selects the
 * cell that built the model.
 */
export function graph(model: Model, inputShape?: number[]): ArchitectureGraph {
  if (!isModelLike(model)) throw new Error('nn.graph needs a model or a layer, e.g. nn.graph(nn.d2l.resnet18(), [96, 96, 1])');
  return new ArchitectureGraph(model, inputShape);
}
