// What the page draws of nn.graph's data: big models collapsed to a handful of boxes (ResNet-152, DenseNet-201),
// every drawn edge labelled with a shape, blocks that open to their layers, and elkjs placing all of it.
import ELK from 'elkjs/lib/elk.bundled.js';
import type * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../../src/nn';
import type { GraphView } from '../../../src/protocol';
import { elkGraph, initiallyExpanded, placed, shortShape, visibleGraph, type VisibleGraph } from '../../../src/plots/views/ArchitectureGraphLayout';
import { cpu } from '../setup';

beforeAll(cpu);

const viewOf = (g: nn.ArchitectureGraph): GraphView => g.toMimeBundle()['application/vnd.convlab.graph+json']!;
const drawn = (v: VisibleGraph): string[] => {
  const ids: string[] = [];
  const walk = (n: VisibleGraph['roots'][number]) => {
    ids.push(n.node.id);
    n.children?.forEach(walk);
  };
  v.roots.forEach(walk);
  return ids;
};

// The real block structure with narrow widths: the graph reads shapes, not weights.
const resnet152 = () => nn.resnet152({ widths: [2, 4, 4, 4], stemWidth: 4, classes: 5, inputShape: [64, 64, 3] });
const densenet201 = () => nn.densenetFromSpec({ growthRate: 2, blockConfig: [6, 12, 48, 32], initFeatures: 4 }, 'densenet201', { classes: 5, inputShape: [64, 64, 3] });

describe('architecture graph view', () => {
  const models: tf.LayersModel[] = [];
  afterEach(() => models.splice(0).forEach((m) => m.dispose()));
  const keep = <M extends tf.LayersModel>(m: M) => (models.push(m), m);

  it('collapses ResNet-152 to input, stem, four stages and head, every edge labelled with its shape', () => {
    const view = viewOf(nn.graph(keep(resnet152())));
    expect(view.nodes.length).toBeGreaterThan(400);
    const shown = visibleGraph(view, initiallyExpanded(view));
    expect(shown.roots.map((r) => r.node.label)).toEqual(['input', 'stem', 'stage 1', 'stage 2', 'stage 3', 'stage 4', 'head']);
    expect(shown.edges.map((e) => [e.from, e.to])).toEqual([
      ['input', '[stem]'], ['[stem]', '[stage 1]'], ['[stage 1]', '[stage 2]'], ['[stage 2]', '[stage 3]'], ['[stage 3]', '[stage 4]'], ['[stage 4]', '[head]'],
    ]);
    expect(shown.edges.every((e) => /^\d+(×\d+)*$/.test(shortShape(e.shape)))).toBe(true);
    expect(shown.edges.find((e) => e.to === '[stage 3]')!.shape).toEqual([1, 8, 8, 16]);
  });

  it('collapses DenseNet-201 to ten boxes and opens dense block 3 to its 48 conv blocks, chained by their concats', () => {
    const view = viewOf(nn.graph(keep(densenet201())));
    const collapsed = visibleGraph(view, new Set());
    expect(collapsed.roots.length).toBe(10);
    const open = visibleGraph(view, new Set(['denseblock3']));
    const block = open.roots.find((r) => r.node.id === 'denseblock3')!;
    expect(block.children!.filter((c) => c.node.className === 'DenseLayer').length).toBe(48);
    expect(block.children!.filter((c) => c.node.label === 'concat').length).toBe(48);
    expect(open.edges.filter((e) => e.kind === 'concat').length).toBe(48);
    const ids = new Set(drawn(open));
    for (const e of open.edges) expect(ids.has(e.from) && ids.has(e.to), `${e.from} → ${e.to}`).toBe(true);
    // From the closed transition into the open block, and out of it to the next closed one.
    expect(open.edges.some((e) => e.from === 'transition2' && e.to.startsWith('denseblock3/'))).toBe(true);
    expect(open.edges.some((e) => e.from.startsWith('denseblock3/') && e.to === 'transition3')).toBe(true);
  });

  it('opens a graph of a lone block by itself', () => {
    const view = viewOf(nn.graph(nn.denseBlock(3, 4), [8, 8, 2]));
    const shown = visibleGraph(view, initiallyExpanded(view));
    const block = shown.roots.find((r) => r.children)!;
    expect(block.children!.map((c) => c.node.label)).toContain('denselayer3');
  });

  it('elkjs places every drawn box, frames around what they hold, and routes every edge', async () => {
    const view = viewOf(nn.graph(keep(densenet201())));
    const shown = visibleGraph(view, new Set(['denseblock1', 'denseblock1/denselayer3']));
    const layout = placed(shown, await new ELK().layout(elkGraph(shown)));
    expect(layout.nodes.map((n) => n.visible.node.id).sort()).toEqual(drawn(shown).sort());
    const at = new Map(layout.nodes.map((n) => [n.visible.node.id, n]));
    for (const n of layout.nodes) {
      const parent = n.visible.node.parent ? at.get(n.visible.node.parent) : undefined;
      if (!parent) continue;
      expect(n.x >= parent.x && n.y >= parent.y && n.x + n.width <= parent.x + parent.width && n.y + n.height <= parent.y + parent.height, n.visible.node.id).toBe(true);
    }
    expect(layout.edges.length).toBe(shown.edges.length);
    for (const e of layout.edges) {
      expect(e.points.length).toBeGreaterThanOrEqual(2);
      expect(e.label?.text).toBe(shortShape(e.edge.shape));
      // Each edge starts at its source's box and ends at its target's.
      const [from, to] = [at.get(e.edge.from)!, at.get(e.edge.to)!];
      const end = e.points[e.points.length - 1];
      expect(Math.abs(end.y - to.y) < 1 || Math.abs(end.y - (to.y + to.height)) < 1 || Math.abs(end.x - to.x) < 1 || Math.abs(end.x - (to.x + to.width)) < 1, `${e.edge.id} ends at its target`).toBe(true);
      expect(from).toBeDefined();
    }
  });
});
