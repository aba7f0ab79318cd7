// Start-up benchmark (issue: page load → interactive notebook < 1.5 s, → first cell's result < 3 s).
// Measured in this machine's headless Chromium against the production build; never asserted in tests.
import { chromium } from '@playwright/test';
import { serveBuilt } from './serve-built.mjs';
import { recordSection } from './bench-report.mjs';
import { findChromium, WEBGPU_ARGS } from './chromium.mjs';

const RUNS = Number(process.env.RUNS ?? 5);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const server = await serveBuilt({ port: 4398 });
const browser = await chromium.launch({ executablePath: findChromium(), args: WEBGPU_ARGS });
const interactive = [], firstResult = [], textShown = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(); // cold cache each run: what a first visit costs
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(server.url + '/#/lesson/welcome');
    await page.getByRole('region', { name: 'Cell 1', exact: true }).waitFor();
    textShown.push(Date.now() - t0);
    // The welcome lesson opens with text: its first code cell is the one a learner runs first.
    const codeCell = page.locator('section.cell-code').first();
    await codeCell.getByRole('button', { name: 'Run cell' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-kernel-state="idle"]') !== null, null, { timeout: 60_000 });
    interactive.push(Date.now() - t0);
    // Run it and wait for any output.
    await codeCell.getByRole('button', { name: 'Run cell' }).click();
    await codeCell.locator('.output-area .output').first().waitFor({ timeout: 60_000 });
    firstResult.push(Date.now() - t0);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const rows = [
  ['lesson text shown', median(textShown)],
  ['interactive (kernel idle, Run enabled)', median(interactive)],
  ['first code cell result', median(firstResult)],
];
console.table(rows);
recordSection('Start-up', [
  `Command: \`npm run bench:startup\` (RUNS=${RUNS}, cold browser context per run, production build via vite preview).`,
  '',
  '| milestone | median ms | target |',
  '|---|---|---|',
  `| ${rows[0][0]} | ${rows[0][1]} | — |`,
  `| ${rows[1][0]} | ${rows[1][1]} | < 1500 |`,
  `| ${rows[2][0]} | ${rows[2][1]} | < 3000 |`,
  '',
  'What the time goes to here (2-core machine, SwiftShader): the 0.63 MB entry chunk (React, marked, KaTeX, DOMPurify)',
  'takes about 0.45 s of main-thread parse and run before the lesson chunk is even requested; the kernel reaches idle',
  'only after the worker has loaded TensorFlow.js (~2 MB) and created the WebGPU device on SwiftShader. Monaco loads',
  'after the lesson text is shown, so it no longer delays reading. Next steps: load KaTeX only for cells with math,',
  'and preload the worker chunk alongside the entry.',
].join('\n'));
