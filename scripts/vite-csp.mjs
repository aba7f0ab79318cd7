// Vite plugin: the app's Content-Security-Policy (issue 15, case 29). No remote scripts and no inline script anywhere;
// connections only to the app itself and to the Fashion-MNIST hosts; no plugins, frames or form posts.
//
// Where it is set:
//   - as a real header by `vite preview` and `vite dev` (configurePreviewServer / configureServer), the strong form;
//   - as a <meta http-equiv> in the built index.html, for static hosts that cannot set headers (a meta policy cannot
//     say frame-ancestors, and it covers the document only).
// A worker takes its policy from its own script's response, not from the page: the kernel worker runs cells, which
// are compiled to `new Function` and so need 'unsafe-eval' there, and nowhere else; its connect-src is what stops a
// cell's fetch to another origin. The harness pages (harness.html, core-op-tests.html) are test benches, left alone.
import { createHash } from 'node:crypto';
import viteReact from '@vitejs/plugin-react';

/**
 * The official Fashion-MNIST hosts (OFFICIAL_SOURCES in src/data/fashion-mnist.ts; tests/data/csp.test.ts keeps the
 * two lists equal). The app's own /data/fashion-mnist/ is 'self'.
 */
export const DATASET_ORIGINS = ['https://raw.githubusercontent.com', 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com'];

/** @param {Record<string, string[]>} directives */
function serialize(directives) {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/**
 * @param {{ dev?: boolean, meta?: boolean }} [options] dev: what Vite's dev server needs on top (the React Refresh
 *   preamble it inlines, by hash; its HMR web socket). meta: leave out what a <meta> policy may not say.
 * @returns {string}
 */
export function pagePolicy({ dev = false, meta = false } = {}) {
  const directives = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...(dev ? [reactRefreshPreambleHash()] : [])],
    // KaTeX lays formulas out with inline style attributes and Monaco adds <style> elements at run time. Styles cannot
    // run code; the cost of allowing them inline is CSS-only tricks, which the sanitiser's rules already limit.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...DATASET_ORIGINS, ...(dev ? ['ws://localhost:*', 'ws://127.0.0.1:*'] : [])],
    'worker-src': ["'self'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'none'"],
  };
  if (!meta) directives['frame-ancestors'] = ["'none'"];
  return serialize(directives);
}

/** For worker scripts (the kernel, Monaco's workers): the page's rules, plus eval for the cells the kernel compiles. */
export function workerPolicy() {
  return serialize({
    'default-src': ["'self'"],
    'script-src': ["'self'", "'unsafe-eval'"],
    'connect-src': ["'self'", ...DATASET_ORIGINS],
    'img-src': ["'self'", 'data:', 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
  });
}

/** The one inline script Vite's dev server writes into the page: @vitejs/plugin-react's React Refresh preamble. */
export function reactRefreshPreambleHash() {
  const code = viteReact.preambleCode.replace('__BASE__', '/');
  return `'sha256-${createHash('sha256').update(code).digest('base64')}'`;
}

const APP_DOCUMENTS = new Set(['/', '/index.html']);

/**
 * Which policy a response gets. Documents are recognised as browsers announce them (Sec-Fetch-Dest, or an Accept
 * that asks for HTML where that header is not sent); only the app's own page gets the page policy. Everything else
 * gets the worker policy, which browsers apply to worker scripts and ignore on scripts, styles and images.
 * @param {import('node:http').IncomingMessage} req
 * @param {boolean} dev
 * @returns {string | null}
 */
export function policyFor(req, dev) {
  const dest = req.headers['sec-fetch-dest'];
  const isDocument = dest ? dest === 'document' || dest === 'iframe' : String(req.headers.accept ?? '').includes('text/html');
  if (!isDocument) return workerPolicy();
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  return APP_DOCUMENTS.has(path) ? pagePolicy({ dev }) : null;
}

/** @returns {import('vite').Plugin} */
export function contentSecurityPolicy() {
  /** @param {boolean} dev */
  const middleware = (dev) => (/** @type {import('node:http').IncomingMessage} */ req, /** @type {import('node:http').ServerResponse} */ res, /** @type {() => void} */ next) => {
    const policy = policyFor(req, dev);
    if (policy) res.setHeader('Content-Security-Policy', policy);
    next();
  };
  return {
    name: 'convlab-content-security-policy',
    configureServer(server) {
      server.middlewares.use(middleware(true));
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware(false));
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        // Built pages only (the dev server sends the header, with what dev needs); the app's page only.
        if (ctx.server || !/(^|\/)index\.html$/.test(ctx.filename)) return undefined;
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: pagePolicy({ meta: true }) }, injectTo: 'head-prepend' }];
      },
    },
  };
}
