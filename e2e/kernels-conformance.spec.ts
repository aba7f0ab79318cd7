// Every ConvLab kernel against the tfjs CPU backend in real WebGPU (Chromium + SwiftShader), forward and
// gradients, on fresh random inputs (seed printed; replay with CONFORMANCE_SEED=<seed>).
// Metric: relative error = max|ours − cpu| / max(max|cpu|, 1e-6) per output tensor, must be < 1e-4.
// Our outputs are pre-filled with NaN (kernels.setPoisonOutputs), so an element a kernel never writes fails.
import { expect, test, type Page } from '@playwright/test';

const SEED = Number(process.env.CONFORMANCE_SEED ?? (Date.now() % 1_000_000));
const TOL = 1e-4;

interface CaseResult { name: string; outputs: Array<{ label: string; relError: number; nan: boolean }>; calls: Record<string, number>; fallbacks: Record<string, number> }

async function open(page: Page) {
  await page.goto('/harness.html');
  const info = await page.evaluate(() => (window as unknown as { harness: { ready: Promise<unknown> } }).harness.ready);
  expect(info).toMatchObject({ backend: 'webgpu', mode: 'convlab' });
}

async function run(page: Page, kind: string, count: number): Promise<CaseResult[]> {
  return page.evaluate(([k, n, s]) => (window as unknown as { harness: { conformance(k: string, n: number, s: number): Promise<CaseResult[]> } }).harness.conformance(k, n, s), [kind, count, SEED] as [string, number, number]);
}

function expectAllPass(results: CaseResult[], mustRun: string[], count: number) {
  expect(results.length).toBe(count);
  const failures: string[] = [];
  for (const r of results) {
    for (const o of r.outputs) {
      if (o.nan || !(o.relError < TOL)) failures.push(`${r.name} [${o.label}] relError=${o.relError}${o.nan ? ' (unwritten NaN)' : ''}`);
    }
    for (const k of mustRun) {
      if (!r.calls[k]) failures.push(`${r.name}: ${k} did not run on our kernel (calls ${JSON.stringify(r.calls)}, fallbacks ${JSON.stringify(r.fallbacks)})`);
      if (r.fallbacks[k]) failures.push(`${r.name}: ${k} fell back to stock`);
    }
  }
  expect(failures, `seed ${SEED}`).toEqual([]);
}

test.describe('ConvLab kernels match the CPU backend', () => {
  test.setTimeout(600_000);
  test.beforeAll(() => console.log(`conformance seed ${SEED}`));

  test('Conv2D forward, Conv2DBackpropInput and Conv2DBackpropFilter (tf.grads), 36 shapes', async ({ page }) => {
    await open(page);
    expectAllPass(await run(page, 'conv', 36), ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'], 36);
  });

  test('FusedConv2D with bias / relu, 30 shapes', async ({ page }) => {
    await open(page);
    expectAllPass(await run(page, 'fused', 30), ['FusedConv2D'], 30);
  });

  test('Concat forward and its gradient (SplitV), 30 input lists incl. more inputs than one dispatch binds', async ({ page }) => {
    await open(page);
    expectAllPass(await run(page, 'concat', 30), ['Concat', 'SplitV'], 30);
  });

  test('Slice as column copies, 30 slices', async ({ page }) => {
    await open(page);
    expectAllPass(await run(page, 'slice', 30), ['Slice'], 30);
  });

  test('denseBlock (shared buffer + recomputation) matches naive concatenation, forward and gradients', async ({ page }) => {
    await open(page);
    expectAllPass(await run(page, 'dense', 6), ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'], 6);
  });
});
