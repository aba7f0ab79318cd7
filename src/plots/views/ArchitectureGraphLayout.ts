// What the architecture graph shows for a set of expanded nodes, and where (elkjs, in a worker of its own so a big
// model's layout never holds up the page). Collapsed blocks stand for everything inside them: an edge between two
// of their layers is hidden, an edge into one of them ends at the block, and parallel edges merge into one.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { GraphView } from '../../protocol';

export type ViewNode = GraphView['nodes'][number];
export type ViewEdge = GraphView['edges'][number];

export interface VisibleNode {
  node: ViewNode;
  /** Expanded: drawn as a frame around its children. */
  children: VisibleNode[] | null;
  /** Collapsed but with something inside to expand. */
  expandable: boolean;
}

export interface VisibleEdge {
  id: string;
  from: string;
  to: string;
  kind: ViewEdge['kind'];
  shape: ViewEdge['shape'];
}

export interface VisibleGraph {
  roots: VisibleNode[];
  edges: VisibleEdge[];
}

/** "24×24×64": NHWC without the batch, short enough to label an edge. */
export function shortShape(shape: ReadonlyArray<number | null>): string {
  return shape.slice(1).map((d) => (d == null ? '?' : String(d))).join('×') || '·';
}

export function childrenOf(view: GraphView): Map<string | undefined, ViewNode[]> {
  const children = new Map<string | undefined, ViewNode[]>();
  for (const n of view.nodes) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  return children;
}

/**
 * What opens first: nothing (blocks collapsed), except where the top level has a single block or group
 * (nn.graph(block)), which would otherwise be one box.
 */
export function initiallyExpanded(view: GraphView): Set<string> {
  const children = childrenOf(view);
  const containers = (children.get(undefined) ?? []).filter((n) => children.has(n.id));
  return new Set(containers.length === 1 ? [containers[0].id] : []);
}

/** What is drawn when the nodes in `expanded` are open. */
export function visibleGraph(view: GraphView, expanded: ReadonlySet<string>): VisibleGraph {
  const children = childrenOf(view);
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const tops = children.get(undefined) ?? [];
  const isOpen = (id: string) => expanded.has(id);
  /** The box an edge's endpoint is drawn at: the node itself, or the outermost closed node around it. */
  const shownAt = new Map<string, string>();
  const visit = (node: ViewNode, closedAbove: string | null): VisibleNode | null => {
    shownAt.set(node.id, closedAbove ?? node.id);
    const inner = children.get(node.id) ?? [];
    const open = closedAbove === null && inner.length > 0 && isOpen(node.id);
    const drawn = inner.map((c) => visit(c, closedAbove ?? (open ? null : node.id))).filter((v): v is VisibleNode => v !== null);
    if (closedAbove !== null) return null;
    return { node, children: open ? drawn : null, expandable: !open && inner.length > 0 };
  };
  const roots = tops.map((n) => visit(n, null)).filter((v): v is VisibleNode => v !== null);
  const edges = new Map<string, VisibleEdge>();
  for (const e of view.edges) {
    const from = shownAt.get(e.from);
    const to = shownAt.get(e.to);
    if (!from || !to || from === to || !byId.has(from) || !byId.has(to)) continue;
    const id = `${from}\u2192${to}`;
    const seen = edges.get(id);
    // Where a shortcut and the main path meet the same closed block, the drawn edge is the main path.
    if (!seen || (seen.kind !== 'sequence' && e.kind === 'sequence')) edges.set(id, { id, from, to, kind: e.kind, shape: e.shape });
  }
  return { roots, edges: [...edges.values()] };
}

// ---- sizes and layout ----------------------------------------------------------------------

const CHAR = 7;
const LABEL_CHAR = 6;
const NODE_H = 36;
const OP_H = 22;
const LABEL_H = 12;
export const FRAME_TOP = 26;

export function nodeSize(v: VisibleNode): { width: number; height: number } {
  const n = v.node;
  if (n.kind === 'op') return { width: Math.max(26, n.label.length * CHAR + 14), height: OP_H };
  const text = Math.max(n.label.length, subtitle(v).length);
  return { width: Math.max(64, text * CHAR + (v.expandable ? 40 : 20)), height: n.kind === 'input' ? OP_H + 4 : NODE_H };
}

