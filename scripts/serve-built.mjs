// Builds the app once and serves it with `vite preview` on a localhost port; used by the benchmarks.
import { spawn, spawnSync } from 'node:child_process';

export async function serveBuilt({ port = 4399, outDir = `.build/${port}`, build = true } = {}) {
  const env = { ...process.env, CONVLAB_OUT_DIR: outDir };
  if (build) {
    const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env });
    if (b.status !== 0) throw new Error('vite build failed');
  }
  const server = spawn('npx', ['vite', 'preview', '--host', 'localhost', '--port', String(port), '--strictPort'], {
    env, stdio: ['ignore', 'pipe', 'inherit'], detached: true,
  });
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, close: () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } } };
}
