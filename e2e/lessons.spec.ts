// Every shipped lesson, as a learner meets it: opened fresh, Run all on real WebGPU, and the numbers its own
// text promises. A lesson is only tested when it runs here, not when its code runs on the CPU backend in Node.
import { expect, test } from '@playwright/test';
import { lastNumber, problems, runLesson, text, LESSON_LAUNCH } from './helpers/lessons';
import { cell, output, setCellSource, waitForKernelIdle } from './helpers/notebook';

test.use({ launchOptions: LESSON_LAUNCH });

test.describe('shipped lessons on WebGPU', () => {
  test('Welcome: Run all, the mean read back from the GPU is real', async ({ page }) => {
    await runLesson(page, 'welcome', 120_000);
    await expect(output(page, 6)).toContainText("'webgpu'");
    const mean = lastNumber(await text(page, 8));
    expect(Number.isFinite(mean)).toBe(true);
    expect(mean).not.toBe(0);
    // The same mean computed in plain JavaScript from the feature values, independently of tfjs's mean kernel.
    await cell(page, 10).getByRole('button', { name: 'Cell 10 menu' }).click();
    await page.getByRole('menuitem', { name: 'Add code cell below' }).click();
    await setCellSource(
      page,
      11,
      `const again = tf.conv2d(images as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same');
       const values = await again.data();
       again.dispose();
       values.reduce((s, v) => s + v, 0) / values.length`,
    );
    // Cell 10 disposed the inputs: re-run cell 8 first so they exist again, then the check.
    await cell(page, 8).getByRole('button', { name: 'Run cell', exact: true }).click();
    await expect(cell(page, 8)).toHaveAttribute('data-finished-runs', '2');
    const rerunMean = lastNumber(await text(page, 8));
    await cell(page, 11).getByRole('button', { name: 'Run cell', exact: true }).click();
    await expect(cell(page, 11)).toHaveAttribute('data-finished-runs', '1', { timeout: 30_000 });
    const jsMean = lastNumber(await text(page, 11));
    expect(Math.abs(jsMean - rerunMean)).toBeLessThan(1e-4 * Math.max(1, Math.abs(jsMean)));
    expect(await problems(page)).toEqual([]);
  });

  test('ResNet: Run all, pre-activation output goes negative, post-activation does not', async ({ page }) => {
    await runLesson(page, 'resnet', 240_000);
    const mins = await text(page, 7);
    const v1 = Number(/v1Min[^\d-]*(-?[\d.]+)/.exec(mins)?.[1]);
    const v2 = Number(/v2Min[^\d-]*(-?[\d.]+)/.exec(mins)?.[1]);
    expect(v1).toBeGreaterThanOrEqual(0);
    expect(v2).toBeLessThan(0);
    await expect(output(page, 13)).toContainText(/\[\s*2\s*,\s*10\s*\]/);
    // torchvision's resnet18 has 11,689,512 parameters; BatchNorm's running statistics are buffers there, non-trainable here.
    await expect(output(page, 15)).toContainText(/trainable: 11689512\b/);
  });

  test('DenseNet: Run all, the input survives the concat; an edited block re-run gives the new shapes', async ({ page }) => {
    await runLesson(page, 'densenet', 240_000);
    await expect(output(page, 5)).toContainText(/\[\s*4\s*,\s*8\s*,\s*8\s*,\s*23\s*\]/);
    expect(lastNumber(await text(page, 5))).toBe(0);

    const source = (await page.evaluate(() => window.__convlab!.getCellSource(5))).replace('nn.denseBlock(2, 10)', 'nn.denseBlock(3, 12)');
    await setCellSource(page, 5, source);
    await cell(page, 5).getByRole('button', { name: 'Cell 5 menu' }).click();
    await page.getByRole('menuitem', { name: 'Run from here' }).click();
    await expect(cell(page, 13)).toHaveAttribute('data-finished-runs', '2', { timeout: 240_000 });
    await expect(output(page, 5)).toContainText(/\[\s*4\s*,\s*8\s*,\s*8\s*,\s*39\s*\]/);
    expect(lastNumber(await text(page, 5))).toBe(0);
    await expect(output(page, 7)).toContainText(/\[\s*4\s*,\s*4\s*,\s*4\s*,\s*10\s*\]/);
    expect(await problems(page)).toEqual([]);
  });

  test('Fashion-MNIST: Run all trains the CNN in QUICK mode, the loss falls, and it evaluates', async ({ page }) => {
    test.setTimeout(600_000);
    await runLesson(page, 'fashion-mnist', 540_000);
    await expect(output(page, 8)).toContainText('training on 512 images, testing on 128');
    await expect(output(page, 8)).toContainText('parameters');
    const [, first, last] = /loss (\d+\.\d+) → (\d+\.\d+)/.exec(await text(page, 10)) ?? [];
    expect(Number(last)).toBeLessThan(Number(first));
    await expect(output(page, 12)).toContainText(/accuracy/i);
  });

  test('Kernels: Run all, im2col equals conv2d, the counts are right, both kernel sets are timed and the shared buffer saves memory', async ({ page }) => {
    await runLesson(page, 'kernels', 240_000);
    expect(Number(/largest difference (\S+),/.exec(await text(page, 4))?.[1])).toBeLessThan(1e-4);
    // 2·M·K·N for M = 64·14·14, K = 9·64, N = 32.
    await expect(output(page, 6)).toContainText('(12544 × 576) · (576 × 32): 462.4 MFLOP');
    // L·C0 + k·L(L+1)/2 for L = 4, C0 = 64, k = 32.
    await expect(output(page, 8)).toContainText('dense block of 4 layers (C0 = 64, k = 32): naive concatenation copies 576 channel maps');
    const rows = output(page, 10).locator('tbody tr');
    await expect(rows).toHaveCount(2);
    for (const row of await rows.all()) {
      const [stock, ours] = (await row.locator('td').allInnerTexts()).slice(1, 3).map(Number);
      expect(stock).toBeGreaterThan(0);
      expect(ours).toBeGreaterThan(0);
    }
    const memory = /peaks at ([\d.]+) MB, the shared buffer at ([\d.]+) MB/.exec(await text(page, 12));
    expect(memory, 'the memory line').not.toBeNull();
    expect(Number(memory![2])).toBeLessThan(Number(memory![1]));
  });

  test('a synchronous read in a cell says how to read instead, and the device lives on', async ({ page }) => {
    await page.goto('/#/scratch');
    await waitForKernelIdle(page);
    await page.evaluate(() =>
      window.__convlab!.loadNotebook(['tf.ones([4]).sum().dataSync()[0]', '(await tf.ones([4]).sum().data())[0]', 'tf.tensor([1, 2, 3]).dataSync()[2]']),
    );
    for (const n of [1, 2, 3]) {
      await cell(page, n).getByRole('button', { name: 'Run cell', exact: true }).click();
      await expect(cell(page, n)).toHaveAttribute('data-finished-runs', '1', { timeout: 30_000 });
    }
    const error = output(page, 1).locator('.output-error');
    await expect(error).toContainText('await t.data()');
    await expect(error).toContainText(/line 1\b/);
    await expect(output(page, 2)).toHaveText(/^\s*4\s*$/);
    // A tensor made from JavaScript values still has them on the CPU: reading it synchronously is fine.
    await expect(output(page, 3)).toHaveText(/^\s*3\s*$/);
    await expect(page.getByText('The GPU device was lost')).toHaveCount(0);
  });
});
