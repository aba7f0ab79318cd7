import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { cellTypes } from './scripts/vite-cell-types.mjs';
import { lessonMetadata } from './scripts/vite-lesson-metadata.mjs';
import { contentSecurityPolicy } from './scripts/vite-csp.mjs';

// Extra pages (the kernel-layer harness used by e2e tests and benchmarks, and tfjs-core's op specs on
// ConvLab's kernels: e2e/core-op-tests.spec.ts) build only when present.
const pages: Record<string, string> = { main: resolve(import.meta.dirname, 'index.html') };
for (const name of ['harness', 'core-op-tests']) {
  const file = resolve(import.meta.dirname, `${name}.html`);
  if (existsSync(file)) pages[name] = file;
}

/**
 * tfjs-core's package.json lists the files with side effects and its compiled spec files (dist/ops/…_test.js,
 * imported only by the core-op-tests page) are not among them: the bundler would drop their describe() calls
 * as unused. Marking just those modules as having side effects keeps them and changes nothing else.
 */
const tfjsCoreSpecs: Plugin = {
  name: 'convlab:tfjs-core-specs',
  transform: { filter: { id: /@tensorflow[\\/]tfjs-core[\\/]dist[\\/].*_test\.js$/ }, handler: () => ({ moduleSideEffects: true }) },
};

export default defineConfig({
  // The CSP is a header from `vite dev` and `vite preview`, and a <meta> in the built index.html (scripts/vite-csp.mjs).
  plugins: [react(), cellTypes(), tfjsCoreSpecs, lessonMetadata(), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Several helpers and CI can build side by side: each picks its own folder.
    outDir: process.env.CONVLAB_OUT_DIR ?? 'dist',
    chunkSizeWarningLimit: 8000,
    rollupOptions: { input: pages },
  },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: true },
});
