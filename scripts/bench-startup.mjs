// Start-up benchmark: the README's own start command (`npm start`), then the Welcome lesson opened in a fresh
// browser profile each run. Measured in this machine's headless Chromium; never asserted in tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { recordSection } from './bench-report.mjs';
import { findChromium, WEBGPU_ARGS } from './chromium.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const PORT = 4398;
const url = `http://127.0.0.1:${PORT}`;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/** Runs `npm start` as a learner would and waits until its URL answers; returns the server and the time it took. */
async function startLikeALearner() {
  const t0 = Date.now();
  const server = spawn('npm', ['start'], {
    env: { ...process.env, PORT: String(PORT), CONVLAB_OUT_DIR: `.build/${PORT}` },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  for (;;) {
    try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
    if (server.exitCode !== null) throw new Error('npm start exited before serving');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ms: Date.now() - t0, close: () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } } };
}

/** The kernel's own milestones (User Timing marks in the worker), on the page's clock. */
async function kernelMarks(page) {
  const origin = await page.evaluate(() => performance.timeOrigin);
  for (const worker of page.workers()) {
    const r = await worker.evaluate(() => ({ origin: performance.timeOrigin, marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]) })).catch(() => null);
    if (r?.marks.length) return Object.fromEntries(r.marks.map(([name, t]) => [name, t + r.origin - origin]));
  }
  return {};
}

const server = await startLikeALearner();
const samples = { text: [], created: [], modules: [], backend: [], libraries: [], idle: [], firstResult: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    const profile = mkdtempSync(join(tmpdir(), 'convlab-profile-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: findChromium(), args: WEBGPU_ARGS, headless: true });
    const page = context.pages()[0] ?? (await context.newPage());
    const t0 = Date.now();
    await page.goto(url + '/#/lesson/welcome');
    await page.getByRole('region', { name: 'Cell 1', exact: true }).waitFor();
    samples.text.push(Date.now() - t0);
    await page.waitForFunction(() => document.querySelector('[data-kernel-state="idle"]') !== null, null, { timeout: 120_000 });
    samples.idle.push(Date.now() - t0);
    const navStart = await page.evaluate(() => Date.now() - performance.now());
    const offset = navStart - t0; // page clock → our clock
    const created = await page.evaluate(() => performance.getEntriesByName('kernel:worker-created')[0]?.startTime ?? NaN);
    const marks = await kernelMarks(page);
    samples.created.push(created + offset);
    samples.modules.push(marks['kernel:modules-loaded'] + offset);
    samples.backend.push(marks['kernel:backend-ready'] + offset);
    samples.libraries.push(marks['kernel:libraries-loaded'] + offset);
    const codeCell = page.locator('section.cell-code').first();
    await codeCell.getByRole('button', { name: 'Run cell' }).click();
    await codeCell.locator('.output-area .output').first().waitFor({ timeout: 60_000 });
    samples.firstResult.push(Date.now() - t0);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
} finally {
  server.close();
}
const ms = (xs) => Math.round(median(xs));
const rows = [
  ['lesson text shown', ms(samples.text), '—'],
  ['kernel worker created', ms(samples.created), '—'],
  ['worker modules (TensorFlow.js) loaded', ms(samples.modules), '—'],
  ['WebGPU backend and kernel layer ready', ms(samples.backend), '—'],
  ['cell libraries (nn, data, train, kernels) loaded', ms(samples.libraries), '—'],
  ['**kernel idle** (Run enabled)', ms(samples.idle), '< 3000'],
  ['first code cell result', ms(samples.firstResult), '—'],
];
console.table(rows);
recordSection('Start-up', [
  `Command: \`npm run bench:startup\` (RUNS=${RUNS}). It runs the README's start command, \`npm start\` (production build +`,
  '`vite preview`), then opens the Welcome lesson in a fresh Chromium profile per run (empty cache, empty IndexedDB).',
  `\`npm start\` itself took ${(server.ms / 1000).toFixed(1)} s from the command to a serving URL (link the data, \`vite build\`, start the server).`,
  '',
  '| milestone, from navigation (medians) | ms | target |',
  '|---|---|---|',
  ...rows.map(([name, value, target]) => `| ${name} | ${value} | ${target} |`),
  '',
  'The kernel milestones are User Timing marks the worker sets (src/runtime/worker.ts, session.ts). Before this',
  'benchmark ran the production build, `npm start` served Vite\'s dev server, where the worker loads TensorFlow.js as',
  'hundreds of separate modules: 13–20 s to kernel idle in a fresh profile (issue 10). `npm run dev` still serves that,',
  'for editing the app itself.',
].join('\n'));
