// Finds a Chromium for Playwright and the benchmarks without ever downloading one (no internet here).
// Plain JS so Node scripts and the TypeScript Playwright config share one copy.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const WEBGPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright has no browser of its own installed: fine, we looked elsewhere first.
  }
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error(
    'No Chromium found for the browser tests. Fix: `sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
      'or set CHROMIUM_PATH=/path/to/chrome. Checked: ' + candidates.filter(Boolean).join(', '),
  );
}
