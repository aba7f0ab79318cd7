// The Content-Security-Policy's rules (issue 15, case 29); e2e/security.spec.ts checks them in the browser.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DATASET_ORIGINS, pagePolicy, policyFor, workerPolicy } from '../../scripts/vite-csp.mjs';
import { OFFICIAL_SOURCES } from '../../src/data/fashion-mnist';

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

const request = (url: string, headers: Record<string, string>) => ({ url, headers }) as unknown as IncomingMessage;

describe('the Content-Security-Policy', () => {
  it('lets the app connect only to itself and the official Fashion-MNIST hosts', () => {
    expect(DATASET_ORIGINS.sort()).toEqual([...new Set(OFFICIAL_SOURCES.map((u) => new URL(u).origin))].sort());
    for (const policy of [pagePolicy(), workerPolicy()]) expect(directives(policy).get('connect-src')).toEqual(["'self'", ...DATASET_ORIGINS]);
  });

  it('allows no remote and no inline script in the page; only the kernel worker may eval (cells)', () => {
    const page = directives(pagePolicy());
    expect(page.get('script-src')).toEqual(["'self'"]);
    expect(page.get('object-src')).toEqual(["'none'"]);
    expect(page.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives(workerPolicy()).get('script-src')).toEqual(["'self'", "'unsafe-eval'"]);
    // A <meta> policy may not carry frame-ancestors (browsers ignore it there, with a warning).
    expect(directives(pagePolicy({ meta: true })).has('frame-ancestors')).toBe(false);
  });

  it('the dev server adds only the React Refresh preamble, by hash, and its HMR socket', () => {
    const dev = directives(pagePolicy({ dev: true }));
    expect(dev.get('script-src')).toEqual(["'self'", expect.stringMatching(/^'sha256-[A-Za-z0-9+/]+=*'$/)]);
    expect(dev.get('connect-src')).toEqual(expect.arrayContaining(['ws://localhost:*']));
  });

  it('the app page gets the page policy, worker scripts the worker policy, the test harness pages none', () => {
    expect(policyFor(request('/', { 'sec-fetch-dest': 'document' }), false)).toBe(pagePolicy());
    expect(policyFor(request('/index.html?x=1', { accept: 'text/html' }), false)).toBe(pagePolicy());
    expect(policyFor(request('/assets/worker-abc.js', { 'sec-fetch-dest': 'worker' }), false)).toBe(workerPolicy());
    expect(policyFor(request('/harness.html', { 'sec-fetch-dest': 'document' }), false)).toBeNull();
  });
});