/** The second line of a box: a layer's class, a block's class, a group's size. */
export function subtitle(v: VisibleNode): string {
  const n = v.node;
  if (n.kind === 'group') return n.className === 'stage' ? 'stage of blocks' : 'layers';
  if (n.kind === 'input') return '';
  return n.className;
}

function toElk(v: VisibleNode, edgesByContainer: Map<string, ElkExtendedEdge[]>): ElkNode {
  if (v.children) {
    return {
      id: v.node.id,
      layoutOptions: { 'elk.padding': `[top=${FRAME_TOP},left=12,bottom=12,right=12]` },
      children: v.children.map((c) => toElk(c, edgesByContainer)),
      edges: edgesByContainer.get(v.node.id) ?? [],
    };
  }
  return { id: v.node.id, ...nodeSize(v) };
}

export interface PlacedNode {
  visible: VisibleNode;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  edge: VisibleEdge;
  points: Array<{ x: number; y: number }>;
  label: { x: number; y: number; text: string } | null;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Frames first (outer before inner), then boxes: the order to draw them in. */
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const ROOT = '\u0000root';

/** ELK's input: every edge sits in the innermost open frame around both of its ends, as ELK expects. */
export function elkGraph(graph: VisibleGraph): ElkNode {
  const parentOf = new Map<string, string>();
  const walk = (v: VisibleNode, parent: string) => {
    parentOf.set(v.node.id, parent);
    for (const c of v.children ?? []) walk(c, v.node.id);
  };
  for (const r of graph.roots) walk(r, ROOT);
  const ancestors = (id: string) => {
    const chain: string[] = [];
    for (let p = parentOf.get(id); p; p = parentOf.get(p)) chain.push(p);
    return chain;
  };
  const edgesByContainer = new Map<string, ElkExtendedEdge[]>();
  for (const e of graph.edges) {
    const above = new Set(ancestors(e.from));
    const container = ancestors(e.to).find((a) => above.has(a)) ?? ROOT;
    const text = shortShape(e.shape);
    const elkEdge: ElkExtendedEdge = { id: e.id, sources: [e.from], targets: [e.to], labels: [{ id: `${e.id}:label`, text, width: text.length * LABEL_CHAR + 6, height: LABEL_H }] };
    edgesByContainer.set(container, [...(edgesByContainer.get(container) ?? []), elkEdge]);
  }
  return {
    id: ROOT,
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '26',
      'elk.spacing.nodeNode': '18',
      'elk.spacing.edgeLabel': '2',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
    },
    children: graph.roots.map((r) => toElk(r, edgesByContainer)),
    edges: edgesByContainer.get(ROOT) ?? [],
  };
}

/** ELK's answer in absolute coordinates, with each box tied back to what it shows. */
export function placed(graph: VisibleGraph, laid: ElkNode): GraphLayout {
  const visible = new Map<string, VisibleNode>();
  const index = (v: VisibleNode) => {
    visible.set(v.node.id, v);
    v.children?.forEach(index);
  };
  graph.roots.forEach(index);
  const edgeById = new Map(graph.edges.map((e) => [e.id, e]));
  const origin = new Map<string, { x: number; y: number }>([[ROOT, { x: 0, y: 0 }]]);
  const nodes: PlacedNode[] = [];
  const elkEdges: ElkExtendedEdge[] = [];
  const walk = (n: ElkNode, ox: number, oy: number) => {
    for (const c of n.children ?? []) {
      const x = ox + (c.x ?? 0), y = oy + (c.y ?? 0);
      origin.set(c.id, { x, y });
      const v = visible.get(c.id);
      if (v) nodes.push({ visible: v, x, y, width: c.width ?? 0, height: c.height ?? 0 });
      walk(c, x, y);
    }
    elkEdges.push(...(n.edges ?? []));
  };
  walk(laid, 0, 0);
  const edges = elkEdges.flatMap((e): PlacedEdge[] => {
    const edge = edgeById.get(e.id);
    if (!edge) return [];
    const o = origin.get(e.container ?? ROOT) ?? { x: 0, y: 0 };
    const points = (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]).map((p) => ({ x: p.x + o.x, y: p.y + o.y }));
    const l = e.labels?.[0];
    return [{ edge, points, label: l ? { x: o.x + (l.x ?? 0), y: o.y + (l.y ?? 0), text: l.text ?? '' } : null }];
  });
  // Frames before the boxes inside them: a parent is always pushed before its children.
  return { width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges };
}
