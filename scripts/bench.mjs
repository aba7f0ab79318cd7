// `npm run bench`: ConvLab's WGSL kernels vs tfjs's stock webgpu kernels, in headless Chromium on this machine's
// WebGPU adapter. Builds harness.html alone (the app's build is not needed), serves it with vite preview, and
// writes the "## Kernel layer" section of docs/BENCHMARKS.md. Nothing here is asserted: numbers are reported.
// Knobs: BENCH_REPS (per-kernel runs after warm-up, default 5), BENCH_E2E_BATCH (default 64),
// BENCH_E2E_REPS (default 1), BENCH_SKIP_E2E=1, BENCH_PORT (default 4306).
import { resolve } from 'node:path';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { findChromium, WEBGPU_ARGS } from './chromium.mjs';
import { recordSection } from './bench-report.mjs';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.BENCH_PORT ?? 4306);
const outDir = resolve(root, `.build/bench-${port}`);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const E2E_BATCH = Number(process.env.BENCH_E2E_BATCH ?? 64);
const E2E_REPS = Number(process.env.BENCH_E2E_REPS ?? 1);
const command = `${Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_')).map(([k, v]) => `${k}=${v} `).join('')}npm run bench`;

const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const log = (...a) => console.log('[bench]', ...a);

await build({ root, configFile: false, logLevel: 'warn', build: { target: 'es2022', outDir, emptyOutDir: true, chunkSizeWarningLimit: 8000, rollupOptions: { input: { harness: resolve(root, 'harness.html') } } } });
const server = await preview({ root, configFile: false, build: { outDir }, preview: { port, strictPort: true, host: 'localhost' } });
const browser = await chromium.launch({ executablePath: findChromium(), args: WEBGPU_ARGS });

/** Each measurement in a fresh page: the webgpu buffer pool never shrinks, so peaks and timings stay separate. */
async function inPage(expr, arg) {
  const page = await browser.newPage();
  page.setDefaultTimeout(0);
  try {
    await page.goto(`http://localhost:${port}/harness.html`);
    await page.evaluate(() => window.harness.ready);
    return await page.evaluate(expr, arg);
  } finally {
    await page.close();
  }
}

