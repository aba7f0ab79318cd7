// Issue 15's training cases (docs/RELIABILITY.md) on one page: a NaN loss stops train.fit at its step (case 7), and
// reloading the page while a model trains keeps every edit and starts a fresh kernel that says so (case 20). The model
// is a single dense layer and the data the mini Fashion-MNIST fixture, so SwiftShader trains a batch in well under a
// second.
import { expect, test, type Page } from '@playwright/test';
import { serveFashionFixture } from './helpers/fashion-fixture';
import { expectPageMounted, expectResponsive, expectSources } from './helpers/intact';
import { cell, output, runCell, setCellSource, startCell, statusBar, waitForKernelIdle } from './helpers/notebook';

const FIXTURE_URL = '/e2e-fixtures/fashion-mini/';

/**
 * Opens the welcome lesson and puts `sources` into its code cells, in order; returns their cell numbers. A lesson
 * rather than the test hook's notebook, because a lesson's edits are saved (the hook's notebook never is) and the
 * reload must find them.
 */
async function lessonWithCode(page: Page, sources: string[]): Promise<number[]> {
  await page.goto('/#/lesson/welcome');
  await waitForKernelIdle(page);
  await page.waitForFunction(() => window.__convlab !== undefined);
  const code = await page.evaluate(() => [...document.querySelectorAll('section.cell')].flatMap((c, i) => (c.classList.contains('cell-code') ? [i + 1] : [])));
  expect(code.length).toBeGreaterThanOrEqual(sources.length);
  for (const [i, source] of sources.entries()) await setCellSource(page, code[i], source);
  return code.slice(0, sources.length);
}

test('a NaN loss stops training at its step; a reload mid-training keeps the edits and starts a fresh kernel that says so (cases 7, 20)', async ({ page }) => {
  await serveFashionFixture(page, `**${FIXTURE_URL}*`);
  const sources = [
    // Always the mini fixture, even where the real files are linked: a few hundred images load in no time.
    `const ds = await data.fashionMnist({ limit: { train: 256, test: 64 }, baseUrl: '${FIXTURE_URL}' });\nds.train.count`,
    'const dense = () => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10 })] });\nconst model = dense();',
    // A learning rate of NaN: step 1's loss comes from sound weights, and its update turns every weight into NaN.
    "const history = await train.fit(model, ds, { epochs: 1, batchSize: 32, optimizer: 'sgd', lr: NaN, evaluateEachEpoch: false });",
    "const fresh = dense();\nawait train.fit(fresh, ds, { epochs: 50, batchSize: 8, evaluateEachEpoch: false, onBatch: ({ step }) => console.log('step ' + step) });",
    '"the kernel has " + (typeof ds === "undefined" ? "no ds" : "ds")',
  ];
  const [load, makeModel, nanFit, longFit, check] = await lessonWithCode(page, sources);
  for (const n of [load, makeModel, nanFit]) await runCell(page, n);
  await expect(output(page, load)).toHaveText(/\b256\s*$/);
  // Case 7: stopped at step 2, the step that made the loss NaN, named with its epoch and batch, on the cell's line.
  const error = output(page, nanFit).locator('.output-error');
  await expect(error).toContainText('NonFiniteLossError: The loss became NaN at step 2 (epoch 1, batch 2), so training stopped there');
  await expect(error).toContainText(/line 1\b/);
  await expectResponsive(page);

  // Case 20: an edit, then a reload while a model trains.
  const edited = `// edited before the reload\n${sources[4]}`;
  await setCellSource(page, check, edited);
  await startCell(page, longFit);
  await expect(output(page, longFit)).toContainText('step 3', { timeout: 60_000 });
  await expect(cell(page, longFit)).toHaveAttribute('data-run-state', 'running');
  await page.reload();
  await waitForKernelIdle(page);
  const expected = { [load]: sources[0], [makeModel]: sources[1], [nanFit]: sources[2], [longFit]: sources[3], [check]: edited };
  await expectSources(page, expected);
  await expect(page.getByRole('region', { name: 'Note' })).toContainText('A fresh kernel started with this page');
  await expect(cell(page, longFit)).toHaveAttribute('data-run-state', 'idle');
  await runCell(page, check);
  await expect(output(page, check)).toContainText('the kernel has no ds');
  await expect(statusBar(page)).toHaveAttribute('data-kernel-state', 'idle');
  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, expected);
});
