// The mini Fashion-MNIST fixture (real IDX format, a few hundred images), served to the page and its worker in
// place of the real files (context.route also sees dedicated workers' fetches).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

const E2E_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE_DIR = join(E2E_DIR, 'fixtures', 'fashion-mini');

/** The real files are in the build only when scripts/link-data.mjs ran before it (npm test does). */
export const REAL_FASHION_DATA = existsSync(join(E2E_DIR, '..', 'public', 'data', 'fashion-mnist', 'train-images-idx3-ubyte.gz'));

/** Answers requests matching `urlPattern` with the fixture file of the same name (404 when there is none). */
export async function serveFashionFixture(page: Page, urlPattern: string): Promise<void> {
  await page.context().route(urlPattern, async (route) => {
    const file = join(FIXTURE_DIR, new URL(route.request().url()).pathname.split('/').pop()!);
    if (!existsSync(file)) return route.fulfill({ status: 404, body: 'missing' });
    await route.fulfill({ status: 200, contentType: 'application/gzip', body: readFileSync(file) });
  });
}
