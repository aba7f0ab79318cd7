// One run queue, and it is the kernel's: the page sends every requested run at once, the kernel runs them in
// order, stops at an error and aborts what waits behind an interrupt (src/runtime/session.ts).
import { expect, test, type Page } from '@playwright/test';
import { cell, openNotebook, output, toolbar } from './helpers/notebook';

/** Counts the execute_requests the page posts to the kernel (on the kernel's private MessageChannel). */
async function countRequests(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __executeRequests: number };
    w.__executeRequests = 0;
    const post = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (this: MessagePort, message: unknown, ...rest: unknown[]) {
      if ((message as { msg_type?: string } | null)?.msg_type === 'execute_request') w.__executeRequests++;
      return (post as (...a: unknown[]) => void).call(this, message, ...rest);
    } as typeof MessagePort.prototype.postMessage;
  });
}

const requestsSent = (page: Page) => page.evaluate(() => (window as unknown as { __executeRequests: number }).__executeRequests);

test.describe('the run queue', () => {
  test('Run all stops at a failing middle cell; the later cells stay unrun and the queue is empty', async ({ page }) => {
    await countRequests(page);
    await openNotebook(page, ['await sleep(1500);\n"first ran"', 'throw new Error("the middle cell fails")', '"third ran"']);
    await toolbar(page).getByRole('button', { name: 'Run all', exact: true }).click();
    // While the first cell runs, all three requests are already in the kernel's queue.
    await expect(cell(page, 1)).toHaveAttribute('data-run-state', 'running');
    await expect(cell(page, 3)).toHaveAttribute('data-run-state', 'queued');
    expect(await requestsSent(page)).toBe(3);

    await expect(cell(page, 3)).toHaveAttribute('data-finished-runs', '1', { timeout: 30_000 });
    await expect(output(page, 1)).toContainText('first ran');
    await expect(output(page, 2).locator('.output-error')).toContainText('the middle cell fails');
    await expect(output(page, 3)).toHaveText('');
    await expect(cell(page, 3).locator('.prompt')).toHaveText('[ ]');
    // Nothing is left queued: the next run starts at once and is the only request sent.
    await cell(page, 3).getByRole('button', { name: 'Run cell', exact: true }).click();
    await expect(output(page, 3)).toContainText('third ran');
    expect(await requestsSent(page)).toBe(4);
  });

  test('Interrupt stops the running cell and clears the cells queued behind it', async ({ page }) => {
    await openNotebook(page, ['await sleep(60000)', '"second ran"', '"third ran"']);
    await toolbar(page).getByRole('button', { name: 'Run all', exact: true }).click();
    await expect(cell(page, 1)).toHaveAttribute('data-run-state', 'running');
    await expect(cell(page, 2)).toHaveAttribute('data-run-state', 'queued');
    await toolbar(page).getByRole('button', { name: 'Interrupt', exact: true }).click();
    for (const n of [1, 2, 3]) await expect(cell(page, n)).toHaveAttribute('data-finished-runs', '1', { timeout: 10_000 });
    await expect(output(page, 1)).toContainText(/Interrupted/);
    await expect(output(page, 2)).toHaveText('');
    await expect(output(page, 3)).toHaveText('');
    for (const n of [1, 2, 3]) await expect(cell(page, n)).toHaveAttribute('data-run-state', 'idle');
    await cell(page, 2).getByRole('button', { name: 'Run cell', exact: true }).click();
    await expect(output(page, 2)).toContainText('second ran');
  });
});
