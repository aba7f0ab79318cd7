// Shape hints in the editor (issue 12, must-show 6): after a cell applying three layers runs, each of those lines
// shows its output shape after it, and editing a line takes its hint away; a cell adding tensors of shapes [2,3]
// and [3,2] marks its offending line with tfjs's message (a Monaco marker), beside the error output, until edited.
import { expect, test, type Locator } from '@playwright/test';
import { cell, editor, openNotebook, output, runCell } from './helpers/notebook';

const LAYERS = [
  'const x = tf.zeros([2, 28, 28, 1]);',
  "const a = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(x) as tf.Tensor;",
  'const b = tf.layers.maxPooling2d({ poolSize: 2 }).apply(a) as tf.Tensor;',
  "const c = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same' }).apply(b) as tf.Tensor;",
].join('\n');

const MISMATCH = ['const p = tf.zeros([2, 3]);', 'const q = tf.zeros([3, 2]);', 'tf.add(p, q);'].join('\n');

/** Each rendered line of an editor that carries a hint: its text (spaces as typed) and the hint's. */
async function hintedLines(host: Locator): Promise<Array<[string, string]>> {
  return host.locator('.view-line').evaluateAll((lines) =>
    lines
      .filter((l) => l.querySelector('.shape-hint'))
      .sort((p, q) => parseFloat((p as HTMLElement).style.top) - parseFloat((q as HTMLElement).style.top))
      .map((l) => {
        const hint = l.querySelector('.shape-hint')!.textContent ?? '';
        const text = (l.textContent ?? '').replace(/\u00a0/g, ' ');
        return [text.slice(0, text.length - hint.length), hint.replace(/\u00a0/g, ' ').trim()] as [string, string];
      }),
  );
}

test('shape hints on the lines that applied layers, and a marker on a shape mismatch', async ({ page }) => {
  await openNotebook(page, [LAYERS, MISMATCH]);
  const first = await editor(page, 1);
  await runCell(page, 1);
  await expect(first.locator('.shape-hint')).toHaveCount(3);
  const [, conv8, pool, conv32] = LAYERS.split('\n');
  expect(await hintedLines(first)).toEqual([
    [conv8, '→ [2, 28, 28, 8]'],
    [pool, '→ [2, 14, 14, 8]'],
    [conv32, '→ [2, 14, 14, 32]'],
  ]);

  // Editing the pooling line takes its hint away and leaves the others.
  await first.locator('.view-line', { hasText: 'maxPooling2d' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' // halves H and W');
  await expect(first.locator('.shape-hint')).toHaveCount(2);
  expect((await hintedLines(first)).map(([, hint]) => hint)).toEqual(['→ [2, 28, 28, 8]', '→ [2, 14, 14, 32]']);

  const second = await editor(page, 2);
  await runCell(page, 2);
  await expect(output(page, 2).getByText(/could not be broadcast together with shapes 2,3 and 3,2/)).toBeVisible();
  const markers = await page.evaluate(() => window.__convlab!.runMarkers(2));
  expect(markers).toEqual([{ line: 3, message: expect.stringMatching(/could not be broadcast together with shapes 2,3 and 3,2/) }]);
  await expect(second.locator('.squiggly-error')).toHaveCount(1);
  // No shape hints where no layer ran.
  await expect(cell(page, 2).locator('.shape-hint')).toHaveCount(0);

  // Editing the offending line clears its marker.
  await second.locator('.view-line', { hasText: 'tf.add' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' // [2,3] + [3,2]');
  await expect.poll(() => page.evaluate(() => window.__convlab!.runMarkers(2))).toEqual([]);
  await expect(second.locator('.squiggly-error')).toHaveCount(0);
});
