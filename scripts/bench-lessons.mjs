// Lesson benchmark (`npm run bench:lessons`, not part of CI): each training lesson opened as a learner opens it (the
// production build, no ?quick, so its *default* setting), its code cells run in order through the cell that measures
// training speed (train.imagesPerSecond); the Fashion-MNIST lesson, whose default run is short, through its evaluation.
// Per model it records the first training step (mostly compiling the GPU programs: the wait a learner sees before the
// first batch) and the steady training images per second, both read from the User Timing measures train.measureSpeed
// leaves in the kernel worker, and writes the "## Lessons: default settings" section of docs/BENCHMARKS.md.
// Knobs: LESSONS=resnet,densenet (a subset), BENCH_PORT (default 4399).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { recordSection } from './bench-report.mjs';
import { findChromium, WEBGPU_ARGS } from './chromium.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4399);
const url = `http://localhost:${PORT}`;
const ALL = ['fashion-mnist', 'resnet', 'preactivation', 'resnext', 'densenet', 'senet', 'fractalnet'];
const lessons = process.env.LESSONS ? process.env.LESSONS.split(',') : ALL;
const command = `${process.env.LESSONS ? `LESSONS=${process.env.LESSONS} ` : ''}npm run bench:lessons`;
const log = (...a) => console.log('[bench:lessons]', ...a);
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** The 1-based cell numbers to run: every code cell through the speed cell (or, for Fashion-MNIST, the evaluation). */
function cellsToRun(id) {
  const nb = JSON.parse(readFileSync(`src/lessons/${id}.ipynb`, 'utf8'));
  const source = (c) => (Array.isArray(c.source) ? c.source.join('') : c.source);
  const last = id === 'fashion-mnist'
    ? nb.cells.findIndex((c) => c.id === 'fm-eval')
    : nb.cells.findIndex((c) => c.cell_type === 'code' && source(c).includes('train.imagesPerSecond'));
  if (last < 0) throw new Error(`lesson ${id}: no speed cell found`);
  const trainCell = nb.cells.findIndex((c) => c.id === 'fm-train') + 1;
  return { cells: nb.cells.slice(0, last + 1).flatMap((c, i) => (c.cell_type === 'code' ? [i + 1] : [])), last: last + 1, trainCell, title: nb.metadata?.convlab?.title ?? id };
}

const cell = (page, n) => page.getByRole('region', { name: `Cell ${n}`, exact: true });
const output = (page, n) => page.getByRole('region', { name: `Output of cell ${n}`, exact: true });

async function runCell(page, n) {
  const runs = async () => Number((await cell(page, n).getAttribute('data-finished-runs')) ?? '0');
  const before = await runs();
  await cell(page, n).getByRole('button', { name: 'Run cell', exact: true }).click();
  while ((await runs()) === before) await page.waitForTimeout(250);
  const errors = await page.evaluate(() => [...document.querySelectorAll('.output-error')].map((e) => e.textContent?.slice(0, 300)));
  if (errors.length) throw new Error(`cell ${n}: ${errors.join(' | ')}`);
}

/** train.measureSpeed's spans, from the kernel worker's User Timing buffer. */
async function speedMeasures(page) {
  for (const worker of page.workers()) {
    const found = await worker.evaluate(() => performance.getEntriesByName('train:first-step').map((e) => e.detail)).catch(() => null);
    if (found?.length) return found;
  }
  return [];
}