const rows = [];
let adapter = '';
try {
  adapter = await inPage(async () => {
    const d = window.harness.tf.backend().device;
    const info = window.harness.tf.backend().adapterInfo ?? {};
    return `${info.vendor ?? ''} ${info.architecture ?? ''} (maxStorageBuffersPerShaderStage ${d.limits.maxStorageBuffersPerShaderStage})`.trim();
  });
  log('adapter', adapter);
  const copy = await inPage((reps) => window.harness.bench.copyCeiling(64, reps), REPS);
  const copyGBps = median(copy);
  log('copy ceiling GB/s', copyGBps);

  const ops = ['gemm', 'convFwd', 'convBackpropInput', 'convBackpropFilter', 'concat', 'denseConcat'];
  const results = {};
  for (const op of ops) {
    for (const mode of op === 'gemm' ? ['convlab'] : ['stock', 'convlab']) {
      const r = await inPage(([o, m, n]) => window.harness.bench.op(o, m, n), [op, mode, REPS]);
      results[`${op}/${mode}`] = { ms: median(r.kernelMs), wall: median(r.wallMs), bytes: r.bytes, flops: r.flops };
      log(op, mode, results[`${op}/${mode}`]);
    }
  }
  const gemm = results['gemm/convlab'];
  const gemmGflops = gemm.flops / (gemm.ms * 1e6);
  const bestGflops = Math.max(gemmGflops, ...['convFwd', 'convBackpropInput', 'convBackpropFilter'].map((o) => results[`${o}/convlab`].flops / (results[`${o}/convlab`].ms * 1e6)));

  const labels = {
    convFwd: 'conv 3×3 forward x=[8,28,28,64] w=[3,3,64,64]',
    convBackpropInput: 'Conv2DBackpropInput, same shapes',
    convBackpropFilter: 'Conv2DBackpropFilter, same shapes',
    concat: 'concat 8 × [64,14,14,32] on channels',
    denseConcat: 'dense-block pattern x = concat([x, y]) × 8, x0/y [64,14,14,32]',
  };
  for (const op of Object.keys(labels)) {
    const s = results[`${op}/stock`]; const o = results[`${op}/convlab`];
    const rate = (r) => (r.flops ? r.flops / (r.ms * 1e6) : r.bytes / (r.ms * 1e6));
    const unit = o.flops ? 'GFLOP/s' : 'GB/s';
    const ceiling = o.flops ? bestGflops : copyGBps;
    rows.push(`| ${labels[op]} | ${fmt(s.ms)} ms | ${fmt(o.ms)} ms | **${fmt(s.ms / o.ms, 2)}×** | ${fmt(rate(s), 2)} → ${fmt(rate(o), 2)} ${unit} | ${fmt((100 * rate(o)) / ceiling, 0)}% of ${o.flops ? 'best GEMM' : 'copy'} |`);
  }

  // Dense block: a 12-layer relu→conv3×3 block (growth 16, x0 [2,14,14,16]), one SGD step, naive concat on stock
  // kernels vs kernels.denseBlock on ours; peak = numBytesAllocatedInGPU after the steps, fresh page each.
  const dbStock = await inPage(([n]) => window.harness.bench.denseBlockStep('stock', 12, n), [Math.min(REPS, 3)]);
  const dbOurs = await inPage(([n]) => window.harness.bench.denseBlockStep('convlab', 12, n), [Math.min(REPS, 3)]);
  log('dense block', dbStock, dbOurs);
  rows.push(`| 12-layer dense block train step (relu→conv3×3, k=16, x0 [2,14,14,16]) | ${fmt(median(dbStock.wallMs))} ms | ${fmt(median(dbOurs.wallMs))} ms | **${fmt(median(dbStock.wallMs) / median(dbOurs.wallMs), 2)}×** | wall time | |`);
  const mem = `| 12-layer dense block, peak GPU bytes (numBytesAllocatedInGPU) | ${fmt(dbStock.peakBytes / 2 ** 20)} MiB | ${fmt(dbOurs.peakBytes / 2 ** 20)} MiB | **${fmt(dbOurs.peakBytes / dbStock.peakBytes, 2)}× of stock** | | |`;

  const e2e = [];
  if (!process.env.BENCH_SKIP_E2E) {
    for (const [model, backend, mode] of [['densenet', 'webgpu', 'stock'], ['densenet', 'webgpu', 'convlab'], ['densenet', 'webgl', 'stock'], ['resnet18', 'webgpu', 'stock'], ['resnet18', 'webgpu', 'convlab']]) {
      const t = await inPage(([m, b, k, batch, reps]) => window.harness.bench.trainStep(m, b, k, batch, reps), [model, backend, mode, E2E_BATCH, E2E_REPS]);
      e2e.push({ model, backend, mode, ms: median(t) });
      log('train step', model, backend, mode, t);
    }
  }
  const e2eRow = (model) => {
    const g = (b, m) => e2e.find((e) => e.model === model && e.backend === b && e.mode === m)?.ms ?? NaN;
    const stock = g('webgpu', 'stock'); const ours = g('webgpu', 'convlab'); const webgl = g('webgl', 'stock');
    return `| d2l ${model === 'densenet' ? 'DenseNet' : 'ResNet-18'} SGD train step, 28 px, batch ${E2E_BATCH} | ${fmt(stock / 1000, 2)} s | ${fmt(ours / 1000, 2)} s | **${fmt(stock / ours, 2)}×** | webgl: ${model === 'densenet' ? `${fmt(webgl / 1000, 2)} s (webgl time ÷ ours = ${fmt(webgl / ours, 2)}; above 1 means ours is faster)` : 'not run'} | |`;
  };

  const body = `Command: \`${command}\` (adapter: ${adapter}; Chromium headless, SwiftShader: absolute times say nothing about a real GPU, compare ratios within this run).
Per-kernel times are **GPU timestamp queries** (tf.time → kernelMs, summed over an op's dispatches), medians of ${REPS} runs after one warm-up;
dense-block and end-to-end steps are **wall time around an awaited read** of the loss, medians of ${Math.min(REPS, 3)} (dense block) and ${E2E_REPS} (end to end, after one warm-up step: each takes minutes here).
The machine is shared (2 cores, other jobs running), so expect noise of ±30% on any single number.

Ceilings measured in the same run: raw GPUCommandEncoder buffer copy (64 MiB) **${fmt(copyGBps, 2)} GB/s** (read+write bytes);
our implicit GEMM as a 1×1 conv matmul (M=1024, N=512, K=512) **${fmt(gemmGflops, 2)} GFLOP/s**; best GFLOP/s any of our conv GEMMs reached **${fmt(bestGflops, 2)}**.

| problem (NHWC) | stock webgpu | ConvLab | speed-up | throughput stock → ours | fraction of ceiling |
|---|---|---|---|---|---|
${rows.join('\n')}
${mem}
${e2e.length ? `${e2eRow('densenet')}\n${e2eRow('resnet18')}` : '| end-to-end train steps | skipped (BENCH_SKIP_E2E) | | | | |'}

Targets from the brief (reported, not asserted): concat ≥20× stock; conv forward ≥5×; filter gradient ≥10×; DenseNet step ≥5× stock webgpu and faster than webgl; dense-block peak memory ≤ half of stock.`;
  recordSection('Kernel layer', body);
  log('wrote docs/BENCHMARKS.md');
  console.log(body);
} finally {
  await browser.close();
  await server.close();
}
