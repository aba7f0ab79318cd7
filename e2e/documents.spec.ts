// Notebook documents in the browser: persistence across reloads, reset, import/export, sanitising, math,
// deep links. Relies only on accessible names from the issue plus these DOM conventions of the notebook view:
//   - every cell is an element with data-cell-id, in document order;
//   - a cell's editor is Monaco (.monaco-editor) or, for markdown being edited, a textarea;
//   - an edited cell shows the EditedMark ("edited", data-edited="true");
//   - the deep-linked cell gets data-highlighted="true".
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import Ajv from 'ajv';
import { expectPageMounted, expectResponsive, expectSources } from './helpers/intact';
import { savedSource } from './helpers/storage';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name));

function schemaValidator() {
  const { $schema: _draft04, ...schema } = JSON.parse(readFileSync(join(fixtures, 'nbformat.v4.schema.json'), 'utf8'));
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

const cells = (page: Page) => page.locator('[data-cell-id]');

async function openLesson(page: Page, hash = '#/lesson/welcome') {
  await page.goto(`/${hash}`);
  await expect(cells(page).first()).toBeVisible();
}

/** The source as the editor shows it (Monaco renders lines as divs with non-breaking spaces). */
async function sourceOf(cell: Locator): Promise<string> {
  return cell.evaluate((el) => {
    const lines = el.querySelector('.monaco-editor .view-lines') as HTMLElement | null;
    if (lines) return lines.innerText.replace(/\u00a0/g, ' ');
    const textarea = el.querySelector('textarea') as HTMLTextAreaElement | null;
    if (textarea) return textarea.value;
    // Before Monaco loads, the source shows as plain text.
    return (el.querySelector('.cell-source-static') as HTMLElement | null)?.innerText ?? '';
  });
}

async function appendToCell(page: Page, cell: Locator, text: string) {
  await cell.locator('.monaco-editor, textarea').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

async function importFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer } | string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import notebook' }).click();
  await (await chooser).setFiles(file);
}

/** Rewrites the saved copy's lesson version, as if it had been saved from an older bundle. */
async function ageSavedCopy(page: Page, lessonId: string): Promise<void> {
  await page.evaluate(
    (id) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('convlab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('notebooks', 'readwrite').objectStore('notebooks');
          const get = store.get(`notebook:${id}`);
          get.onsuccess = () => {
            const record = get.result;
            record.notebook.info.version = 0;
            const put = store.put(record, `notebook:${id}`);
            put.onsuccess = () => {
              db.close();
              resolve();
            };
            put.onerror = () => reject(put.error);
          };
        };
      }),
    lessonId,
  );
}