function startServer() {
  const outDir = `.build/bench-lessons`;
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { env: { ...process.env, CONVLAB_OUT_DIR: outDir }, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('vite build failed');
  const server = spawn('npx', ['vite', 'preview', '--host', 'localhost', '--port', String(PORT), '--strictPort'], {
    env: { ...process.env, CONVLAB_OUT_DIR: outDir }, stdio: 'ignore', detached: true,
  });
  return () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
}

const stop = startServer();
for (let i = 0; ; i++) {
  try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
  if (i > 200) throw new Error('vite preview did not answer');
  await new Promise((r) => setTimeout(r, 200));
}
const browser = await chromium.launch({ executablePath: findChromium(), args: WEBGPU_ARGS });
const rows = [];
let adapter = '';
try {
  for (const id of lessons) {
    const { cells, last, trainCell, title } = cellsToRun(id);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(0);
    const t0 = Date.now();
    try {
      await page.goto(`${url}/#/lesson/${id}`);
      await page.waitForFunction(() => document.querySelector('[data-kernel-state="idle"]') !== null, null, { timeout: 120_000 });
      adapter ||= /Adapter:\s*(.*?)\s*(?:Tensors:|$)/.exec((await page.getByRole('status', { name: 'Kernel status' }).innerText()).replace(/\s+/g, ' '))?.[1] ?? '?';
      for (const n of cells) {
        const started = Date.now();
        await runCell(page, n);
        if (n === last || Date.now() - started > 5000) log(`${id}: cell ${n} ${fmt((Date.now() - started) / 1000)} s`);
      }
      const said = (await output(page, last).innerText()).trim();
      if (id === 'fashion-mnist') {
        rows.push({ id, title, kind: 'run', said, history: (await output(page, trainCell).innerText()).trim(), seconds: (Date.now() - t0) / 1000 });
      } else {
        rows.push({ id, title, kind: 'speed', said, measures: await speedMeasures(page), seconds: (Date.now() - t0) / 1000 });
      }
      log(id, JSON.stringify(rows[rows.length - 1]));
    } catch (err) {
      rows.push({ id, title, kind: 'failed', said: String(err).slice(0, 300), seconds: (Date.now() - t0) / 1000 });
      log(id, 'FAILED', String(err));
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  stop();
}

/** The lines of an output that say what ran and how fast (not progress bars or data-loading notes). */
const saying = (s, pattern) => s.split('\n').filter((l) => pattern.test(l)).map((l) => l.replace(/\s+/g, ' ').trim()).join('; ');
const SPEED_LINES = /measured|about .* to train|parameters/;
const RUN_LINES = /Training history|test set:|batches in/;
const table = ['| lesson | model (default setting) | batch | first step | steady speed (one batch) | the lesson printed |', '|---|---|---|---|---|---|'];
for (const r of rows) {
  if (r.kind === 'speed') {
    r.measures.forEach((m, i) => table.push(`| ${r.title} | model ${i + 1} of ${r.measures.length} | ${m.batchSize} | ${fmt(m.firstStepSeconds)} s | **${fmt(m.imagesPerSecond)} img/s** (${fmt(m.batchSize / m.imagesPerSecond)} s) | ${i === 0 ? saying(r.said, SPEED_LINES) : '〃'} |`));
  } else if (r.kind === 'run') {
    table.push(`| ${r.title} | its CNN, run to the end | 64 | (in the run) | — | ${saying(r.history, RUN_LINES)}; ${saying(r.said, RUN_LINES)} |`);
  } else {
    table.push(`| ${r.title} | — | — | — | failed | ${r.said.replace(/\s+/g, ' ')} |`);
  }
}
recordSection('Lessons: default settings', [
  `Command: \`${command}\` (adapter: ${adapter}).`,
  '',
  'Each training lesson opened as a learner opens it (production build, fresh browser context, no `?quick`), its code',
  'cells run in order up to the cell that measures training speed with `train.imagesPerSecond`; first step and steady',
  'speed per model come from the User Timing measures `train.measureSpeed` leaves in the kernel worker. The first step',
  'is one batch from a cold start of that model\'s shapes (compiling its GPU programs); the steady speed is the three',
  'batches after it. The Fashion-MNIST lesson\'s default run (1,024 training images, 2 epochs) is short enough to run',
  'to its evaluation here. The other lessons\' defaults (60,000 images × 3 epochs per model) are sized for a laptop GPU;',
  'at the speeds below they take hours on this CPU-emulated adapter, so their test accuracy is not recorded here.',
  '',
  ...table,
].join('\n'));
log('wrote docs/BENCHMARKS.md');
