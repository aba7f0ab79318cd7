// The document views have their styles on the page, in light and dark mode: checked on computed layout (where a
// missing stylesheet shows: a help dialog at the page's left edge, a confirmation inside the header, a title run
// into its time), with screenshots in the test artefacts.
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';

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
