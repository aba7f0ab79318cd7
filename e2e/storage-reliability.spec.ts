// What storage can do to a learner's edits (issue 15, cases 16–19): an edit made just before a reload or close is
// there afterwards; an unreadable saved copy is set aside and the lesson opens as shipped; a full or missing
// IndexedDB keeps edits in the tab and says so; two tabs on one lesson never overwrite each other silently.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { editor, getCellSource, setCellSource } from './helpers/notebook';
import { expectPageMounted, expectResponsive, expectSources } from './helpers/intact';
import { putStoredValue, savedSource, storedKeys, storedValue } from './helpers/storage';

const LESSON = '#/lesson/welcome';

async function openWelcome(page: Page, query = ''): Promise<void> {
  await page.goto(`/${query}${LESSON}`);
  await expect(page.locator('[data-cell-id]').first()).toBeVisible();
  await page.waitForFunction(() => window.__convlab !== undefined);
}

async function exportedSource(page: Page, button: string, index: number): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const ipynb = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  const source = ipynb.cells[index].source;
  return Array.isArray(source) ? source.join('') : source;
}

test('an edit survives a reload or a close within 100 ms; an unreadable saved copy is set aside and the lesson opens as shipped (issue 15, cases 16 and 18)', async ({ page, context }) => {
  await openWelcome(page);
  const original = await getCellSource(page, 3);

  // Case 18, reload: the edit's debounced save has not fired; the page's pagehide flush must get it written.
  await setCellSource(page, 3, `${original}\n// before reload`);
  await page.reload();
  await page.waitForFunction(() => window.__convlab !== undefined);
  await expect.poll(() => getCellSource(page, 3)).toBe(`${original}\n// before reload`);

  // Case 18, close: the tab goes away right after the edit; a new tab finds it.
  const edited = `${original}\n// before close`;
  await setCellSource(page, 3, edited);
  await page.close();
  const reopened = await context.newPage();
  await openWelcome(reopened);
  await expect.poll(() => getCellSource(reopened, 3)).toBe(edited);

  // Case 16: the saved record is damaged (an older app, a half-written record, devtools).
  const corrupt = { format: 1, savedAt: 1, origin: 'lesson', notebook: 'not a notebook' };
  await putStoredValue(reopened, 'notebook:welcome', corrupt);
  await reopened.reload();
  await expect(reopened.getByRole('alert').filter({ hasText: 'could not be read, so the lesson opened as shipped' })).toBeVisible();
  await reopened.waitForFunction(() => window.__convlab !== undefined);
  expect(await getCellSource(reopened, 3)).toBe(original);
  // Kept aside, not deleted, and offered to the learner as a file.
  const aside = (await storedKeys(reopened)).filter((k) => k.startsWith('aside:welcome:unreadable:'));
  expect(aside).toHaveLength(1);
  expect(await storedValue(reopened, aside[0])).toEqual(corrupt);
  const download = reopened.waitForEvent('download');
  await reopened.getByRole('button', { name: 'Download the unreadable copy' }).click();
  expect(JSON.parse(readFileSync(await (await download).path(), 'utf8'))).toEqual(corrupt);
  // Editing goes on and saves again.
  await setCellSource(reopened, 3, `${original}\n// after recovery`);
  await expect.poll(() => savedSource(reopened, 'welcome', 2)).toBe(`${original}\n// after recovery`);
  await editor(reopened, 3); // Monaco's start-up is the page's one long task: answering a click is asked once it is up
  await expectPageMounted(reopened);
  await expectResponsive(reopened);
  await expectSources(reopened, { 3: `${original}\n// after recovery` });
});

