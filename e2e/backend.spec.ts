// Which backend the kernel runs on is visible: the status bar names it and the adapter, and when WebGPU is
// missing the page says so (and why) while cells still run on the fallback.
import { expect, test } from '@playwright/test';
import { openNotebook, output, runCell, statusBar, waitForKernelIdle } from './helpers/notebook';

test.describe('backend', () => {
  test('the status bar names WebGPU and the adapter architecture', async ({ page }) => {
    await openNotebook(page, ['tf.getBackend()', 'const t = tf.zeros([256]); t.size']);
    await expect(statusBar(page)).toContainText('webgpu');
    await expect(statusBar(page)).toContainText(/swiftshader/i);
    await expect(page.getByRole('alert').filter({ hasText: 'instead of WebGPU' })).toHaveCount(0);
    await runCell(page, 1);
    await expect(output(page, 1)).toContainText('webgpu');
    // Resource usage follows the kernel: one more tensor after cell 2.
    const tensors = async () => Number(/Tensors: ([\d,]+)/.exec((await statusBar(page).innerText()) ?? '')?.[1]?.replace(/,/g, '') ?? NaN);
    const before = await tensors();
    await runCell(page, 2);
    await expect(output(page, 2)).toContainText('256');
    await expect.poll(tensors).toBe(before + 1);
  });

  test('without WebGPU the page shows a fallback banner naming the backend, and cells still run', async ({ page }) => {
    // Removes navigator.gpu inside the kernel worker only: its script gets one line in front.
    await page.context().route('**/assets/worker-*.js', async (route) => {
      const response = await route.fetch();
      const body = `Object.defineProperty(WorkerNavigator.prototype, 'gpu', { get: () => undefined });\n${await response.text()}`;
      await route.fulfill({ response, body });
    });
    await page.goto('/#/scratch');
    await waitForKernelIdle(page);
    const banner = page.getByRole('alert').filter({ hasText: 'instead of WebGPU' });
    await expect(banner).toBeVisible();
    const backend = (await statusBar(page).innerText()).match(/Backend: (\w+)/)?.[1];
    expect(backend === 'webgl' || backend === 'cpu').toBe(true);
    await expect(banner).toContainText(`"${backend}"`);
    await expect(banner).toContainText('navigator.gpu');

    await page.evaluate(() => window.__convlab!.loadNotebook(['tf.getBackend()', 'tf.tensor([1, 2, 3]).sum().arraySync()']));
    await runCell(page, 1);
    await expect(output(page, 1)).toContainText(backend!);
    await runCell(page, 2);
    await expect(output(page, 2)).toHaveText(/^\s*6\s*$/);
  });
});
