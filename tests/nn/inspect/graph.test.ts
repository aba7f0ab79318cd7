// nn.graph's data: blocks as nodes holding their layers, merges as nodes, and edges whose kind says how their target
// takes them in: one 'add' per residual block, one 'concat' per dense conv block, one 'join' per further column of a
// fractal join; every edge carries the shape of the tensor on it.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../../src/nn';
import { cellBound, setCurrentCell, type CellContext } from '../../../src/cell/context';
import { cpu } from '../setup';

beforeAll(cpu);

const kinds = (g: nn.ArchitectureGraph, kind: nn.EdgeKind) => g.edges.filter((e) => e.kind === kind);
const blockOf = (g: nn.ArchitectureGraph, id: string, className: string): string | undefined => {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (let n = byId.get(id); n; n = n.parent ? byId.get(n.parent) : undefined) if (n.className === className) return n.id;
  return undefined;
};

describe('nn.graph', () => {
  const models: tf.LayersModel[] = [];
  afterEach(() => models.splice(0).forEach((m) => m.dispose()));
  const keep = <M extends tf.LayersModel>(m: M) => (models.push(m), m);

  it("d2l ResNet-18: exactly one 'add' edge per residual block, its shortcut, into the block's own add", () => {
    // Narrow stages (same structure as d2l's 64…512) keep the weights, which the graph never reads, small.
    const g = nn.graph(keep(nn.d2l.resnet18({ widths: [4, 8, 16, 32], stemWidth: 4 })), [96, 96, 1]);
    const blocks = g.nodes.filter((n) => n.className === 'ResidualBlock');
    expect(blocks.length).toBe(8);
    const adds = kinds(g, 'add');
    expect(adds.length).toBe(8);
    expect(new Set(adds.map((e) => blockOf(g, e.to, 'ResidualBlock')))).toEqual(new Set(blocks.map((b) => b.id)));
    // Identity shortcuts come from the previous block's output; the projections from the block's 1×1 conv.
    expect(adds.find((e) => e.to === 'b2.0/(add 1)')).toMatchObject({ from: 'b1.pool', shape: [1, 24, 24, 4] });
    expect(adds.find((e) => e.to === 'b3.0/(add 1)')).toMatchObject({ from: 'b3.0/downsample.conv', shape: [1, 12, 12, 8] });
    expect(kinds(g, 'concat').length + kinds(g, 'join').length).toBe(0);
  });

  it("d2l DenseNet: exactly one 'concat' edge per conv block, carrying its growth-rate channels", () => {
    const g = nn.graph(keep(nn.d2l.densenet()), [96, 96, 1]);
    const convBlocks = g.nodes.filter((n) => n.className === 'DenseLayer');
    expect(convBlocks.length).toBe(16);
    const concats = kinds(g, 'concat');
    expect(concats.length).toBe(16);
    expect(new Set(concats.map((e) => blockOf(g, e.from, 'DenseLayer')))).toEqual(new Set(convBlocks.map((b) => b.id)));
    expect(concats.every((e) => e.shape[3] === 32)).toBe(true);
    // The concatenations chain: each takes the previous one (the main path) plus one conv block's features.
    const into = g.edges.filter((e) => e.to === 'dense1/(concat 2)');
    expect(into.map((e) => [e.from, e.kind, e.shape])).toEqual([
      ['dense1/(concat 1)', 'sequence', [1, 24, 24, 96]],
      ['dense1/denselayer2/conv', 'concat', [1, 24, 24, 32]],
    ]);
  });

  it("FractalNet: one 'join' edge per further column of each join, as fractalJoins lays them out", () => {
    const g = nn.graph(keep(nn.fractalnet({ blocks: 2, columns: 3, channels: 4, inputShape: [8, 8, 3] })));
    const perBlock = nn.fractalJoins(3).reduce((sum, cols) => sum + cols.length - 1, 0);
    expect(kinds(g, 'join').length).toBe(2 * perBlock);
    expect(g.nodes.filter((n) => n.label === 'join').length).toBe(2 * nn.fractalJoins(3).length);
  });

  it('every edge carries the shape its source outputs, and every node sits in a node that exists', () => {
    const model = keep(nn.se_resnet50({ widths: [4, 8, 8, 8], stemWidth: 4, classes: 3, inputShape: [32, 32, 3] }));
    const g = nn.graph(model);
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    expect(g.edges.length).toBeGreaterThan(100);
    for (const e of g.edges) {
      expect(byId.has(e.from) && byId.has(e.to), `${e.from} → ${e.to}`).toBe(true);
      expect(e.shape).toEqual(byId.get(e.from)!.shape);
      expect(e.shape.length).toBeGreaterThanOrEqual(2);
    }
    for (const n of g.nodes) if (n.parent) expect(byId.has(n.parent), n.id).toBe(true);
    const leaves = nn.summary(model).rows.filter((r) => !r.isBlock);
    for (const r of leaves) expect(byId.get(r.path)?.shape, r.path).toEqual(r.outputShape);
    // SE's channel scaling is a merge of its own, on the main path.
    expect(g.nodes.some((n) => n.label === '× gate')).toBe(true);
  });

  it('groups the top level as a learner names it: stem, the stages of residual blocks, head', () => {
    const g = nn.graph(keep(nn.d2l.resnet18({ widths: [4, 8, 8, 8], stemWidth: 4 })), [32, 32, 1]);
    const top = g.nodes.filter((n) => !n.parent);
    expect(top.map((n) => n.label)).toEqual(['input', 'stem', 'stage 2', 'stage 3', 'stage 4', 'stage 5', 'head']);
    expect(g.nodes.filter((n) => n.parent === '[stage 3]').map((n) => n.id)).toEqual(['b3.0', 'b3.1']);
    expect(g.nodes.find((n) => n.id === '[stage 3]')!.shape).toEqual([1, 4, 4, 8]);
    expect(g.toString()).toMatch(/8 add/);
  });

  it('names the cell that built the model, and a block built in another cell by its own', () => {
    const ctx = (cellId: string): CellContext => ({ cellId, display: () => '', updateDisplay: () => {}, print: () => {}, reportResources: () => {} });
    setCurrentCell(ctx('cell-1'));
    const block = nn.denseBlock(2, 4, { name: 'made_first' });
    cellBound('cell-1', new Map([['block', undefined]]), { block });
    setCurrentCell(ctx('cell-2'));
    const model = keep(tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 3, kernelSize: 1, name: 'stem_conv' }), block] }));
    cellBound('cell-2', new Map([['model', undefined]]), { model });
    setCurrentCell(ctx('cell-3'));
    const g = nn.graph(model);
    expect(g.cellId).toBe('cell-2');
    expect(g.nodes.find((n) => n.id === 'made_first')!.cellId).toBe('cell-1');
    expect(g.nodes.find((n) => n.id === 'stem_conv')!.cellId).toBeUndefined();
    expect(g.toMimeBundle()['application/vnd.convlab.graph+json']!.cellId).toBe('cell-2');
    setCurrentCell(null);
  });
});