test('IndexedDB full or unavailable: a warning, edits kept in the tab and exportable (issue 15, case 17)', async ({ page }) => {
  await page.addInitScript(() => {
    // "Full": every write fails as a browser out of quota fails it, while the flag is up.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if ((window as unknown as { __storageFull?: boolean }).__storageFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    // "Unavailable": as in some private modes, opening any database throws.
    if (location.search.includes('no-idb')) {
      IDBFactory.prototype.open = () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      };
    }
  });
  await openWelcome(page);
  const original = await getCellSource(page, 3);
  await page.evaluate(() => ((window as unknown as { __storageFull?: boolean }).__storageFull = true));
  await setCellSource(page, 3, `${original}\n// kept in memory`);
  const warning = page.getByRole('alert', { name: 'Edits not saved' });
  await expect(warning).toContainText("This browser's storage for ConvLab is full.");
  expect(await exportedSource(page, 'Export a copy', 2)).toBe(`${original}\n// kept in memory`);
  // Leaving the lesson and coming back within the tab: the edit is still there (held in memory).
  await page.goto('/#/');
  await expect(page.getByRole('link', { name: 'Welcome to ConvLab' })).toBeVisible();
  await page.getByRole('link', { name: 'Welcome to ConvLab' }).click();
  await expect.poll(() => getCellSource(page, 3)).toBe(`${original}\n// kept in memory`);
  // Space again: the next save writes the latest edit and the warning goes.
  await page.evaluate(() => ((window as unknown as { __storageFull?: boolean }).__storageFull = false));
  await setCellSource(page, 3, `${original}\n// saved at last`);
  await expect(warning).toBeHidden();
  await expect.poll(() => savedSource(page, 'welcome', 2)).toBe(`${original}\n// saved at last`);
  await editor(page, 3); // Monaco's start-up is the page's one long task: answering a click is asked once it is up
  await expectPageMounted(page);
  await expectResponsive(page);

  // No IndexedDB at all: the lesson opens as shipped, the learner is told at once, edits work and export.
  await openWelcome(page, '?no-idb');
  await expect(warning).toContainText('does not let ConvLab store data');
  expect(await getCellSource(page, 3)).toBe(original);
  await setCellSource(page, 3, `${original}\n// no storage`);
  expect(await exportedSource(page, 'Export a copy', 2)).toBe(`${original}\n// no storage`);
  await editor(page, 3);
  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, { 3: `${original}\n// no storage` });
});

test('two tabs on one lesson: a tab with nothing unsaved follows the other; a tab that missed the news cannot write over it and must choose (issue 15, case 19)', async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  // C hears nothing from the others (as a frozen background tab): only the revision check stands between them.
  const c = await context.newPage();
  await c.addInitScript(() => Reflect.deleteProperty(window, 'BroadcastChannel'));
  for (const page of [a, b, c]) await openWelcome(page);
  const [cell3, cell4] = [await getCellSource(a, 3), await getCellSource(a, 4)];
  const noticeIn = (page: Page) => page.getByRole('alert', { name: 'Changed in another tab' });

  // A saves an edit; B, with nothing unsaved, follows it.
  await setCellSource(a, 3, `${cell3}\n// A`);
  await expect.poll(() => getCellSource(b, 3)).toBe(`${cell3}\n// A`);

  // C, which did not hear, edits: its save is refused, it says so, and it still shows its edit.
  await setCellSource(c, 4, `${cell4}\n// C`);
  await expect(noticeIn(c)).toBeVisible();
  expect(await savedSource(a, 'welcome', 2)).toBe(`${cell3}\n// A`);
  expect(await savedSource(a, 'welcome', 3)).toBe(cell4);
  expect(await getCellSource(c, 4)).toBe(`${cell4}\n// C`);

  // C keeps its version, by choice: A's is set aside, not destroyed.
  await noticeIn(c).getByRole('button', { name: 'Keep this tab’s version' }).click();
  await expect(noticeIn(c)).toBeHidden();
  await expect.poll(() => savedSource(a, 'welcome', 3)).toBe(`${cell4}\n// C`);
  const aside = (await storedKeys(a)).filter((k) => k.startsWith('aside:welcome:overwritten:'));
  expect(aside).toHaveLength(1);
  expect(((await storedValue(a, aside[0])) as { notebook: { cells: Array<{ source: string }> } }).notebook.cells[2].source).toBe(`${cell3}\n// A`);

  // A edits on: its save finds C's revision, is refused, and A takes C's version, by choice.
  await setCellSource(a, 5, '// A again');
  await expect(noticeIn(a)).toBeVisible();
  await noticeIn(a).getByRole('button', { name: 'Use the other tab’s version' }).click();
  await expect(noticeIn(a)).toBeHidden();
  await expect.poll(() => getCellSource(a, 4)).toBe(`${cell4}\n// C`);

  for (const page of [a, c]) {
    await editor(page, 3);
    await expectPageMounted(page);
    await expectResponsive(page);
    await expectSources(page, { 3: cell3, 4: `${cell4}\n// C` });
  }
  await expectPageMounted(b);
});
