// The kernel-side reliability cases of issue 15 (docs/RELIABILITY.md), several per page to keep the suite fast: what
// a careless or hostile cell does to the kernel, and what the learner sees. Every test ends the same way: the page is
// still mounted, answers a click within a second (case 30), and every cell's source is as it was.
import { expect, test, type Page } from '@playwright/test';
import { expectPageMounted, expectResponsive, expectSources } from './helpers/intact';
import { cell, openNotebook, output, startCell, statusBar, toolbar, waitForKernelIdle, waitForRunEnd } from './helpers/notebook';

/** The three checks that close every case. */
async function expectIntact(page: Page, sources: string[]): Promise<void> {
  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, Object.fromEntries(sources.map((s, i) => [i + 1, s])));
}

function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const errorBox = (page: Page, n: number) => output(page, n).locator('.output-error');

/** Runs cell n to the end of its run, watching every frame: expect's polling back-off costs up to a second a cell. */
async function run(page: Page, n: number): Promise<void> {
  const before = await startCell(page, n);
  await page.waitForFunction(
    ([cellNumber, runs]) => Number(document.querySelector(`section[aria-label="Cell ${cellNumber}"]`)?.getAttribute('data-finished-runs') ?? 0) > runs,
    [n, before] as const,
    { timeout: 120_000 },
  );
}