test.describe('notebook documents', () => {
  // Every test gets a fresh browser context, so IndexedDB starts empty: no saved copies leak between tests.

  test('an edit survives a reload and is marked edited; Reset cell and Reset lesson restore the lesson', async ({ page }) => {
    await openLesson(page);
    const cell = cells(page).nth(2);
    await expect(cell.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
    const original = await sourceOf(cell);
    await appendToCell(page, cell, '\n// my change');
    await expect(cell.getByText('edited', { exact: true })).toBeVisible();
    await expect.poll(() => savedSource(page, 'welcome', 2)).toContain('// my change');

    await page.reload();
    const reloaded = cells(page).nth(2);
    await expect.poll(() => sourceOf(reloaded)).toContain('// my change');
    await expect(reloaded.getByText('edited', { exact: true })).toBeVisible();

    await reloaded.getByRole('button', { name: 'Reset cell' }).click();
    await expect.poll(() => sourceOf(reloaded)).toBe(original);
    await expect(reloaded.getByText('edited', { exact: true })).toHaveCount(0);

    const other = cells(page).nth(3);
    await appendToCell(page, other, '\n// another');
    await appendToCell(page, reloaded, '\n// and again');
    await page.getByRole('button', { name: 'Reset lesson' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: /reset/i }).click();
    await expect(page.locator('[data-edited="true"]')).toHaveCount(0);
    await expect.poll(() => sourceOf(cells(page).nth(2))).toBe(original);
    await page.reload();
    await expect(cells(page).first()).toBeVisible();
    await expect(page.locator('[data-edited="true"]')).toHaveCount(0);
  });

  test('export is valid nbformat 4.5 and re-imports with identical cells', async ({ page }) => {
    await openLesson(page);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export notebook' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.ipynb$/);
    const text = readFileSync(await file.path(), 'utf8');
    const exported = JSON.parse(text);
    const validate = schemaValidator();
    expect(validate(exported), JSON.stringify(validate.errors)).toBe(true);
    expect(exported.metadata.kernelspec.name).toBe('convlab-typescript');

    await importFile(page, { name: 'welcome-export.ipynb', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page).toHaveURL(/#\/lesson\/imported-/);
    await expect(cells(page)).toHaveCount(exported.cells.length);
    const ids = await cells(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-cell-id')));
    expect(ids).toEqual(exported.cells.map((c: { id: string }) => c.id));

    const again = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export notebook' }).click();
    const reExported = JSON.parse(readFileSync(await (await again).path(), 'utf8'));
    expect(reExported.cells).toEqual(exported.cells);
  });

  test('an imported notebook with hostile HTML runs nothing', async ({ page }) => {
    await page.addInitScript(() => {
      (window as unknown as { __xss?: number }).__xss = undefined;
    });
    await openLesson(page);
    await importFile(page, { name: 'xss.ipynb', mimeType: 'application/json', buffer: fixture('xss.ipynb') });
    await expect(page.getByText('XSS fixture')).toBeVisible();
    await expect(page.locator('#xss-html-output')).toHaveText('html output');
    // Give a broken image's onerror and an SVG animation time to fire if they survived sanitising.
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('[data-cell-id] script').count()).toBe(0);
    expect(await page.locator('[data-cell-id] [onerror], [data-cell-id] [onbegin]').count()).toBe(0);
    expect(await page.locator('[data-cell-id] a[href^="javascript:"]').count()).toBe(0);
  });

  test('bad files each give a message and leave the open notebook untouched (issue 15, case 23)', async ({ page }, testInfo) => {
    // Made here, not committed: Playwright refuses in-memory buffers this large, so the big ones go to disk.
    const onDisk = (name: string, bytes: Buffer) => {
      const path = testInfo.outputPath(name);
      writeFileSync(path, bytes);
      return path;
    };
    const notebookJson = (cells: unknown[]) => Buffer.from(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
    const huge = onDisk('huge.ipynb', Buffer.alloc(50 * 1024 * 1024, 0x20));
    // A valid notebook, 30 MB of it one output: refused by size before its text is read.
    const big = onDisk('big.ipynb', notebookJson([{ cell_type: 'code', id: 'a', metadata: {}, source: 'x', execution_count: null, outputs: [{ output_type: 'stream', name: 'stdout', text: 'y'.repeat(30 * 1024 * 1024) }] }]));
    const manyCells = notebookJson(Array.from({ length: 5_000 }, (_, i) => ({ cell_type: 'markdown', id: `c${i}`, metadata: {}, source: `cell ${i}` })));
    const binary = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 2654435761) % 251));
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(2048, 7)]);
    const wrongTypes = notebookJson([{ cell_type: 'markdown', metadata: {}, source: 'ok' }, { cell_type: 'heading', metadata: {}, source: '# old', level: 1 }]);
    await openLesson(page);
    const url = page.url();
    const before = await cells(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-cell-id')));
    const sources = await page.evaluate(() => Array.from({ length: 4 }, (_, i) => window.__convlab!.getCellSource(i + 1)));
    const json = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/json', buffer });
    const cases = [
      { file: json('not-json.ipynb', fixture('not-json.ipynb')), message: /not valid JSON/ },
      { file: json('wrong-nbformat.ipynb', fixture('wrong-nbformat.ipynb')), message: /nbformat 3/ },
      { file: huge, message: /50\.0 MB.*20\.0 MB/ },
      { file: big, message: /30\.0 MB.*20\.0 MB/ },
      { file: json('many.ipynb', manyCells), message: /5,000 cells; ConvLab opens notebooks of up to 1,000 cells/ },
      { file: { name: 'random.ipynb', mimeType: 'application/octet-stream', buffer: binary }, message: /binary data, not a notebook/ },
      { file: { name: 'picture.ipynb', mimeType: 'image/png', buffer: png }, message: /a PNG image, not a notebook/ },
      { file: json('wrong-types.ipynb', wrongTypes), message: /Cell 2 has cell_type "heading"/ },
    ];
    for (const { file, message } of cases) {
      await importFile(page, file);
      await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
      expect(page.url()).toBe(url);
      expect(await cells(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-cell-id')))).toEqual(before);
    }
    await expect(cells(page).nth(2).locator('.monaco-host[data-editor-ready="true"]')).toBeVisible({ timeout: 60_000 });
    await expectPageMounted(page);
    await expectResponsive(page);
    await expectSources(page, Object.fromEntries(sources.map((s, i) => [i + 1, s])));
  });

  test('markdown math renders with KaTeX', async ({ page }) => {
    await openLesson(page);
    const math = cells(page).locator('.katex');
    await expect(math.first()).toBeVisible();
    const formula = page.locator('.katex annotation').filter({ hasText: 'x_\\ell = H_\\ell([x_0, x_1, \\dots, x_{\\ell-1}])' });
    await expect(formula).toHaveCount(1);
  });

  test('a deep link opens the lesson at the cell and highlights it; Back returns', async ({ page }) => {
    await page.goto('/#/');
    await page.goto('/#/lesson/welcome/cell/3');
    const third = cells(page).nth(2);
    await expect(third).toHaveAttribute('data-highlighted', 'true');
    await expect(third).toBeInViewport();
    await page.goBack();
    await expect(page).toHaveURL(/#\/$/);
    await expect(page.getByRole('link', { name: 'Welcome to ConvLab' })).toBeVisible();
  });

  test('the lesson index links lessons by title', async ({ page }) => {
    await page.goto('/#/');
    await page.getByRole('link', { name: 'Welcome to ConvLab' }).click();
    await expect(page).toHaveURL(/#\/lesson\/welcome$/);
    await expect(cells(page).first()).toBeVisible();
  });
  test('a newer bundled lesson keeps the learner copy open and offers the new version', async ({ page }) => {
    await openLesson(page);
    const cell = cells(page).nth(2);
    await expect(cell.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
    await appendToCell(page, cell, '\n// mine');
    await expect.poll(() => savedSource(page, 'welcome', 2)).toContain('// mine');
    await ageSavedCopy(page, 'welcome');
    await page.reload();
    const notice = page.getByRole('region', { name: 'Newer version' });
    await expect(notice).toBeVisible();
    await expect.poll(() => sourceOf(cells(page).nth(2))).toContain('// mine');
    await notice.getByRole('button', { name: 'Open the new version' }).click();
    await expect(notice).toHaveCount(0);
    await expect.poll(() => sourceOf(cells(page).nth(2))).not.toContain('// mine');
    await expect(page.locator('[data-edited="true"]')).toHaveCount(0);
  });

  test('command-mode keys add, convert, delete and undo; ? shows the shortcuts; dark mode is remembered', async ({ page }) => {
    await openLesson(page);
    const count = await cells(page).count();
    const first = cells(page).first();
    await first.click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    await expect(cells(page)).toHaveCount(count + 1);
    const added = cells(page).nth(1);
    await expect(added).toHaveAttribute('data-selected', 'true');
    await page.keyboard.press('m');
    await expect(added).toHaveClass(/cell-markdown/);
    await page.keyboard.press('y');
    await expect(added).toHaveClass(/cell-code/);
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect(cells(page)).toHaveCount(count);
    await page.keyboard.press('z');
    await expect(cells(page)).toHaveCount(count + 1);
    await page.keyboard.press('ArrowUp');
    await expect(first).toHaveAttribute('data-selected', 'true');
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);

    const toggle = page.getByRole('button', { name: 'Dark mode' });
    const dark = (await toggle.getAttribute('aria-pressed')) === 'true';
    await toggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', dark ? 'light' : 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', dark ? 'light' : 'dark');
  });
});
