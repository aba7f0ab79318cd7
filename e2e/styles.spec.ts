// The document views have their styles on the page, in light and dark mode: checked on computed layout (where a
// missing stylesheet shows: a help dialog at the page's left edge, a confirmation inside the header, a title run
// into its time), with screenshots in the test artefacts. Likewise a prediction grid: whole captions as page text in
// the theme's colours, not a picture on a white slab.
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { openNotebook, output, runCell } from './helpers/notebook';

async function attach(testInfo: TestInfo, page: Page, name: string): Promise<void> {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`document views are styled (${theme})`, () => {
    test.beforeEach(async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem('convlab-theme', t), theme);
    });
    test.afterEach(async ({ page }) => {
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    });

    test('the lesson index separates each title from its time, entries are cards', async ({ page }, testInfo) => {
      await page.goto('/#/');
      const entry = page.locator('.lesson-entry').first();
      await expect(entry).toBeVisible();
      const link = entry.locator('.lesson-link');
      const minutes = entry.locator('.lesson-minutes');
      const gap = (await box(minutes)).x - ((await box(link)).x + (await box(link)).width);
      expect(gap).toBeGreaterThanOrEqual(8);
      expect(await entry.evaluate((e) => getComputedStyle(e).borderTopStyle)).toBe('solid');
      expect(await page.locator('.lesson-list').evaluate((e) => getComputedStyle(e).listStyleType)).toBe('none');
      await attach(testInfo, page, `lesson-index-${theme}.png`);
    });

    test('the shortcut help is a centred dialog above the page', async ({ page }, testInfo) => {
      await page.goto('/#/lesson/welcome');
      await page.locator('section.cell').first().click();
      await page.keyboard.press('Escape');
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await expect(help).toBeVisible();
      expect(await help.evaluate((e) => getComputedStyle(e).position)).toBe('fixed');
      const b = await box(help);
      const viewport = page.viewportSize()!;
      expect(Math.abs(b.x + b.width / 2 - viewport.width / 2)).toBeLessThan(4);
      expect(b.x).toBeGreaterThan(20);
      await attach(testInfo, page, `shortcut-help-${theme}.png`);
    });

    test('the reset confirmation floats over the page, outside the header', async ({ page }, testInfo) => {
      await page.goto('/#/lesson/welcome');
      await page.getByRole('button', { name: 'Reset lesson' }).click();
      const dialog = page.getByRole('alertdialog');
      await expect(dialog).toBeVisible();
      expect(await dialog.evaluate((e) => getComputedStyle(e).position)).toBe('fixed');
      const header = await box(page.locator('.app-header'));
      const b = await box(dialog);
      expect(b.y).toBeGreaterThanOrEqual(header.y + header.height);
      // Its background is opaque, not the header showing through.
      expect(await dialog.evaluate((e) => getComputedStyle(e).backgroundColor)).not.toMatch(/rgba\(0, 0, 0, 0\)|transparent/);
      await attach(testInfo, page, `reset-confirmation-${theme}.png`);
    });
  });
}

// 16 synthetic images and a model that always answers "Ankle boot": the longest captions ("Ankle boot ≠ T-shirt/top").
const PREDICTIONS = `const n = 16, px = 28 * 28;
const images = Uint8Array.from({ length: n * px }, (_, i) => (i * 7) % 256);
const labels = Uint8Array.from({ length: n }, (_, i) => (i % 2 ? 9 : i % 10));
const split = { count: n, rows: 28, cols: 28, images, labels };
const ds = data.fromArrays({ name: 'synthetic', train: split, test: split, classNames: [...data.FASHION_MNIST_CLASSES] });
const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, kernelInitializer: 'zeros' })] });
model.layers[1].setWeights([tf.zeros([px, 10]), tf.oneHot(tf.tensor1d([9], 'int32'), 10).reshape([10]).toFloat()]);
await train.showPredictions(model, ds, n)`;

/** The first non-transparent background behind an element: what its text and images really sit on. */
function backdrop(locator: Locator): Promise<string> {
  return locator.evaluate((el) => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
    }
    return 'none';
  });
}

function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

test('a prediction grid shows whole captions as text in the theme\'s colours, images with hard pixel edges', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await openNotebook(page, [PREDICTIONS]);
  await runCell(page, 1);
  const grid = output(page, 1).locator('figure.output-grid');
  await expect(grid).toBeVisible();
  // The page's own view, not the one-picture PNG kept for Jupyter.
  await expect(output(page, 1).locator('img.output-image')).toHaveCount(0);
  await expect(grid.locator('.grid-tile')).toHaveCount(16);
  await expect(grid.locator('.grid-tile.right')).toHaveCount(8);
  const wrong = grid.locator('.grid-tile.wrong .grid-caption').first();
  await expect(grid.locator('.grid-caption', { hasText: 'Ankle boot ≠ T-shirt/top' }).first()).toBeVisible();
  // Every caption whole: wrapped inside its tile, never cut off.
  for (const caption of await grid.locator('.grid-caption').all()) {
    expect(await caption.evaluate((e) => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1)).toBe(true);
  }
  const img = grid.locator('img').first();
  expect((await box(img)).width).toBe(56);
  expect(await img.evaluate((e) => getComputedStyle(e).imageRendering)).toBe('pixelated');

  for (const theme of ['light', 'dark'] as const) {
    const toggle = page.getByRole('button', { name: 'Dark mode' });
    if ((await page.locator('html').getAttribute('data-theme')) !== theme) await toggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const behind = luminance(await backdrop(grid));
    expect(theme === 'dark' ? behind < 0.3 : behind > 0.7).toBe(true);
    // Verdict colours from the theme (--danger, --ok-fg in theme.css), readable on its background.
    expect(await wrong.evaluate((e) => getComputedStyle(e).color)).toBe(theme === 'dark' ? 'rgb(248, 113, 113)' : 'rgb(185, 28, 28)');
    const text = luminance(await grid.locator('.grid-tile.right .grid-caption').first().evaluate((e) => getComputedStyle(e).color));
    expect(Math.abs(text - behind)).toBeGreaterThan(0.3);
    const path = testInfo.outputPath(`prediction-grid-${theme}.png`);
    await grid.screenshot({ path });
    await testInfo.attach(`prediction-grid-${theme}.png`, { path, contentType: 'image/png' });
  }
});