test('errors name the cell line and leave the scope, the kernel and the other cells; leaked tensors are reported (cases 1, 2, 3, 8, 26, 27)', async ({ page }) => {
  const errors = pageErrors(page);
  const cells = [
    'const kept = 41;\n"defined"',
    'const a = 1;\nconst b = ;',
    'const c = 2;\nthrow new Error(`runtime failure at c=${c}`);',
    'const m = tf.ones([2, 3]);\nconst n = tf.ones([2, 3]);\ntf.matMul(m, n)',
    'function down(depth: number): number {\n  return down(depth + 1) + 1;\n}\ndown(0)',
    "importScripts('https://example.invalid/lib.js')",
    "const x = 1;\nconst mod = await import('./no-such-module.js');",
    'kept + 1',
    // Case 8: 150 × (64 KB of ones and 64 KB of their double), none bound to a name; then a cell that keeps its own.
    'for (let i = 0; i < 150; i++) tf.ones([128, 128]).mul(2);\n"leaked"',
    'const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [512] }), tf.layers.dense({ units: 10 })] });\nconst batch = tf.ones([64, 512]);\nconst held = Array.from({ length: 150 }, () => tf.zeros([64, 64]));\n(model.predict(batch) as tf.Tensor).shape',
  ];
  await openNotebook(page, cells);
  for (let n = 1; n <= cells.length; n++) await run(page, n);
  await expect(output(page, 1)).toContainText('defined');
  // Case 1: the parser's message with the line and a caret under the column.
  await expect(errorBox(page, 2)).toContainText('SyntaxError');
  await expect(errorBox(page, 2)).toContainText(/line 2\b/);
  await expect(errorBox(page, 2)).toContainText('2 | const b = ;');
  // Case 2: a runtime exception.
  await expect(errorBox(page, 3)).toContainText('runtime failure at c=2');
  await expect(errorBox(page, 3)).toContainText(/line 2\b/);
  // Case 3: tfjs's own message, and the cell's line although the throw is deep inside tfjs.
  await expect(errorBox(page, 4)).toContainText(/inner shapes \(3\) and \(2\) of Tensors with shapes 2,3 and 2,3/);
  await expect(errorBox(page, 4)).toContainText(/line 3\b/);
  // Case 26: deep recursion.
  await expect(errorBox(page, 5)).toContainText('RangeError: Maximum call stack size exceeded');
  await expect(errorBox(page, 5)).toContainText(/line 2\b/);
  // Case 27: importScripts and a dynamic import of a missing module.
  await expect(errorBox(page, 6)).toContainText(/Module scripts don't support importScripts\(\)/);
  await expect(errorBox(page, 6)).toContainText(/line 1\b/);
  await expect(errorBox(page, 7)).toContainText(/ImportError: Cannot import ".\/no-such-module.js"/);
  await expect(errorBox(page, 7)).toContainText(/can import '@tensorflow\/tfjs'/);
  await expect(errorBox(page, 7)).toContainText(/line 2\b/);
  // The scope survived all of it, and no error reached the page.
  await expect(output(page, 8)).toHaveText(/^\s*42\s*$/);
  await expect(output(page, 1)).toContainText('defined');
  await expect(statusBar(page)).toHaveAttribute('data-kernel-state', 'idle');
  // Case 8: the leak is counted and sized under its cell; model weights and tensors held in a name are no leak.
  await expect(output(page, 9)).toContainText(/Cell 9 left 300 new tensors \(18\.8 MB\) alive that no notebook name holds/);
  await expect(output(page, 10)).toContainText('[ 64, 10 ]');
  await expect(output(page, 10)).not.toContainText('alive that no notebook name holds');
  expect(errors).toEqual([]);
  await expectIntact(page, cells);
});

/** 5 MB of source: a data table as a learner might paste it, 100,000 lines. Runs in Node and in the page alike. */
function bigTable(): string {
  let table = 'const table = [\n';
  for (let i = 0; table.length < 5_000_000; i++) table += `  [${i}, ${(i * 0.5).toFixed(1)}, "row ${i}"],\n`;
  return table + '];\ntable.length';
}

/** FNV-1a, to compare a 5 MB source without sending it through Playwright. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

test('huge allocations fail with a clear error and the kernel runs on; a 5 MB cell and Unicode names run (cases 6, 28)', async ({ page }) => {
  const errors = pageErrors(page);
  const cells = [
    // An outer product: two 160 KB inputs, a 6.4 GB result.
    'const column = tf.ones([40000, 1]);\nconst outer = tf.matMul(column, column, false, true);',
    'const huge = new Float64Array(1e12);',
    "const s = 'x'.repeat(2 ** 30);",
    '(await tf.ones([256, 256]).mul(2).sum().data())[0]',
    '"the 5 MB table goes here"',
    'const café = "☕";\nconst 猫 = "🐱 neko";\nconst naïve = [café, 猫, "👩‍🔬 ∑ ε→0"].join(" | ");\nprint(naïve);\nnaïve.length',
  ];
  await openNotebook(page, cells);
  for (let n = 1; n <= 4; n++) await run(page, n);
  // Case 6: 6.4 GB on the GPU is refused where tfjs asks for the buffer, naming the sizes, on the cell's line.
  await expect(errorBox(page, 1)).toContainText(/RangeError: Cannot allocate 5\.96 GB on the GPU: the largest buffer this GPU allows is/);
  await expect(errorBox(page, 1)).toContainText(/line 2\b/);
  await expect(errorBox(page, 2)).toContainText(/RangeError: (Invalid typed array length|Array buffer allocation failed)/);
  await expect(errorBox(page, 3)).toContainText('RangeError: Invalid string length');
  // The kernel, GPU included, works afterwards.
  await expect(output(page, 4)).toHaveText(/^\s*131072\s*$/);
  await expectResponsive(page);
  // Case 28: 5 MB of source (made in the page: Playwright is slow to carry megabytes) loads and runs.
  const table = bigTable();
  await page.evaluate(`window.__convlab.setCellSource(5, (${bigTable.toString()})())`);
  await expectResponsive(page);
  await run(page, 5);
  await expect(output(page, 5)).toHaveText(new RegExp(`^\\s*${table.split('\n').length - 3}\\s*$`));
  await run(page, 6);
  const text = '☕ | 🐱 neko | 👩‍🔬 ∑ ε→0';
  await expect(output(page, 6)).toContainText(text);
  await expect(output(page, 6)).toContainText(String(text.length));
  expect(errors).toEqual([]);
  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, { 1: cells[0], 2: cells[1], 3: cells[2], 4: cells[3], 6: cells[5] });
  const inPage = await page.evaluate(`(${fnv1a.toString()})(window.__convlab.getCellSource(5))`);
  expect(inPage, 'the 5 MB cell is intact').toBe(fnv1a(table));
});

test('Interrupt stops awaiting loops and the timers cells left running (case 5)', async ({ page }) => {
  const cells = [
    'let ticks = 0;\nsetInterval(() => ticks++, 20);\nlet links = 0;\nfunction link() { links++; setTimeout(link, 20); }\nlink();',
    'await sleep(200);\n[ticks > 2, links > 2]',
    'for (;;) await 0;',
    'while (true) await sleep(0);',
    'async function spin() { for (;;) await null; }\nawait spin();',
    'await new Promise((resolve) => setTimeout(resolve, 600_000));',
    'const seen = [ticks, links];\nawait sleep(300);\n[ticks === seen[0], links === seen[1]]',
  ];
  await openNotebook(page, cells);
  await run(page, 1);
  await expect(output(page, 1)).toContainText('This cell left 1 setInterval running');
  await run(page, 2);
  await expect(output(page, 2)).toContainText('[ true, true ]');
  const interrupt = toolbar(page).getByRole('button', { name: 'Interrupt', exact: true });
  for (const n of [3, 4, 5, 6]) {
    const before = await startCell(page, n);
    await expect(cell(page, n)).toHaveAttribute('data-run-state', 'running');
    await expectResponsive(page);
    await interrupt.click();
    await waitForRunEnd(page, n, before, 10_000);
    await expect(errorBox(page, n)).toContainText('Interrupted');
  }
  // The cell that waited for its own timer: Interrupt cleared the timer and the cell stopped waiting.
  await expect(errorBox(page, 6)).toContainText(/did not settle within a second/);
  // The interval and the setTimeout chain cell 1 left running were cleared by the first Interrupt, each noted there.
  await expect(output(page, 1)).toContainText('Interrupt cleared 1 setInterval and 1 pending setTimeout that this cell started');
  await run(page, 7);
  await expect(output(page, 7)).toContainText('[ true, true ]');
  await expect(page.getByRole('alertdialog', { name: 'The kernel is not responding' })).toHaveCount(0);
  await expectIntact(page, cells);
});

test('a lost GPU device and a kernel worker that dies with no cell to blame: each told, Restart offered, nothing stranded (cases 9, 10)', async ({ page }) => {
  // Keeps the page's Worker objects where the test can reach them, to end the kernel's behind the page's back: the
  // way a crashed worker goes, with no error event and no last message.
  await page.addInitScript(() => {
    const Native = window.Worker;
    const made: Array<{ url: string; worker: Worker }> = [];
    (window as unknown as { __workers: typeof made }).__workers = made;
    window.Worker = class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        made.push({ url: String(url), worker: this });
      }
    };
  });
  const cells = ["(tf.backend() as any).device.destroy();\n'destroyed'", '(await tf.ones([3]).sum().data())[0]', '"queued " + (6 * 7)'];
  await openNotebook(page, cells);

  // Case 9: the device is destroyed from a cell.
  await run(page, 1);
  const banner = page.getByRole('alert').filter({ hasText: 'The GPU device was lost' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('destroyed');
  await expectResponsive(page);
  await banner.getByRole('button', { name: 'Restart kernel' }).click();
  await expect(banner).toHaveCount(0);
  await waitForKernelIdle(page);
  await run(page, 2);
  await expect(output(page, 2)).toHaveText(/^\s*3\s*$/);
  await expect(statusBar(page)).toContainText('Backend: webgpu');
  await expectSources(page, Object.fromEntries(cells.map((s, i) => [i + 1, s])));

  // Case 10: the kernel's worker ends, no cell running. The page notes when its notice appears.
  const crashedAt = await page.evaluate(() => {
    const w = window as unknown as { __workers: Array<{ url: string; worker: Worker }>; __noticeAt?: number };
    new MutationObserver((_m, observer) => {
      if (document.querySelector('[role="alertdialog"][aria-label="The kernel is not responding"]')) {
        w.__noticeAt = Date.now();
        observer.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
    // The kernel's bundle is assets/worker-<hash>.js (Monaco's are editor.worker-…, ts.worker-…); the last one is the
    // kernel the restart above started.
    w.__workers.filter((m) => /\/worker-[^/]*\.js$/.test(m.url)).at(-1)!.worker.terminate();
    return Date.now();
  });
  const notice = page.getByRole('alertdialog', { name: 'The kernel is not responding' });
  await expect(notice).toBeVisible({ timeout: 5000 });
  await expect(notice).toContainText('no cell was running');
  const detectedInMs = (await page.evaluate(() => (window as unknown as { __noticeAt: number }).__noticeAt)) - crashedAt;
  expect(detectedInMs, 'noticed within 2 s').toBeLessThan(2000);
  await expect(statusBar(page)).toContainText('Kernel: not responding');
  await expect(statusBar(page)).toHaveAttribute('data-kernel-responding', 'false');
  await expectResponsive(page);
  // A cell run now waits in the queue; Restart takes it off instead of leaving it queued forever.
  const before = await startCell(page, 3);
  await expect(cell(page, 3)).toHaveAttribute('data-run-state', 'queued');
  await notice.getByRole('button', { name: 'Restart kernel' }).click();
  await waitForRunEnd(page, 3, before);
  await expect(cell(page, 3)).toHaveAttribute('data-run-state', 'idle');
  await waitForKernelIdle(page);
  await expect(statusBar(page)).toHaveAttribute('data-kernel-responding', 'true');
  await run(page, 3);
  await expect(output(page, 3)).toContainText('queued 42');
  await expectIntact(page, cells);
});

test('50 rapid Run clicks queue each cell once, in order; a cell run while the kernel restarts waits, then runs (cases 14, 15)', async ({ page }) => {
  const order = [7, 3, 10, 2, 9, 5, 11, 4, 8, 6];
  const cells = ['var ran: number[] = [];\n"ready"'];
  for (let n = 2; n <= 11; n++) cells.push(`ran.push(${n});\nawait sleep(30);\nran.length`);
  cells.push('ran.join(",")');
  cells.push('"after restart: " + typeof ran');
  await openNotebook(page, cells);
  await run(page, 1);
  // 50 clicks in one go, faster than any learner: five rounds over ten cells.
  await page.evaluate((sequence) => {
    const runButton = (n: number) =>
      [...document.querySelectorAll<HTMLButtonElement>(`section[aria-label="Cell ${n}"] button`)].find((b) => b.textContent?.trim() === 'Run cell')!;
    for (let round = 0; round < 5; round++) for (const n of sequence) runButton(n).click();
  }, order);
  await expectResponsive(page);
  for (const n of order) await expect(cell(page, n)).toHaveAttribute('data-finished-runs', '1', { timeout: 30_000 });
  await run(page, 12);
  await expect(output(page, 12)).toContainText(`'${order.join(',')}'`);
  for (const n of order) await expect(cell(page, n)).toHaveAttribute('data-finished-runs', '1');

  // Case 15: Run while the kernel restarts. The page records what cell 13 and the kernel go through from the click on.
  await page.evaluate(() => {
    const w = window as unknown as { __seen: string[] };
    w.__seen = [];
    const section = document.querySelector('section[aria-label="Cell 13"]')!;
    const status = document.querySelector('[role="status"][aria-label="Kernel status"]')!;
    const note = () => {
      const now = `${status.getAttribute('data-kernel-state')}/${section.getAttribute('data-run-state')}`;
      if (w.__seen.at(-1) !== now) w.__seen.push(now);
    };
    new MutationObserver(note).observe(section, { attributes: true });
    new MutationObserver(note).observe(status, { attributes: true });
    [...document.querySelectorAll<HTMLButtonElement>('[role="toolbar"] button')].find((b) => b.textContent?.trim() === 'Restart kernel')!.click();
    [...section.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === 'Run cell')!.click();
  });
  await expect(output(page, 13)).toContainText('after restart: undefined');
  await waitForKernelIdle(page);
  const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  // Queued while the kernel was restarting, then run by the new kernel.
  expect(seen.some((s) => /^(restarting|starting)\/queued$/.test(s)), seen.join(' → ')).toBe(true);
  expect(seen).toContain('busy/running');
  expect(seen.at(-1)).toBe('idle/idle');
  await expectIntact(page, cells);
});
