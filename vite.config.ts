import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Extra pages (the kernel-layer harness used by e2e tests and benchmarks) build only when present.
const pages: Record<string, string> = { main: resolve(import.meta.dirname, 'index.html') };
for (const name of ['harness']) {
  const file = resolve(import.meta.dirname, `${name}.html`);
  if (existsSync(file)) pages[name] = file;
}

export default defineConfig({
  plugins: [react()],
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
