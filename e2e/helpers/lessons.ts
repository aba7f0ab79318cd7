// Running a shipped lesson as a learner meets it: opened fresh with ?quick, Run all on real WebGPU, every code cell
// waited for, and anything that went wrong on the page collected. Shared by the lessons and course specs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { findChromium, WEBGPU_ARGS } from '../chromium';
import { REAL_FASHION_DATA, serveFashionFixture } from './fashion-fixture';
import { cell, output, toolbar, waitForKernelIdle } from './notebook';

const LESSON_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'lessons');

interface LessonFile {
  cells: Array<{ id: string; cell_type: string }>;
}

function readLesson(id: string): LessonFile {
  return JSON.parse(readFileSync(join(LESSON_DIR, `${id}.ipynb`), 'utf8')) as LessonFile;
}

/** The lesson's cells as shipped (1-based numbers of its code cells, and how many cells in all). */
export function lessonCells(id: string): { count: number; code: number[] } {
  const nb = readLesson(id);
  return { count: nb.cells.length, code: nb.cells.flatMap((c, i) => (c.cell_type === 'code' ? [i + 1] : [])) };
}

/** The 1-based number ("Cell n") of the lesson's cell with this id, so a test survives cells added above it. */
export function cellNumber(id: string, cellId: string): number {
  const index = readLesson(id).cells.findIndex((c) => c.id === cellId);
  if (index < 0) throw new Error(`lesson ${id} has no cell "${cellId}"`);
  return index + 1;
}

/** What went wrong anywhere on the page: error outputs, a lost device, tfjs's warnings printed to stderr. */
export async function problems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const e of document.querySelectorAll('.output-error')) found.push(`error output: ${e.textContent?.slice(0, 300)}`);
    for (const e of document.querySelectorAll('.output-stderr')) found.push(`stderr: ${e.textContent?.slice(0, 300)}`);
    if (document.body.textContent?.includes('The GPU device was lost')) found.push('device-lost banner');
    return found;
  });
}

/** Opens the lesson fresh, presses Run all and waits until every code cell has finished once. */
export async function runLesson(page: Page, id: string, timeout: number): Promise<number[]> {
  // Without Debian's dataset here, the app's own data folder answers with the mini fixture.
  if (!REAL_FASHION_DATA) await serveFashionFixture(page, '**/data/fashion-mnist/*');
  // ?quick: the kernel's QUICK is true, and the lessons' training cells run their tiny version.
  await page.goto(`/?quick#/lesson/${id}`);
  await waitForKernelIdle(page);
  const { count, code: codeCells } = lessonCells(id);
  await expect(page.locator('section.cell')).toHaveCount(count);
  await toolbar(page).getByRole('button', { name: 'Run all', exact: true }).click();
  // Either every code cell ends its run, or something fails (Run all then stops): both end the wait.
  await expect
    .poll(
      async () => {
        const trouble = await problems(page);
        if (trouble.length) return trouble.join('\n');
        const finished = await Promise.all(codeCells.map(async (n) => (await cell(page, n).getAttribute('data-finished-runs')) === '1'));
        return finished.every(Boolean) ? 'done' : 'running';
      },
      { timeout, intervals: [500, 1000, 2000] },
    )
    .toBe('done');
  expect(await problems(page)).toEqual([]);
  return codeCells;
}

/** Cell n's output as the learner reads it. */
export async function text(page: Page, n: number): Promise<string> {
  return (await output(page, n).innerText()).trim();
}

/** A training cell's history ("loss 2.301 → 1.874", mean of the first and of the last batches) shows a falling loss. */
export async function expectLossFalls(page: Page, lesson: string, cellId: string): Promise<void> {
  const out = await text(page, cellNumber(lesson, cellId));
  const match = /loss (\d+\.\d+) → (\d+\.\d+)/.exec(out);
  expect(match, `${cellId}: a training history in\n${out.slice(0, 500)}`).not.toBeNull();
  // Kept in the report: how far the loss fell is worth watching when the QUICK settings change.
  test.info().annotations.push({ type: 'loss', description: `${cellId}: ${match![0]}` });
  expect(Number(match![2]), `${cellId}: ${match![0]}`).toBeLessThan(Number(match![1]));
}

/** The number printed after `label` (thousands separators allowed). */
export function numberAfter(out: string, label: string): number {
  const match = new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(-?[\\d,.]+(?:e-?\\d+)?)`).exec(out);
  if (!match) throw new Error(`no number after "${label}" in:\n${out.slice(0, 800)}`);
  return Number(match[1].replace(/,/g, ''));
}

export function lastNumber(s: string): number {
  const all = s.match(/-?\d+(\.\d+)?(e-?\d+)?/g);
  if (!all) throw new Error(`no number in: ${s}`);
  return Number(all[all.length - 1]);
}

/**
 * Browser flags for the lesson specs. A lesson's run is mostly SwiftShader compiling shaders, much of it WebGPU's
 * zero-initialisation of workgroup memory; Dawn's disable_workgroup_init skips that (as in gpu-conformance.spec.ts).
 * Any kernel that relied on the zeroing would read garbage and fail the lesson, so this cannot hide a bug.
 */
export const LESSON_LAUNCH = { executablePath: findChromium(), args: [...WEBGPU_ARGS, '--enable-dawn-features=disable_workgroup_init'] };
