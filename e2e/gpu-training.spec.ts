// Training a small DenseNet — nn.d2l.densenet at 28×28×1 with 2 dense blocks × 3 layers, growth 8, 16 stem
// channels; batch 8, SGD — for 20 steps gives the same loss curve with the kernel layer on (our WGSL kernels,
// nn's DenseBlocks on the shared buffer with recomputation) and off (tfjs's stock webgpu kernels, plain
// concatenation): same initial weights, same batches, losses within 1e-3 relative at every step.
// The browser runs with Dawn's disable_workgroup_init toggle, as in kernels-conformance.spec.ts (why: there):
// it only shortens shader compilation, for both sides of the comparison alike.
import { expect, test } from '@playwright/test';
import { findChromium, WEBGPU_ARGS } from './chromium';

test.use({ launchOptions: { executablePath: findChromium(), args: [...WEBGPU_ARGS, '--enable-dawn-features=disable_workgroup_init'] } });

interface Run {
  convlab: number[];
  stock: number[];
  stats: Record<string, { calls: number; fallbacks: number; lastFallback?: string }>;
  ms: Record<string, number[]>;
  warmUp: Record<string, { pipelines: number; ms: number }>;
}

test('DenseNet losses with the kernel layer on match the layer off, step by step', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/harness.html');
  await page.evaluate(() => (window as unknown as { harness: { ready: Promise<unknown> } }).harness.ready);
  const steps = 20;
  const r = await page.evaluate((n) => (window as unknown as {
    harness: { trainingRun(o: { steps: number; batch: number; seed: number }): Promise<Run> };
  }).harness.trainingRun({ steps: n, batch: 8, seed: 11 }), steps);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const s = (ms: number[] | number) => `${((Array.isArray(ms) ? sum(ms) : ms) / 1000).toFixed(1)} s`;
  console.log(`layer on: compile ${s(r.warmUp.convlab.ms)}, ${steps} steps ${s(r.ms.convlab)}; ` +
    `layer off: compile ${s(r.warmUp.stock.ms)}, ${steps} steps ${s(r.ms.stock)}`);
  console.log(`losses on : ${r.convlab.map((l) => l.toFixed(5)).join(' ')}\nlosses off: ${r.stock.map((l) => l.toFixed(5)).join(' ')}`);
  console.log(`kernel calls with the layer on: ${JSON.stringify(r.stats)}`);
  expect(r.convlab).toHaveLength(steps);
  expect(r.stock).toHaveLength(steps);
  // The layer really ran: every conv direction on our kernels, and both dense blocks on the buffer path in
  // every step (one forward each; backward recomputes inside the op).
  for (const k of ['FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'Slice']) {
    expect(r.stats[k]?.calls ?? 0, k).toBeGreaterThan(0);
    // The by-design fallbacks, per step: the 1-channel input gradient of the stem conv (stock is faster for dx
    // with < 4 channels, see kernels/conv.ts), and the gradient of the padding layer before the stem's max-pool
    // (PyTorch-style symmetric padding), a spatial crop that the column-copy Slice kernel does not do; the conv's
    // padding sits on the input image, which needs no gradient. Nothing else may fall back.
    const expected = { Conv2DBackpropInput: steps, Slice: steps }[k] ?? 0;
    expect(r.stats[k]?.fallbacks ?? 0, `${k} fallbacks (${r.stats[k]?.lastFallback})`).toBe(expected);
    if (expected) expect(r.stats[k].lastFallback).toMatch(k === 'Slice' ? /strided slice/ : /fewer than 4 input channels/);
  }
  expect(r.stats.denseBlock?.calls, 'dense blocks on the buffer path').toBe(2 * steps);
  const mismatches = r.convlab
    .map((a, i) => ({ step: i, on: a, off: r.stock[i], rel: Math.abs(a - r.stock[i]) / Math.max(Math.abs(r.stock[i]), 1e-6) }))
    .filter((m) => !(m.rel < 1e-3));
  expect(mismatches).toEqual([]);
  // The run trained (loss moved), so equality is not two constant curves.
  expect(new Set(r.convlab.map((l) => l.toFixed(4))).size).toBeGreaterThan(5);
});
