// `npm run bench`: ConvLab's WGSL kernels vs tfjs's stock webgpu kernels, in headless Chromium on this machine's
// WebGPU adapter. Builds harness.html alone (the app's build is not needed), serves it with vite preview, and
// writes the "## Kernel layer" section of docs/BENCHMARKS.md. Nothing here is asserted: numbers are reported.
// Knobs: BENCH_REPS (per-kernel runs after warm-up, default 5), BENCH_E2E_BATCH (default 64),
// BENCH_RESNET_BATCH (ResNet-18's end-to-end batch, default BENCH_E2E_BATCH), BENCH_E2E_REPS (default 5),
// BENCH_SKIP_E2E=1, BENCH_PORT (default 4306); BENCH_LESSON=only measures only the Fashion-MNIST lesson CNN's
// train step (ours vs stock interleaved, batch BENCH_E2E_BATCH, BENCH_E2E_REPS steps each), prints it, writes nothing;
// BENCH_LESSON=epoch trains the lesson's full epoch on our kernels (train.fit) and records its test accuracy
// (BENCH_LESSON_LIMIT=n: n images only); BENCH_SWEEP=0 skips the shape sweep, BENCH_SWEEP=only runs only it
// (BENCH_SWEEP_BATCHES, default 64,1,13; BENCH_SWEEP_CALLS, default 3);
// BENCH_OPS=convFwd,concat,… measures only those per-kernel problems (BENCH_MODES=convlab: ours only), prints
// them and writes nothing (for tuning). BENCH_PROFILE=densenet:convlab (or resnet18:stock, fashioncnn:convlab, …) prints where one
// train step's kernel time goes (batch BENCH_E2E_BATCH) and exits. BENCH_STEPS=only times only the d2l DenseNet and
// ResNet-18 train steps (stock and ours, batch BENCH_E2E_BATCH, BENCH_E2E_REPS steps) and records them in their own section.
import { resolve } from 'node:path';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { findChromium, WEBGPU_ARGS } from './chromium.mjs';
import { recordSection } from './bench-report.mjs';
import { shapeSweep } from './bench-sweep.mjs';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.BENCH_PORT ?? 4306);
const outDir = resolve(root, `.build/bench-${port}`);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const E2E_BATCH = Number(process.env.BENCH_E2E_BATCH ?? 64);
const RESNET_BATCH = Number(process.env.BENCH_RESNET_BATCH ?? E2E_BATCH);
const E2E_REPS = Number(process.env.BENCH_E2E_REPS ?? 5);
const e2eBatch = (model) => (model === 'resnet18' ? RESNET_BATCH : E2E_BATCH);
const command = `${Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_')).map(([k, v]) => `${k}=${v} `).join('')}npm run bench`;

/**
 * The table row of fashionStepPair's result: step time stock / ours, speed-up, img/s both sides, and ours as a
 * fraction of the adapter's FMA ceiling (the step's conv and dense FLOPs over its wall time).
 */
const lessonRow = (r) => {
  const stock = median(r.stockMs); const ours = median(r.oursMs);
  const img = (ms) => (E2E_BATCH * 1000) / ms;
  const gflops = r.flops / (ours * 1e6);
  return `| Fashion-MNIST lesson CNN, Adam train step, batch ${E2E_BATCH} (ours and stock interleaved, ${r.oursMs.length} steps each) | ${fmt(stock / 1000, 2)} s | ${fmt(ours / 1000, 2)} s | **${fmt(stock / ours, 2)}×** | ${fmt(img(stock), 1)} → ${fmt(img(ours), 1)} img/s | ${fmt(gflops, 2)} GFLOP/s = ${fmt((100 * gflops) / r.fmaGflops, 1)}% of the FMA ceiling (${fmt(r.fmaGflops, 2)}) |`;
};
const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const log = (...a) => console.log('[bench]', ...a);

