// `npm start`: what a learner should use. Links Debian's Fashion-MNIST files when present, builds the app for
// production and serves that build. The dev server (`npm run dev`) serves the worker's TensorFlow.js as
// hundreds of separate modules, which made the kernel take 13–20 s to start in a fresh browser profile; the
// build serves it as a few chunks (docs/BENCHMARKS.md, Start-up).
import { spawn, spawnSync } from 'node:child_process';

const port = process.env.PORT ?? '5173';
const outDir = process.env.CONVLAB_OUT_DIR ?? 'dist';

function step(args) {
  const r = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, CONVLAB_OUT_DIR: outDir } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step(['node', 'scripts/link-data.mjs']);
console.log('Building the playground (production build)…');
step(['vite', 'build', '--logLevel', 'warn']);
// 127.0.0.1 is a secure context, which WebGPU requires; vite preview prints the URL to open.
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', port, '--strictPort', '--outDir', outDir], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
