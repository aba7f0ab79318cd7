// Takes docs/screenshot.png for the README: the Fashion-MNIST lesson after a short training run, in this
// machine's headless Chromium on real WebGPU. `node scripts/screenshot.mjs` (not part of the tests).
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { serveBuilt } from './serve-built.mjs';
import { findChromium, WEBGPU_ARGS } from './chromium.mjs';

// The lesson trains on the real files when Debian's dataset-fashion-mnist is installed.
spawnSync('node', ['scripts/link-data.mjs'], { stdio: 'inherit' });
const server = await serveBuilt({ port: 4397 });
const browser = await chromium.launch({ executablePath: findChromium(), args: WEBGPU_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(server.url + '/#/lesson/fashion-mnist');
  await page.locator('[data-kernel-state="idle"]').waitFor({ timeout: 120_000 });
  const cell = (n) => page.getByRole('region', { name: `Cell ${n}`, exact: true });
  // Load, show samples, build the model, train (quick mode: 1,024 images, 2 epochs).
  for (const n of [2, 4, 8, 10]) {
    const runs = Number(await cell(n).getAttribute('data-finished-runs'));
    await cell(n).getByRole('button', { name: 'Run cell', exact: true }).click();
    await page.waitForFunction(
      ([label, before]) => Number(document.querySelector(`section[aria-label="${label}"]`)?.getAttribute('data-finished-runs')) > before,
      [`Cell ${n}`, runs],
      { timeout: 600_000 },
    );
  }
  await cell(9).scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 120));
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  server.close();
}
