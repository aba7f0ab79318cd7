// nn.shapePlot in the tab: d2l's DenseNet drawn as channels and H×W along depth, its points read back against
// nn.summary's rows; and a dense block's cell edited (growth rate 10 → 12) and re-run redraws the same plot in place.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openNotebook, output, runCell, typeInCell } from './helpers/notebook';

type Shape = Array<number | null>;
interface Point {
  path: string;
  className: string;
  shape: Shape;
  carried: Shape;
  region?: string;
}

function parseLine<T>(text: string, tag: string): T {
  const m = text.match(new RegExp(`${tag} (\\{.*\\})`));
  if (!m) throw new Error(`no "${tag} {...}" line in output: ${text.slice(0, 500)}`);
  return JSON.parse(m[1]) as T;
}

const channels = (s: Shape) => s[s.length - 1] as number;

function shapePlot(page: Page, cellNumber: number) {
  return output(page, cellNumber).getByRole('region', { name: 'Shape plot' });
}

test.describe('shape plot', () => {
  test('d2l DenseNet: one point per leaf layer, channels rising in every dense block and falling at each transition, as nn.summary says', async ({ page }) => {
    await openNotebook(page, [
      'const dn = nn.d2l.densenet();\nconst plot = nn.shapePlot(dn, [96, 96, 1]);',
      `const rows = nn.summary(dn, [96, 96, 1], { show: false }).rows;
print('DATA ' + JSON.stringify({ points: plot.points, rows: rows.map((r) => ({ path: r.path, className: r.className, isBlock: r.isBlock, input: r.inputShape, output: r.outputShape })) }));`,
    ]);
    await runCell(page, 1);
    const region = shapePlot(page, 1);
    await expect(region).toBeVisible();
    await runCell(page, 2);
    const { points, rows } = parseLine<{ points: Point[]; rows: Array<{ path: string; className: string; isBlock: boolean; input: Shape; output: Shape }> }>(
      await output(page, 2).innerText(),
      'DATA',
    );

    // One point per leaf layer, each the summary's row: path, class, output shape.
    const leaves = rows.filter((r) => !r.isBlock);
    expect(points.map((p) => [p.path, p.className, p.shape])).toEqual(leaves.map((r) => [r.path, r.className, r.output]));
    await expect(region).toHaveAttribute('data-points', String(leaves.length));
    const row = (path: string) => rows.find((r) => r.path === path)!;

    for (const block of [1, 2, 3, 4]) {
      // Inside each dense block the channels carried on rise at every conv block: each is the input the summary
      // gives the next conv block, the last one the block's output.
      const appended = points.filter((p) => p.region === `dense block ${block}` && p.path.endsWith('/conv'));
      expect(appended.length).toBe(4);
      const carried = appended.map((p) => channels(p.carried));
      carried.forEach((c, i) => expect(c).toBeGreaterThan(i === 0 ? channels(row(`dense${block}`).input) : carried[i - 1]));
      appended.slice(0, -1).forEach((p, k) => expect(p.carried).toEqual(row(`dense${block}/denselayer${k + 2}`).input));
      expect(appended.at(-1)!.carried).toEqual(row(`dense${block}`).output);
      if (block < 4) {
        // Each transition halves them.
        const transition = points.filter((p) => p.region === `transition ${block}`);
        expect(channels(transition.at(-1)!.shape)).toBeLessThan(carried.at(-1)!);
        expect(transition.at(-1)!.shape).toEqual(row(`trans${block}`).output);
      }
    }
    await expect(region).toContainText('channels 1 → 248 max → 10');

    // Hovering names a layer with its NHWC and NCHW shapes.
    const chart = region.locator('.u-over');
    const box = (await chart.boundingBox())!;
    await chart.hover({ position: { x: box.width * 0.3, y: box.height / 2 } });
    const readout = region.locator('.shape-plot-readout');
    await expect(readout).toHaveAttribute('data-hovered', /\d+/);
    const hovered = points[Number(await readout.getAttribute('data-hovered'))];
    const [n, h, w, c] = hovered.shape;
    await expect(readout).toContainText(`${hovered.path} (${hovered.className}) · NHWC [${n}, ${h}, ${w}, ${c}] · NCHW [${n}, ${c}, ${h}, ${w}]`);
  });

  test('editing the dense block cell (growth rate 10 → 12) and re-running it updates the same shape plot in place', async ({ page }) => {
    await openNotebook(page, [
      'const block = nn.denseBlock(2, 10);',
      'const live = nn.shapePlot(block, [8, 8, 3]);',
      "print('LAST ' + JSON.stringify({ carried: live.points.at(-1)!.carried }));",
    ]);
    await runCell(page, 1);
    await runCell(page, 2);
    const plot = shapePlot(page, 2);
    await expect(plot).toContainText('channels 3 → 23 max → 23');
    // Tag the drawn element: a remount would lose the tag.
    await plot.evaluate((el) => el.setAttribute('data-e2e-same', 'yes'));
    const canvasBefore = await plot.locator('canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());

    await typeInCell(page, 1, 'const block = nn.denseBlock(2, 12);');
    await runCell(page, 1);
    await expect(plot).toContainText('channels 3 → 27 max → 27');
    await expect(plot).toHaveAttribute('data-e2e-same', 'yes');
    expect(await plot.locator('canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(canvasBefore);
    await runCell(page, 3);
    expect(parseLine<{ carried: Shape }>(await output(page, 3).innerText(), 'LAST').carried).toEqual([1, 8, 8, 27]);

    // Re-running the plot's own cell redraws it in place too.
    await runCell(page, 2);
    await expect(plot).toContainText('channels 3 → 27 max → 27');
    await expect(plot).toHaveAttribute('data-e2e-same', 'yes');

    // Exported for Jupyter as a picture of the chart plus a text table.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export notebook' }).click();
    const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
    const shown = exported.cells[1].outputs.find((o: { data?: Record<string, unknown> }) => o.data?.['application/vnd.convlab.shape-plot+json']);
    expect(Object.keys(shown.data).sort()).toEqual(['application/vnd.convlab.shape-plot+json', 'image/png', 'text/plain']);
    expect(shown.data['text/plain'].join('')).toContain('[1, 8, 8, 12]');
  });
});