await build({ root, configFile: false, logLevel: 'warn', build: { target: 'es2022', outDir, emptyOutDir: true, chunkSizeWarningLimit: 8000, rollupOptions: { input: { harness: resolve(root, 'harness.html') } } } });
const server = await preview({ root, configFile: false, build: { outDir }, preview: { port, strictPort: true, host: 'localhost' } });
const browser = await chromium.launch({ executablePath: findChromium(), args: WEBGPU_ARGS });

/** Median wall time of one model's train step (E2E_REPS steps after a warm-up) in a fresh page, logged. */
async function trainStepMs(model, backend, mode) {
  const t = await inPage(([m, b, k, batch, reps]) => window.harness.bench.trainStep(m, b, k, batch, reps), [model, backend, mode, e2eBatch(model), E2E_REPS]);
  log('train step', model, backend, mode, t);
  return median(t);
}

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
  // `break measure` ends a profile-only run early and still closes the browser and server (finally).
  measure: {
  adapter = await inPage(async () => {
    const d = window.harness.tf.backend().device;
    const info = window.harness.tf.backend().adapterInfo ?? {};
    return `${info.vendor ?? ''} ${info.architecture ?? ''} (maxStorageBuffersPerShaderStage ${d.limits.maxStorageBuffersPerShaderStage})`.trim();
  });
  log('adapter', adapter);
  // A profile or lesson-only run measures one model only: the sweep (which rewrites docs/BENCHMARKS.md) is skipped.
  if (process.env.BENCH_SWEEP !== '0' && !process.env.BENCH_PROFILE && !process.env.BENCH_STEPS && !['only', 'epoch'].includes(process.env.BENCH_LESSON)) {
    // One page for the whole sweep: each shader compiles once for both sides.
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    await page.goto(`http://localhost:${port}/harness.html`);
    await page.evaluate(() => window.harness.ready);
    const batches = (process.env.BENCH_SWEEP_BATCHES ?? '64,1,13').split(',').map(Number);
    const sweep = await shapeSweep(page, { batches, calls: Number(process.env.BENCH_SWEEP_CALLS ?? 3), rounds: Math.max(1, Math.min(REPS, 3)), log });
    await page.close();
    recordSection('Shape sweep', `Command: \`${command}\` (adapter: ${adapter}).\n\n${sweep}`);
    log('wrote the shape sweep to docs/BENCHMARKS.md');
    if (process.env.BENCH_SWEEP === 'only') break measure;
  }
  if (process.env.BENCH_LESSON === 'epoch') {
    // One full epoch of the Fashion-MNIST lesson (train.fit, batch 64, Adam 0.002) on our kernels, then its test
    // accuracy on all 10,000 images; BENCH_LESSON_LIMIT shortens it. Recorded in its own section.
    const limit = process.env.BENCH_LESSON_LIMIT ? Number(process.env.BENCH_LESSON_LIMIT) : undefined;
    const r = await inPage((l) => window.harness.bench.fashionEpoch({ limit: l }), limit);
    log('lesson epoch', r);
    recordSection('Training: Fashion-MNIST lesson CNN, one epoch', `Command: \`${command}\` (adapter: ${adapter}).
train.fit with the lesson's settings (its CNN, batch 64, Adam lr 0.002, no live plot) on our kernels in the harness page: one epoch of
${r.trainCount.toLocaleString('en')} training images in ${r.steps} steps (the first ones include compiling the pipelines), then train.evaluate on ${r.testCount.toLocaleString('en')} test images.

| steps | train time | img/s (train.fit, end to end) | last batch loss | train accuracy | test accuracy | target |
|---|---|---|---|---|---|---|
| ${r.steps} | ${fmt(r.trainSeconds, 0)} s | ${fmt(r.imagesPerSecond, 1)} | ${fmt(r.lastLoss, 3)} | ${fmt(r.trainAccuracy, 4)} | **${fmt(r.testAccuracy, 4)}** | ≥ 0.88 after one epoch, ≥ 300 img/s |`);
    break measure;
  }
  if (process.env.BENCH_STEPS === 'only') {
    // d2l DenseNet and ResNet-18 train steps alone, stock then ours, each in a fresh page, at BENCH_E2E_BATCH: the
    // full run's end-to-end rows without its minutes of per-kernel problems. Recorded in its own section.
    const steps = [];
    for (const model of ['densenet', 'resnet18']) {
      const ms = {};
      for (const mode of ['stock', 'convlab']) {
        ms[mode] = await trainStepMs(model, 'webgpu', mode);
      }
      steps.push(`| d2l ${model === 'densenet' ? 'DenseNet' : 'ResNet-18'} SGD train step, 28 px, batch ${e2eBatch(model)} | ${fmt(ms.stock / 1000, 2)} s | ${fmt(ms.convlab / 1000, 2)} s | **${fmt(ms.stock / ms.convlab, 2)}×** | ≥ 15× |`);
    }
    recordSection('Training steps: d2l DenseNet and ResNet-18', `Command: \`${command}\` (adapter: ${adapter}).
Wall time around an awaited read of the loss, median of ${E2E_REPS} step(s) after a warm-up in tfjs's compile-only mode (which
compiles every pipeline and runs nothing); stock webgpu and ConvLab each in a fresh page, one after the other. The models are
the harness's (src/harness/models.ts): d2l's architectures with a 3×3 stem for 28-px images.

| model, step | stock webgpu | ConvLab | speed-up | target |
|---|---|---|---|---|
${steps.join('\n')}`);
    break measure;
  }
  if (process.env.BENCH_LESSON === 'only') {
    // The Fashion-MNIST lesson CNN's train step alone, ours vs stock interleaved: printed, nothing written.
    log(lessonRow(await inPage(([b, r]) => window.harness.bench.fashionStepPair(b, r), [E2E_BATCH, E2E_REPS])));
    break measure;
  }
  if (process.env.BENCH_PROFILE) {
    const [model, mode] = process.env.BENCH_PROFILE.split(':');
    const prof = await inPage(([m, k, b]) => window.harness.bench.profileStep(m, k, b), [model, mode ?? 'convlab', E2E_BATCH]);
    const total = prof.reduce((a, p) => a + p.ms, 0);
    log(`profile ${model} ${mode} batch ${E2E_BATCH}: ${fmt(total)} ms kernel time, ${prof.reduce((a, p) => a + p.calls, 0)} dispatching kernels`);
    for (const p of prof.slice(0, 25)) log(`  ${p.kernel.padEnd(28)} ${fmt(p.ms).padStart(9)} ms ${fmt((100 * p.ms) / total, 1).padStart(5)}%  ${p.calls} calls`);
    break measure;
  }
  const copy = await inPage((reps) => window.harness.bench.copyCeiling(64, reps), REPS);
  const copyGBps = median(copy);
  log('copy ceiling GB/s', copyGBps);

  const only = process.env.BENCH_OPS?.split(',').filter(Boolean);
  const ops = only ?? ['gemm', 'convFwd', 'convBackpropInput', 'convBackpropFilter', 'concat', 'denseConcat', 'groupedConv', 'groupedConvGrads', 'bnStats', 'bnTrain'];
  const results = {};
  for (const op of ops) {
    const modes = process.env.BENCH_MODES?.split(',') ?? ['stock', 'convlab'];
    for (const mode of op === 'gemm' ? ['convlab'] : modes) {
      const r = await inPage(([o, m, n]) => window.harness.bench.op(o, m, n), [op, mode, REPS]);
      results[`${op}/${mode}`] = { ms: median(r.kernelMs), wall: median(r.wallMs), bytes: r.bytes, flops: r.flops };
      log(op, mode, results[`${op}/${mode}`]);
    }
  }
  if (only) {
    for (const op of ops.filter((o) => o !== 'gemm')) {
      const o = results[`${op}/convlab`];
      log(op, `ours ${fmt(o.ms)} ms`, o.flops ? `${fmt(o.flops / (o.ms * 1e6), 2)} GFLOP/s` : `${fmt(o.bytes / (o.ms * 1e6), 2)} GB/s`,
        results[`${op}/stock`] ? `speed-up ${fmt(results[`${op}/stock`].ms / o.ms, 2)}×` : '');
    }
    process.exitCode = 0;
  } else {
  const gemm = results['gemm/convlab'];
  const gemmGflops = gemm.flops / (gemm.ms * 1e6);
  const bestGflops = Math.max(gemmGflops, ...['convFwd', 'convBackpropInput', 'convBackpropFilter'].map((o) => results[`${o}/convlab`].flops / (results[`${o}/convlab`].ms * 1e6)));

  const labels = {
    convFwd: 'conv 3×3 forward x=[8,28,28,64] w=[3,3,64,64]',
    convBackpropInput: 'Conv2DBackpropInput, same shapes',
    convBackpropFilter: 'Conv2DBackpropFilter, same shapes',
    concat: 'concat 8 × [64,14,14,32] on channels',
    denseConcat: 'dense-block pattern x = concat([x, y]) × 8, x0/y [64,14,14,32]',
    groupedConv: 'grouped conv 3×3 (ResNeXt), x=[8,28,28,64], 16 groups of 4 → 64; stock = split → conv → concat',
    groupedConvGrads: 'grouped conv, same shapes, forward + dx + dkernel',
    bnStats: 'BatchNorm statistics: tf.moments over [0,1,2] of x=[8,28,28,64] + its gradient (GB/s = passes over x)',
    bnTrain: 'training BatchNorm forward + backward (y, dx, dgamma, dbeta), x=[64,14,14,64]: fused vs stock\'s ops (GB/s = passes over x)',
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
  // Ours with the GPU layer's pool trimming on (src/gpu/memory: at each step's end the pool is cut to ≤ 1.2× the
  // step's peak); stock as tfjs is. The trimming's cost: ours with it off vs on, interleaved in one page.
  const dbOurs = await inPage(([n]) => window.harness.bench.denseBlockStep('convlab', 12, n, true), [Math.min(REPS, 3)]);
  const dbTrim = await inPage(([n]) => window.harness.bench.denseBlockTrimCost(12, 4, n), [Math.min(REPS, 3)]);
  log('dense block', dbStock, dbOurs, dbTrim);
  rows.push(`| 12-layer dense block train step (relu→conv3×3, k=16, x0 [2,14,14,16]) | ${fmt(median(dbStock.wallMs))} ms | ${fmt(median(dbOurs.wallMs))} ms | **${fmt(median(dbStock.wallMs) / median(dbOurs.wallMs), 2)}×** | wall time | |`);
  // Two peaks: bytes held by live tensors at the step's high-water mark (what the computation needs), and the
  // size of tfjs's buffer pool afterwards (what the page holds: freed buffers are pooled by exact size, never freed).
  const mem = [
    `| 12-layer dense block, peak GPU bytes held by tensors (high-water of bufferManager.numBytesUsed) | ${fmt(dbStock.peakLiveBytes / 2 ** 20, 2)} MiB | ${fmt(dbOurs.peakLiveBytes / 2 ** 20, 2)} MiB | **${fmt(dbOurs.peakLiveBytes / dbStock.peakLiveBytes, 2)}× of stock** | | |`,
    `| 12-layer dense block, tfjs buffer pool after the steps (numBytesAllocatedInGPU; ConvLab trims it at each step's end) | ${fmt(dbStock.peakBytes / 2 ** 20, 2)} MiB | ${fmt(dbOurs.peakBytes / 2 ** 20, 2)} MiB | **${fmt(dbOurs.peakBytes / dbStock.peakBytes, 2)}× of stock** | pool ÷ peak held: ${fmt(dbStock.poolToPeak, 2)} → ${fmt(dbOurs.poolToPeak, 2)} | |`,
    `| 12-layer dense block train step on our kernels, pool trimming off → on (interleaved, ${dbTrim.offMs.length} steps each) | off: ${fmt(median(dbTrim.offMs))} ms | on: ${fmt(median(dbTrim.onMs))} ms | **${fmt(median(dbTrim.offMs) / median(dbTrim.onMs), 2)}×** | pool ÷ peak held: ${fmt(dbTrim.offPoolToPeak, 2)} → ${fmt(dbTrim.onPoolToPeak, 2)} | |`,
  ].join('\n');

  const e2e = [];
  let lesson = null;
  if (!process.env.BENCH_SKIP_E2E) {
    lesson = lessonRow(await inPage(([b, r]) => window.harness.bench.fashionStepPair(b, r), [E2E_BATCH, E2E_REPS]));
    log(lesson);
    for (const [model, backend, mode] of [['densenet', 'webgpu', 'stock'], ['densenet', 'webgpu', 'convlab'], ['densenet', 'webgl', 'stock'], ['resnet18', 'webgpu', 'stock'], ['resnet18', 'webgpu', 'convlab']]) {
      e2e.push({ model, backend, mode, ms: await trainStepMs(model, backend, mode) });
    }
  }
  const e2eRow = (model) => {
    const g = (b, m) => e2e.find((e) => e.model === model && e.backend === b && e.mode === m)?.ms ?? NaN;
    const stock = g('webgpu', 'stock'); const ours = g('webgpu', 'convlab'); const webgl = g('webgl', 'stock');
    return `| d2l ${model === 'densenet' ? 'DenseNet' : 'ResNet-18'} SGD train step, 28 px, batch ${e2eBatch(model)} | ${fmt(stock / 1000, 2)} s | ${fmt(ours / 1000, 2)} s | **${fmt(stock / ours, 2)}×** | webgl: ${model === 'densenet' ? `${fmt(webgl / 1000, 2)} s (webgl time ÷ ours = ${fmt(webgl / ours, 2)}; above 1 means ours is faster)` : 'not run'} | |`;
  };

  const body = `Command: \`${command}\` (adapter: ${adapter}; Chromium headless, SwiftShader: absolute times say nothing about a real GPU, compare ratios within this run).
Per-kernel times are **GPU timestamp queries** (tf.time → kernelMs, summed over an op's dispatches), medians of ${REPS} runs after one warm-up;
dense-block and end-to-end steps are **wall time around an awaited read** of the loss, medians of ${Math.min(REPS, 3)} (dense block, after one warm-up step) and ${E2E_REPS} (end to end; warm-up: on webgpu one step in tfjs's compile-only mode, which compiles every pipeline and runs nothing, on webgl one real step).
Two cores emulate the GPU; expect single numbers to vary by up to ±30% between runs, more if anything else runs meanwhile.

Ceilings measured in the same run: raw GPUCommandEncoder buffer copy (64 MiB) **${fmt(copyGBps, 2)} GB/s** (read+write bytes);
our implicit GEMM as a 1×1 conv matmul (M=1024, N=512, K=512) **${fmt(gemmGflops, 2)} GFLOP/s**; best GFLOP/s any of our conv GEMMs reached **${fmt(bestGflops, 2)}**.

| problem (NHWC) | stock webgpu | ConvLab | speed-up | throughput stock → ours | fraction of ceiling |
|---|---|---|---|---|---|
${rows.join('\n')}
${mem}
${e2e.length ? `${e2eRow('densenet')}\n${e2eRow('resnet18')}\n${lesson}` : '| end-to-end train steps | skipped (BENCH_SKIP_E2E) | | | | |'}

Targets from the brief (reported, not asserted): concat ≥20× stock; conv forward ≥5×; filter gradient ≥10×; DenseNet step ≥5× stock webgpu and faster than webgl; dense-block peak memory ≤ half of stock; fused BatchNorm forward+backward ≥5× stock's ops; buffer pool after a step ≤ 1.2× the step's peak held by tensors.

How the kernels are built, and what limits the numbers above: the section "Kernel layer: design and limits" below (written by hand from the profiles it names; this script does not rewrite it).`;
  recordSection('Kernel layer', body);
  log('wrote docs/BENCHMARKS.md');
  console.log(body);
  }
  }
} finally {
  await browser.close();
  await server.close();
}
