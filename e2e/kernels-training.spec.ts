// Training a small DenseNet (2 dense blocks × 3 layers, growth 8, 28 px, batch 8, SGD) for 20 steps gives the
// same loss curve with our kernels and with tfjs's stock webgpu kernels: same initial weights, same batches,
// losses within 1e-3 relative at every step.
import { expect, test } from '@playwright/test';

test('DenseNet losses with ConvLab kernels match stock kernels step by step', async ({ page }) => {
  test.setTimeout(1_500_000);
  await page.goto('/harness.html');
  await page.evaluate(() => (window as unknown as { harness: { ready: Promise<unknown> } }).harness.ready);
  const r = await page.evaluate(() => (window as unknown as {
    harness: { trainingRun(o: { steps: number; batch: number; seed: number }): Promise<{ convlab: number[]; stock: number[]; stats: Record<string, { calls: number; fallbacks: number }> }> };
  }).harness.trainingRun({ steps: 20, batch: 8, seed: 11 }));
  expect(r.convlab).toHaveLength(20);
  expect(r.stock).toHaveLength(20);
  // Our kernels really ran: every conv direction and the concat went through them.
  for (const k of ['FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'Concat']) {
    expect(r.stats[k]?.calls ?? 0, k).toBeGreaterThan(0);
  }
  const mismatches = r.convlab
    .map((a, i) => ({ step: i, ours: a, stock: r.stock[i], rel: Math.abs(a - r.stock[i]) / Math.max(Math.abs(r.stock[i]), 1e-6) }))
    .filter((m) => !(m.rel < 1e-3));
  expect(mismatches).toEqual([]);
  // The run trained (loss moved), so equality is not two constant curves.
  expect(new Set(r.convlab.map((l) => l.toFixed(6))).size).toBeGreaterThan(1);
});
