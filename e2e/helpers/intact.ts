// What every reliability case (issue 15) checks after the hostile part: the page is still mounted, it answers a
// click within a second, and no edit was lost. Liveness, not speed: a second is ten times what a healthy page needs,
// and a page that misses it is frozen, not slow.
import { expect, type Page } from '@playwright/test';
import { getCellSource } from './notebook';

/** How long the page may take to answer a click before it counts as frozen (issue 15, case 30). */
export const RESPONSIVE_WITHIN_MS = 1_000;

/**
 * Clicks the keyboard-shortcuts button (a pure page action, no kernel) and waits, inside the page, for its dialog;
 * fails when the answer takes more than RESPONSIVE_WITHIN_MS from the moment Playwright asks. A blocked main thread
 * delays the whole round trip, so it is timed from here; the dialog is then closed again. Two tries, the faster
 * counts: a frozen page fails both, while a machine whose two cores other processes share can hold up one round
 * trip of a healthy page for a second on its own.
 */
export async function expectResponsive(page: Page): Promise<void> {
  const first = await timeClickAnswer(page);
  const tookMs = first < RESPONSIVE_WITHIN_MS ? first : Math.min(first, await timeClickAnswer(page));
  expect(tookMs, 'the page answered a click (main thread not blocked)').toBeLessThan(RESPONSIVE_WITHIN_MS);
}

async function timeClickAnswer(page: Page): Promise<number> {
  const askedAt = Date.now();
  const answered = await page.evaluate(async () => {
    const button = document.querySelector<HTMLButtonElement>('button[aria-label="Keyboard shortcuts"]');
    if (!button) return false;
    button.click();
    for (let frame = 0; frame < 30; frame++) {
      if (document.querySelector('[role="dialog"][aria-labelledby="shortcut-help-title"]')) return true;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
    }
    return false;
  });
  const tookMs = Date.now() - askedAt;
  expect(answered, 'the shortcuts dialog opened').toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  return tookMs;
}

/** The React app is mounted: the toolbar and at least one cell are in the page. */
export async function expectPageMounted(page: Page): Promise<void> {
  await expect(page.getByRole('toolbar', { name: 'Notebook' })).toBeVisible();
  await expect(page.locator('section.cell').first()).toBeVisible();
}

/** Every cell n → source given is still the cell's source (edits survive whatever the case did). */
export async function expectSources(page: Page, sources: Record<number, string>): Promise<void> {
  for (const [n, source] of Object.entries(sources)) expect(await getCellSource(page, Number(n))).toBe(source);
}
