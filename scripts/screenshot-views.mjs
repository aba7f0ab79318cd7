// Takes docs/views.png for the README: the inspection views (a shape plot of d2l's DenseNet and the architecture
// graph of d2l's ResNet-18) in a scratch notebook, in this machine's headless Chromium on real WebGPU.
// `node scripts/screenshot-views.mjs` (not part of the tests).
import { chromium } from '@playwright/test';
import { serveBuilt } from './serve-built.mjs';
import { findChromium, WEBGPU_ARGS } from './chromium.mjs';

const CELLS = [
  'nn.shapePlot(nn.d2l.densenet(), [96, 96, 1])',
  'nn.graph(nn.d2l.resnet18(), [96, 96, 1])',
];

const server = await serveBuilt({ port: 4398 });
const browser = await chromium.launch({ executablePath: findChromium(), args: WEBGPU_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(server.url + '/#/scratch');
  await page.locator('[data-kernel-state="idle"]').waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => window.__convlab !== undefined);
  await page.evaluate((cells) => window.__convlab.loadNotebook(cells), CELLS);
  for (let n = 1; n <= CELLS.length; n++) {
    const cell = page.getByRole('region', { name: `Cell ${n}`, exact: true });
    await cell.getByRole('button', { name: 'Run cell', exact: true }).click();
    await page.waitForFunction((label) => Number(document.querySelector(`section[aria-label="${label}"]`)?.getAttribute('data-finished-runs')) > 0, `Cell ${n}`, { timeout: 300_000 });
  }
  await page.getByRole('region', { name: 'Architecture graph' }).locator('svg').first().waitFor({ timeout: 60_000 });
  await page.getByRole('region', { name: 'Cell 1', exact: true }).scrollIntoViewIfNeeded();
  await page.waitForTimeout(1000);
  await page.screenshot({ path: 'docs/views.png' });
  console.log('wrote docs/views.png');
} finally {
  await browser.close();
  server.close();
}
