// The dataset offline or missing (issue 15, case 25): the cell says so and offers Retry; nothing half-loaded is cached;
// once the files are there again, Retry runs the cell and the load works. Every dataset source is routed here: the
// app's own /data/fashion-mnist/ and the official hosts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page, type Route } from '@playwright/test';
import { cell, openNotebook, output, waitForRunEnd } from './helpers/notebook';
import { expectPageMounted, expectResponsive, expectSources } from './helpers/intact';

const FIXTURE_DIR = join(import.meta.dirname, 'fixtures', 'fashion-mini');
const SOURCES = ['**/data/fashion-mnist/**', 'https://raw.githubusercontent.com/**', 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/**'];

/** Entries in the kernel's dataset cache (IndexedDB "convlab-data", see src/data/cache.ts). */
function cachedFiles(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('convlab-data');
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => resolve(0);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('decoded-files')) return resolve(0);
          const count = db.transaction('decoded-files').objectStore('decoded-files').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
}

test('Fashion-MNIST offline or 404: a message and Retry, nothing cached; Retry loads it once the files are back (issue 15, case 25)', async ({ page }) => {
  let mode: 'offline' | '404' | 'online' = 'offline';
  const serve = (route: Route) => {
    if (mode === 'offline') return route.abort('internetdisconnected');
    const file = join(FIXTURE_DIR, new URL(route.request().url()).pathname.split('/').pop()!);
    if (mode === '404' || !existsSync(file)) return route.fulfill({ status: 404, body: 'missing' });
    return route.fulfill({ status: 200, contentType: 'application/gzip', body: readFileSync(file) });
  };
  for (const pattern of SOURCES) await page.context().route(pattern, serve);

  const sources = ['const ds = await data.fashionMnist({ limit: 64 });\nds.train.count', '"other cells run"'];
  await openNotebook(page, sources);
  const retry = output(page, 1).getByRole('button', { name: 'Retry' });
  const runs = async () => Number(await cell(page, 1).getAttribute('data-finished-runs'));

  await cell(page, 1).getByRole('button', { name: 'Run cell', exact: true }).click();
  await waitForRunEnd(page, 1, 0);
  await expect(output(page, 1).locator('.output-error')).toContainText('no source could be reached (are you offline?)');
  await expect(retry).toBeVisible();
  expect(await cachedFiles(page)).toBe(0);

  mode = '404';
  await retry.click();
  await waitForRunEnd(page, 1, 1);
  await expect(output(page, 1).locator('.output-error')).toContainText('no source has the files');
  await expect(output(page, 1).locator('.output-error')).toContainText('HTTP 404');
  expect(await cachedFiles(page)).toBe(0);

  mode = 'online';
  await retry.click();
  await waitForRunEnd(page, 1, 2);
  expect(await runs()).toBe(3);
  await expect(output(page, 1)).toContainText('64');
  await expect(output(page, 1).locator('.output-error')).toHaveCount(0);
  expect(await cachedFiles(page)).toBe(4);

  await cell(page, 2).getByRole('button', { name: 'Run cell', exact: true }).click();
  await waitForRunEnd(page, 2, 0);
  await expect(output(page, 2)).toContainText('other cells run');
  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, { 1: sources[0], 2: sources[1] });
});
