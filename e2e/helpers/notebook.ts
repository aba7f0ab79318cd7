// Driving the notebook page from Playwright. Cells are addressed 1-based, as the page names them ("Cell n").
import { expect, type Locator, type Page } from '@playwright/test';

export interface NotebookFixture {
  cells: Array<{ cell_type: 'code' | 'markdown' | 'raw'; source: string | string[] }>;
}

/** The kernel may take a while on SwiftShader (tfjs + WebGPU start-up), far longer than a normal expect. */
export const KERNEL_START_TIMEOUT = 90_000;

export function statusBar(page: Page): Locator {
  return page.getByRole('status', { name: 'Kernel status' });
}

export async function waitForKernelIdle(page: Page, timeout = KERNEL_START_TIMEOUT): Promise<void> {
  await expect(statusBar(page)).toHaveAttribute('data-kernel-state', 'idle', { timeout });
}

export function cell(page: Page, n: number): Locator {
  return page.getByRole('region', { name: `Cell ${n}`, exact: true });
}

export function output(page: Page, n: number): Locator {
  return page.getByRole('region', { name: `Output of cell ${n}`, exact: true });
}

export function toolbar(page: Page): Locator {
  return page.getByRole('toolbar', { name: 'Notebook' });
}

/** Opens the page, waits for the kernel, and replaces the notebook with these cells (through window.__convlab). */
export async function openNotebook(page: Page, cells: string[] | NotebookFixture): Promise<void> {
  await page.goto('/#/scratch');
  await waitForKernelIdle(page);
  await page.waitForFunction(() => window.__convlab !== undefined);
  await page.evaluate((nb) => window.__convlab!.loadNotebook(nb), cells);
  const count = Array.isArray(cells) ? cells.length : cells.cells.length;
  await expect(page.locator('section.cell')).toHaveCount(count);
}

async function finishedRuns(page: Page, n: number): Promise<number> {
  return Number((await cell(page, n).getAttribute('data-finished-runs')) ?? '0');
}

/** Waits until cell n has ended one more run than `before` (ok, error, interrupted or restarted). */
export async function waitForRunEnd(page: Page, n: number, before: number, timeout = 120_000): Promise<void> {
  await expect(cell(page, n)).toHaveAttribute('data-finished-runs', String(before + 1), { timeout });
}

/** Clicks "Run cell" in cell n and waits for that run to end. */
export async function runCell(page: Page, n: number, options: { timeout?: number } = {}): Promise<void> {
  const before = await finishedRuns(page, n);
  await cell(page, n).getByRole('button', { name: 'Run cell', exact: true }).click();
  await waitForRunEnd(page, n, before, options.timeout);
}

/** Clicks "Run cell" without waiting; returns the run count to hand to waitForRunEnd. */
export async function startCell(page: Page, n: number): Promise<number> {
  const before = await finishedRuns(page, n);
  await cell(page, n).getByRole('button', { name: 'Run cell', exact: true }).click();
  return before;
}

/** The Monaco editor of cell n, once it has replaced the static source. */
export async function editor(page: Page, n: number): Promise<Locator> {
  const host = cell(page, n).locator('.monaco-host[data-editor-ready="true"]');
  await host.scrollIntoViewIfNeeded();
  await expect(host).toBeVisible({ timeout: 60_000 });
  return host;
}

/** Replaces cell n's source by typing, as a learner would: click into Monaco, select all, type. */
export async function typeInCell(page: Page, n: number, text: string): Promise<void> {
  const host = await editor(page, n);
  await host.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
  // Close any suggestion widget so the next key press goes to the page, not the widget.
  await page.keyboard.press('Escape');
  await expect.poll(() => getCellSource(page, n)).toBe(text);
}

export async function getCellSource(page: Page, n: number): Promise<string> {
  return page.evaluate((i) => window.__convlab!.getCellSource(i), n);
}

export async function setCellSource(page: Page, n: number, source: string): Promise<void> {
  await page.evaluate(([i, s]) => window.__convlab!.setCellSource(i, s), [n, source] as const);
}
