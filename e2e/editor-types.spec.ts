// The editor knows the cells' types: tfjs as `tf` (value and namespace) and ConvLab's own libraries, declared
// from their sources at build time. No shipped lesson shows a diagnostic, and `nn.` completes.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { editor, openNotebook } from './helpers/notebook';

const LESSONS = readdirSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'lessons'))
  .filter((f) => f.endsWith('.ipynb'))
  .map((f) => f.replace(/\.ipynb$/, ''));

function diagnostics(page: Page) {
  return page.evaluate(() => window.__convlab!.diagnostics());
}

test.describe('editor types', () => {
  test('no shipped lesson cell has a TypeScript diagnostic', async ({ page }) => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(4);
    for (const id of LESSONS) {
      await page.goto(`/#/lesson/${id}`);
      await expect(page.locator('section.cell').first()).toBeVisible();
      await page.waitForFunction(() => window.__convlab !== undefined);
      expect(await diagnostics(page), id).toEqual([]);
    }
  });

  test('the check sees real types: misuse of nn and tf is flagged, `as tf.Tensor` is not', async ({ page }) => {
    await openNotebook(page, [
      "const t = tf.ones([2]) as tf.Tensor;\nconst block = nn.denseBlock(2, 10);\nnn.denseBlock('two', 10);\nt.notAMethod();\nnn.noSuchBlock",
    ]);
    const found = await diagnostics(page);
    expect(found.map((d) => d.line).sort()).toEqual([3, 4, 5]);
    expect(found.find((d) => d.line === 3)?.message).toMatch(/not assignable to parameter of type 'number'/);
    expect(found.find((d) => d.line === 5)?.message).toMatch(/noSuchBlock/);
  });

  test('completion after `nn.` lists denseBlock, with its documentation', async ({ page }) => {
    await openNotebook(page, ['']);
    const host = await editor(page, 1);
    await page.evaluate(() => window.__convlab!.diagnostics()); // waits until the types are loaded
    await host.locator('.view-lines').click();
    await page.keyboard.type('nn.dense');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.suggest-widget');
    await expect(suggest).toBeVisible();
    await expect(suggest.getByText('denseBlock', { exact: false }).first()).toBeVisible();
  });
});
