// Big outputs (issue 15, case 13): a 10 MB print and a million-line print. The kernel sends them in bounded,
// coalesced messages (src/runtime/output-limits.ts); the page draws a head and a tail with "Show more" and a download
// of the whole text (src/ui/outputs/LongText.tsx). The main thread's long tasks are watched while the outputs arrive.
import { statSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { editor, openNotebook, output, runCell } from './helpers/notebook';
import { expectPageMounted, expectResponsive, expectSources } from './helpers/intact';

/** The bound: no task on the main thread may take longer than this while a big output arrives. */
const LONGEST_TASK_MS = 200;

async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskObserver?: PerformanceObserver };
    w.__longTasks = [];
    w.__longTaskObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(Math.round(entry.duration));
    });
    w.__longTaskObserver.observe({ type: 'longtask' });
  });
}

async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskObserver?: PerformanceObserver };
    w.__longTaskObserver?.takeRecords().forEach((e) => w.__longTasks.push(Math.round(e.duration)));
    w.__longTaskObserver?.disconnect();
    return w.__longTasks;
  });
}

const drawnChars = (page: Page, n: number) => output(page, n).evaluate((el) => el.textContent?.length ?? 0);

test('a 10 MB print and a million-line print show a preview with Show more and Download; the main thread never blocks > 200 ms (issue 15, case 13)', async ({ page }) => {
  const sources = [
    "console.log('x'.repeat(10_000_000))",
    "for (let i = 1; i <= 1_000_000; i++) console.log('line ' + i)",
    "'still here'",
  ];
  await openNotebook(page, sources);
  // Monaco's own start-up is main-thread work unrelated to outputs: let it finish before watching.
  await editor(page, 3);
  await watchLongTasks(page);

  await runCell(page, 1);
  const long1 = output(page, 1).getByRole('group', { name: 'Long output' });
  await expect(long1).toContainText('of 10.0 million characters in 1 line');
  await runCell(page, 2);
  const long2 = output(page, 2).getByRole('group', { name: 'Long output' });
  await expect(long2).toContainText('in 1,000,000 lines');
  await expect(output(page, 2)).toContainText('line 1000000');
  await runCell(page, 3);
  await expect(output(page, 3)).toContainText('still here');

  const tasks = await longTasks(page);
  test.info().annotations.push({ type: 'long tasks (ms)', description: tasks.join(', ') || 'none' });
  expect(Math.max(0, ...tasks), `long tasks while the outputs arrived: ${tasks.join(', ')} ms`).toBeLessThan(LONGEST_TASK_MS);
  // What the page draws is a preview, never the megabytes.
  expect(await drawnChars(page, 1)).toBeLessThan(100_000);
  expect(await drawnChars(page, 2)).toBeLessThan(100_000);

  // Show more draws another head's worth of lines.
  const headLines = () => output(page, 2).locator('pre').first().evaluate((el) => el.textContent!.split('\n').length - 1);
  expect(await headLines()).toBe(500);
  await long2.getByRole('button', { name: 'Show more' }).click();
  await expect.poll(headLines).toBe(1_000);

  // The whole text is kept and downloadable.
  const download = page.waitForEvent('download');
  await long1.getByRole('button', { name: 'Download full output' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('stdout.txt');
  expect(statSync(await file.path()).size).toBe(10_000_001);

  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, { 1: sources[0], 2: sources[1], 3: sources[2] });
});
