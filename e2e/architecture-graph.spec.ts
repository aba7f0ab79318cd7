// nn.graph in the tab: d2l's ResNet-18 has exactly one 'add' edge per residual block and d2l's DenseNet one 'concat'
// per conv block; every drawn edge carries a shape label; clicking a node selects the cell that built the model.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { cell, openNotebook, output, runCell } from './helpers/notebook';

function parseLine<T>(text: string, tag: string): T {
  const m = text.match(new RegExp(`${tag} (\\{.*\\})`));
  if (!m) throw new Error(`no "${tag} {...}" line in output: ${text.slice(0, 500)}`);
  return JSON.parse(m[1]) as T;
}

const count = `(g: nn.ArchitectureGraph, className: string, kind: nn.EdgeKind) => JSON.stringify({
  blocks: g.nodes.filter((n) => n.className === className).length,
  edges: g.edges.filter((e) => e.kind === kind).length,
  unlabelled: g.edges.filter((e) => !(e.shape.length >= 2 && e.shape.every((d) => typeof d === 'number'))).length,
})`;

test.describe('architecture graph', () => {
  test("ResNet-18: one 'add' per residual block, DenseNet: one 'concat' per conv block, every edge labelled; a click selects the model's cell", async ({ page }) => {
    await openNotebook(page, [
      'const resnet = nn.d2l.resnet18();',
      `const count = ${count};\nconst g = nn.graph(resnet, [96, 96, 1]);\nprint('RESNET ' + count(g, 'ResidualBlock', 'add'));`,
      `const dense = nn.d2l.densenet();\nprint('DENSE ' + count(nn.graph(dense, [96, 96, 1]), 'DenseLayer', 'concat'));`,
    ]);
    await runCell(page, 1);
    await runCell(page, 2);
    expect(parseLine(await output(page, 2).innerText(), 'RESNET')).toEqual({ blocks: 8, edges: 8, unlabelled: 0 });
    await runCell(page, 3);
    expect(parseLine(await output(page, 3).innerText(), 'DENSE')).toEqual({ blocks: 16, edges: 16, unlabelled: 0 });

    const graph = output(page, 2).getByRole('region', { name: 'Architecture graph' });
    await expect(graph).toHaveAttribute('data-layout', 'ready', { timeout: 30_000 });
    // Collapsed: input, stem, stages 2–5, head.
    await expect(graph.locator('.arch-node')).toHaveCount(7);
    // Open stage 3: its two residual blocks, then the first of them: its 'add' edge appears, drawn and labelled.
    await graph.getByRole('button', { name: 'Expand stage 3' }).click();
    await graph.getByRole('button', { name: 'Expand b3.0' }).click();
    await expect(graph.locator('.arch-edge[data-edge-kind="add"]')).toHaveCount(1);
    const edges = graph.locator('.arch-edge');
    const labels = await edges.evaluateAll((els) => els.map((e) => e.querySelector('.arch-edge-label text')?.textContent ?? ''));
    expect(labels.length).toBeGreaterThan(10);
    for (const label of labels) expect(label).toMatch(/^\d+(×\d+)*$/);
    await expect(graph.locator('.arch-edge[data-edge-kind="add"] .arch-edge-label text')).toHaveText('12×12×128');

    // Clicking a node selects the cell that built the model (cell 1), not the cell that drew the graph.
    await expect(cell(page, 1)).not.toHaveAttribute('data-selected', 'true');
    await graph.locator('.arch-node[data-node-id="b3.0/conv1"]').click();
    await expect(cell(page, 1)).toHaveAttribute('data-selected', 'true');
    await expect(cell(page, 2)).not.toHaveAttribute('data-selected', 'true');

    // Jupyter gets the graph as text and as a PNG (drawn from the same layout on a hidden canvas).
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export notebook' }).click();
    const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
    const shown = exported.cells[1].outputs.find((o: { data?: Record<string, unknown> }) => o.data?.['application/vnd.convlab.graph+json']);
    expect(shown.data['text/plain'].join('')).toMatch(/Architecture graph: d2l_resnet18 .*8 add/);
    const png = [shown.data['image/png']].flat().join('');
    expect(png.startsWith('iVBORw0KGgo')).toBe(true);
    expect(png.length).toBeGreaterThan(2000);
  });
});
