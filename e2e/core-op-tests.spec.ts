// tfjs-core's own op specs (its jasmine tests for conv2d and its gradients, conv2dTranspose, fused conv2d,
// concat and batchNorm) on the webgpu backend with ConvLab's kernels registered over the stock ones, in real
// WebGPU (Chromium + SwiftShader). The page (core-op-tests.html, src/harness/core-op-tests.ts) runs jasmine and
// reports counts, failures and per-kernel call counts; this test requires no failures, a minimum of specs per
// family (so an empty or mis-bundled run cannot pass) and that ConvLab's kernels did the work.
import { expect, test } from '@playwright/test';
import { findChromium, WEBGPU_ARGS } from './chromium';
import type { CoreOpReport } from '../src/harness/core-op-tests';
import type { Family } from '../src/harness/core-ops/specs';


/** Specs that must pass per family: a little under what tfjs-core 4.22's files hold, so dropping a file fails. */
const MIN_PASSED: Record<Family, number> = { 'conv2d forward': 70, 'conv2d gradients': 25, concat: 45, batchnorm: 30 };

/**
 * Per spec file, the ConvLab kernels that must have run (our WGSL, not a fallback) at least once. Not
 * Conv2DBackpropInput: every dx in these files has fewer than 4 channels or is NCHW, which our kernel hands to
 * stock by design, except one conv2dTranspose spec whose dy does not match the convolution's output shape.
 */
const MUST_CALL: Record<string, string[]> = {
  conv2d_test: ['Conv2D', 'Conv2DBackpropFilter'],
  conv2d_transpose_test: ['Conv2D', 'Conv2DBackpropFilter'], // its gradients
  fused_conv2d_test: ['FusedConv2D', 'Conv2DBackpropFilter'],
  concat_test: ['Concat', 'SplitV'], // SplitV: concat's gradient
  batchnorm_test: ['FusedBatchNorm', 'Sum', 'Multiply'], // Sum, Multiply: the statistics in its gradients
};

// Compiling shaders is nearly all this test's time on SwiftShader, and much of it is WebGPU's zero-initialisation of
// workgroup memory: Dawn's disable_workgroup_init skips it, as in gpu-conformance.spec.ts. A kernel that relied on the
// zeroing would read garbage and fail here, so the toggle can only make a bug show, never hide one.
test.use({ launchOptions: { executablePath: findChromium(), args: [...WEBGPU_ARGS, '--enable-dawn-features=disable_workgroup_init'] } });

test('tfjs-core op specs pass on webgpu with ConvLab kernels', async ({ page }) => {
  test.setTimeout(300_000); // 45–55 s on an idle 2-core machine (160 s seen under load): mostly compiling shaders again for each describe block's fresh backend
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/core-op-tests.html');
  const r = await page.evaluate(() => (window as unknown as { coreOpTests: { done: Promise<CoreOpReport> } }).coreOpTests.done);

  const lines = Object.entries(r.files).map(([f, c]) =>
    `  ${f.padEnd(22)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped; calls ${JSON.stringify(c.calls)}` +
    (Object.keys(c.fallbacks).length ? `; fallbacks ${JSON.stringify(c.fallbacks)}` : ''));
  console.log(`core op specs in ${(r.ms / 1000).toFixed(1)} s: ${r.totals.passed} passed, ${r.totals.failed} failed, ${r.totals.skipped} skipped\n` +
    `${lines.join('\n')}\n  families ${JSON.stringify(r.families)}\n  fallback reasons ${JSON.stringify(r.fallbackReasons)}` +
    (r.excluded.length ? `\n  excluded:\n${r.excluded.map((e) => `    ${e.name}: ${e.reason}`).join('\n')}` : ''));

  expect(errors, 'uncaught page errors').toEqual([]);
  expect(r.modeAtStart).toBe('convlab');
  expect(r.failures.map((f) => `${f.name}: ${f.messages.join(' | ')}`)).toEqual([]);
  expect(r.totals.failed).toBe(0);
  expect(r.overallStatus).toBe('passed');
  expect(r.notOnConvLab, 'specs that ran without ConvLab kernels active').toEqual([]);
  expect(r.unusedExclusions, 'exclusions that name no spec').toEqual([]);
  for (const [family, min] of Object.entries(MIN_PASSED) as Array<[Family, number]>) expect(r.families[family]?.passed ?? 0, family).toBeGreaterThanOrEqual(min);
  for (const [file, names] of Object.entries(MUST_CALL)) {
    for (const k of names) expect(r.files[file]?.calls[k] ?? 0, `${file}: ConvLab's ${k} calls`).toBeGreaterThan(0);
  }
});
