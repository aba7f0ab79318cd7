// Cells that try to break the page or the kernel (issue 15). An output the page cannot render (cyclic JSON, a BigInt,
// a malformed view from a cell's own toMimeBundle) shows an error box in its place; the page, the cell's other
// outputs and the other cells stay (case 12). A cell cannot close the kernel's worker (case 10), nor speak for it (case 11).
import { expect, test } from '@playwright/test';
import { cell, openNotebook, output, runCell } from './helpers/notebook';
import { expectPageMounted, expectResponsive, expectSources } from './helpers/intact';

test('an output that cannot be rendered shows an error box; the page and the other outputs stay', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openNotebook(page, [
    '"a normal result"',
    `const cyclic: Record<string, unknown> = {}; cyclic.self = cyclic;
display({ toMimeBundle: () => ({ 'application/json': cyclic }) });
display({ toMimeBundle: () => ({ 'application/json': { n: 10n } }) });
display({ toMimeBundle: () => ({ 'application/vnd.convlab.tensor+json': { shape: 5, dtype: 'float32' } }) });
display('still here');`,
  ]);
  await runCell(page, 1);
  await runCell(page, 2);
  const boxes = output(page, 2).locator('.output-render-error');
  await expect(boxes).toHaveCount(3);
  await expect(boxes.nth(0)).toContainText(/circular|cyclic/i);
  await expect(boxes.nth(1)).toContainText(/BigInt/);
  await expect(output(page, 2)).toContainText('still here');
  await expect(output(page, 1)).toContainText('a normal result');
  // The page is still mounted and answers.
  await expect(page.getByRole('toolbar', { name: 'Notebook' })).toBeVisible();
  await runCell(page, 1);
  await expect(cell(page, 1)).toHaveAttribute('data-finished-runs', '2');
  await expectResponsive(page);
  await expectSources(page, { 1: '"a normal result"' });
  expect(pageErrors).toEqual([]);
});

test('a cell cannot close the kernel: close() and self.close() raise an error and the next cell runs (issue 15, case 10)', async ({ page }) => {
  await openNotebook(page, ['self.close()', 'close()', '20 + 22']);
  for (const n of [1, 2]) {
    await runCell(page, n);
    await expect(output(page, n).locator('.output-error')).toContainText('use Restart kernel');
  }
  await runCell(page, 3);
  await expect(output(page, 3)).toHaveText(/^\s*42\s*$/);
  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, { 1: 'self.close()', 2: 'close()', 3: '20 + 22' });
});

test('a cell posting messages cannot impersonate the kernel (issue 15, case 11)', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openNotebook(page, [
    `postMessage(null);
self.postMessage({ msg_type: 'status', content: { execution_state: 'dead' } });
self.postMessage({ msg_type: 'device_lost', content: { reason: 'forged', message: 'FORGED BANNER' } });
self.postMessage({ msg_type: 'stream', parent_id: 'x', content: { name: 'stdout', text: 'FORGED OUTPUT' } });
await sleep(300);
'posted'`,
    '"after"',
  ]);
  await runCell(page, 1);
  await expect(output(page, 1)).toContainText('posted');
  // The cell's own source shows these words; nothing else on the page may.
  await expect(page.getByText('The GPU device was lost')).toHaveCount(0);
  await expect(page.locator('.banners, .output-area, .kernel-log').filter({ hasText: /FORGED/ })).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Kernel status' })).toHaveAttribute('data-kernel-state', 'idle');
  await runCell(page, 2);
  await expect(output(page, 2)).toContainText('after');
  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, { 2: '"after"' });
  expect(pageErrors).toEqual([]);
});
