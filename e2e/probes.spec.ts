// Training probes on real WebGPU: train.fit(…, { probes: true }) on a two-block residual model records one
// gradient-norm series per block, and its plot grows while the cell is still running (sampled on the page, beside
// the cell's count of finished runs), not only when training ends. The loss curve has the model's shape strip beside it.
import { expect, test } from '@playwright/test';
import { REAL_FASHION_DATA, serveFashionFixture } from './helpers/fashion-fixture';
import { cell, openNotebook, output, runCell, startCell, waitForRunEnd } from './helpers/notebook';

const FIXTURE_URL = '/e2e-fixtures/fashion-mini/';
const STEPS = 6;

const loadCell = `const ds = await data.fashionMnist({ limit: { train: 64, test: 16 }${REAL_FASHION_DATA ? '' : `, baseUrl: '${FIXTURE_URL}'`} });`;

const modelCell = `const model = tf.sequential({ layers: [
  tf.layers.conv2d({ name: 'stem', inputShape: [28, 28, 1], filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
  nn.basicBlock({ name: 'block1', filters: 8 }),
  nn.basicBlock({ name: 'block2', filters: 8, strides: 2 }),
  tf.layers.globalAveragePooling2d({}),
  tf.layers.dense({ name: 'fc', units: 10 }),
] });`;

// The pause after each batch outlasts the live plot's 100 ms throttle, so on a fast GPU too every step reaches the
// page on its own rather than all at the end.
const fitCell = `const h = await train.fit(model, ds, { batchSize: 8, maxSteps: ${STEPS}, evaluateEachEpoch: false, probes: true, onBatch: () => sleep(150) });
const p = h.probes!;
console.log('PROBES ' + JSON.stringify({
  blocks: p.blocks, groups: p.groups,
  lengths: p.blocks.map((b) => p.gradNorms[b].length),
  positive: p.groups.every((g) => p.gradNorms[g].every((v) => Number.isFinite(v) && v > 0)),
}));`;

test('train.fit with probes records one gradient-norm series per block, drawn live while training runs', async ({ page }) => {
  test.setTimeout(300_000);
  await serveFashionFixture(page, `**${FIXTURE_URL}*`);
  await openNotebook(page, [loadCell, modelCell, fitCell]);
  await runCell(page, 1);
  await runCell(page, 2);

  // Sample the probe plot's point count and the cell's finished runs every few ms while the fit cell runs.
  await page.evaluate(() => {
    const samples: Array<{ points: number; finished: string | null }> = [];
    (window as unknown as { probeSamples: typeof samples }).probeSamples = samples;
    const timer = setInterval(() => {
      const plot = document.querySelector('[aria-label="Output of cell 3"] [aria-label="Plot: Gradient norm per block"]');
      const finished = document.querySelector('[aria-label="Cell 3"]')?.getAttribute('data-finished-runs') ?? null;
      if (plot) samples.push({ points: Number(plot.getAttribute('data-points')), finished });
      if (samples.length > 20_000) clearInterval(timer);
    }, 10);
  });
  const before = await startCell(page, 3);
  await waitForRunEnd(page, 3, before, 240_000);

  const text = await output(page, 3).innerText();
  expect(text).not.toContain('GPU error');
  const line = text.match(/PROBES (\{.*\})/);
  expect(line, text.slice(0, 500)).not.toBeNull();
  const probes = JSON.parse(line![1]) as { blocks: string[]; groups: string[]; lengths: number[]; positive: boolean };
  expect(probes.blocks).toEqual(['block1', 'block2']);
  expect(probes.groups).toEqual(['stem', 'block1', 'block2', 'fc']);
  expect(probes.lengths).toEqual([STEPS, STEPS]);
  expect(probes.positive).toBe(true);

  const plot = output(page, 3).getByRole('img', { name: 'Plot: Gradient norm per block' });
  await expect(plot).toHaveAttribute('data-points', String(STEPS));
  const samples = await page.evaluate(() => (window as unknown as { probeSamples: Array<{ points: number; finished: string | null }> }).probeSamples);
  const whileRunning = samples.filter((s) => s.finished === String(before)).map((s) => s.points);
  // Live: while the cell was still running, the plot already held some of the steps, and more later.
  expect(whileRunning.some((n) => n > 0 && n < STEPS), `points seen while running: ${[...new Set(whileRunning)].join(', ')}`).toBe(true);
  expect(new Set(whileRunning.filter((n) => n > 0)).size).toBeGreaterThan(1);

  // Beside the loss curve: the model's channels per layer.
  await expect(output(page, 3).getByRole('img', { name: 'Plot: Training' })).toBeVisible();
  await expect(output(page, 3).getByRole('region', { name: 'Shape strip' }).locator('canvas')).toBeVisible();
  await expect(cell(page, 3)).toHaveAttribute('data-finished-runs', String(before + 1));
});
