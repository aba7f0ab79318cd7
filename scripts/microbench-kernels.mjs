// Quick variant microbenchmark for WGSL kernel styles on this machine's WebGPU adapter (raw WebGPU, no tfjs),
// used to pick the conv GEMM / copy shapes before writing them into src/gpu/programs. Not part of tests.
// Usage: node scripts/microbench-kernels.mjs [variant-filter]   (MB_PORT, default 4396; MB_REPS, default 3)
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { findChromium, WEBGPU_ARGS } from './chromium.mjs';

const port = Number(process.env.MB_PORT ?? 4396);
const REPS = Number(process.env.MB_REPS ?? 3);
const filter = process.argv[2] ?? '';

const page = `<!doctype html><meta charset="utf-8"><body><script type="module">
${(await import('node:fs')).readFileSync(new URL('./microbench-page.js', import.meta.url), 'utf8')}
</script></body>`;
const server = createServer((req, res) => { res.setHeader('content-type', 'text/html'); res.end(page); });
await new Promise((r) => server.listen(port, 'localhost', r));
const browser = await chromium.launch({ executablePath: findChromium(), args: WEBGPU_ARGS });
try {
  const p = await browser.newPage();
  p.on('console', (m) => console.log(m.text()));
  p.setDefaultTimeout(0);
  await p.addInitScript((v) => { window.CONV_VARIANTS = v; }, process.env.MB_CONV ? JSON.parse(process.env.MB_CONV) : null);
  await p.goto(`http://localhost:${port}/`);
  await p.waitForFunction(() => window.runAll);
  await p.evaluate(([f, reps]) => window.runAll(f, reps), [filter, REPS]);
} finally {
  await browser.close();
  server.close();
}
